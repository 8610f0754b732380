/**
 * Interrupting a scenario run, and resuming it, through the built CLI: SIGINT during the second
 * of three in-process stages exits 130 with every output written and marked partial (the first
 * stage complete, the second cut short), leaves no process behind (a fake nvidia-smi that runs
 * until killed is first on PATH), and `--resume` in the same folder finishes the scenario keeping
 * the first stage as measured and the timeline so far.
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp, readdir, readFile, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RunReport } from '../../src/core/report/run.js';
import type { TimelineWindow } from '../../src/core/report/scenario.js';
import { FIXTURES, runCli, startCli, type CliResult } from './cli-process.js';
import { cliEnv, eventually, taggedProcesses } from './process-tags.js';
import { readReport, STACK_LINE, validateReport } from './scenario-assertions.js';

const WORKLOAD = join(FIXTURES, 'scenario-interrupt.yaml');
const OUTPUTS = ['report.json', 'report.md', 'junit.xml', 'steps.csv'];
const STAGE_NAMES = ['ramp-up', 'hold', 'hold-more'];

let dir: string;
beforeAll(async () => {
  dir = join(await mkdtemp(join(tmpdir(), 'pipebench-scenario-interrupt-')), 'run');
});

/** Starts the scenario and sends SIGINT ~0.7 s into its second stage, once the first stage's report.json is written. */
async function interruptDuringStage2(tag: string): Promise<{ result: CliResult; before: { pid: number; cmdline: string }[] }> {
  const { child, done } = startCli(['run', WORKLOAD, '--backend', 'wasm', '--out', dir], cliEnv(tag));
  await new Promise<void>((resolve, reject) => {
    let seen = '';
    child.stderr!.on('data', (chunk: Buffer) => {
      seen += chunk.toString();
      if (/^\[1\/3\] ramp-up /m.test(seen)) resolve();
    });
    child.once('exit', () => reject(new Error(`the run ended before its first stage did: ${seen}`)));
  });
  const written = await eventually(
    () =>
      stat(join(dir, 'report.json')).then(
        () => true,
        () => false,
      ),
    5000,
  );
  expect(written, 'report.json written after the first stage').toBe(true);
  await new Promise((resolve) => setTimeout(resolve, 700));
  const before = await taggedProcesses(tag);
  child.kill('SIGINT');
  return { result: await done, before };
}

const key = (w: TimelineWindow): string => JSON.stringify(w);

describe('interrupting a scenario run, and --resume (built binary)', () => {
  let interrupted: RunReport;

  it('SIGINT in the second stage: exit 130, outputs partial with the first stage complete, no child process left', async () => {
    const tag = randomUUID();
    const { result, before } = await interruptDuringStage2(tag);
    expect(result.stderr).not.toMatch(STACK_LINE);
    expect(result.code).toBe(130);
    expect(await readdir(dir)).toEqual(expect.arrayContaining(OUTPUTS));
    interrupted = await readReport(dir);
    expect(validateReport(interrupted), JSON.stringify(validateReport.errors)).toBe(true);
    expect(interrupted).toMatchObject({ partial: true, interruptedBy: 'SIGINT', resumedFrom: null });
    expect(interrupted.steps.map((s) => [s.profile?.name, s.complete])).toEqual([
      ['ramp-up', true],
      ['hold', false],
    ]);
    expect(interrupted.steps[0]!.completed).toBeGreaterThan(0);
    const scenario = interrupted.scenario!;
    expect(scenario.stagesRun).toBe(1);
    expect(scenario.stoppedEarly).toContain('SIGINT');
    // Windows up to the interrupt: past the first stage's 2 s, short of the scenario's 6 s.
    const lastEndMs = scenario.timeline.at(-1)!.endMs - scenario.startedAtMs;
    expect(lastEndMs).toBeGreaterThan(2000);
    expect(lastEndMs).toBeLessThan(6000);
    expect(await readFile(join(dir, 'report.md'), 'utf8')).toContain('## Scenario: steady');

    // The sampler ran before the signal; nothing the CLI started outlives it (the fake's own
    // `sleep 0.1` between lines may linger that long).
    expect(
      before.some((p) => p.cmdline.includes('nvidia-smi')),
      JSON.stringify(before),
    ).toBe(true);
    const allGone = await eventually(async () => (await taggedProcesses(tag)).length === 0, 3000);
    expect(allGone, JSON.stringify(await taggedProcesses(tag))).toBe(true);
  }, 90_000);

  it('--resume finishes the scenario: the first stage kept byte for byte, the timeline holding both runs, not partial', async () => {
    expect(interrupted, 'the interrupted run').toBeDefined();
    const result = await runCli(['run', WORKLOAD, '--backend', 'wasm', '--resume', '--out', dir], cliEnv(randomUUID()));
    expect(result.stderr).not.toMatch(STACK_LINE);
    const report = await readReport(dir);
    expect(validateReport(report), JSON.stringify(validateReport.errors)).toBe(true);
    const scenario = report.scenario!;
    expect(result.code, result.stdout + result.stderr).toBe(scenario.verdict.passed ? 0 : 1);
    expect(report).toMatchObject({ partial: false, interruptedBy: null, resumedFrom: { runId: interrupted.runId, stepsKept: 1 } });
    expect(report.runId).toBe(interrupted.runId);
    expect(report.steps.map((s) => [s.profile?.name, s.complete])).toEqual(STAGE_NAMES.map((name) => [name, true]));
    const [kept, ...measured] = report.steps;
    const first = interrupted.steps[0]!;
    expect(kept!.histograms).toEqual(first.histograms);
    expect(JSON.stringify(kept!.histograms)).toBe(JSON.stringify(first.histograms));
    expect(kept!.startedAtMs).toBe(first.startedAtMs);
    for (const step of measured) {
      expect(step.completed).toBeGreaterThan(0);
      expect(step.startedAtMs).toBeGreaterThan(interrupted.steps[1]!.endedAtMs);
    }
    expect(scenario.stagesRun).toBe(STAGE_NAMES.length);
    expect(scenario.stoppedEarly).toBeNull();
    expect(scenario.startedAtMs).toBe(interrupted.scenario!.startedAtMs);
    // The kept stage's windows come from the first run exactly; the rest were measured after the resume.
    const keptStageEndMs = interrupted.scenario!.startedAtMs + interrupted.scenario!.stages[0]!.durationMs;
    const keptWindows = interrupted.scenario!.timeline.filter((w) => w.endMs <= keptStageEndMs);
    expect(keptWindows.length).toBeGreaterThan(0);
    const windows = new Set(scenario.timeline.map(key));
    for (const window of keptWindows) expect(windows.has(key(window)), `kept window at ${window.startMs}`).toBe(true);
    // The interrupted stage's partial windows are gone (it was measured again); the new windows are
    // shifted back by the pause, so the stages line up with the plan and the verdict judges them.
    expect(scenario.pausedMs).toBeGreaterThan(0);
    const earlierKeys = new Set(interrupted.scenario!.timeline.map(key));
    const after = scenario.timeline.filter((w) => w.startMs >= keptStageEndMs);
    expect(after.length).toBeGreaterThan(3);
    for (const window of after) expect(earlierKeys.has(key(window)), `re-measured window at ${window.startMs}`).toBe(false);
    expect(scenario.timeline.at(-1)!.endMs).toBeLessThanOrEqual(scenario.startedAtMs + 6000 + 600);
    // The hold stages all ran after the resume: any window judged is a resumed one.
    expect(scenario.verdict.kind === 'steady' && scenario.verdict.windowsJudged).toBeGreaterThan(0);
    // In time order, never overlapping.
    for (let i = 1; i < scenario.timeline.length; i++) {
      expect(scenario.timeline[i]!.startMs).toBeGreaterThanOrEqual(scenario.timeline[i - 1]!.endMs - 1e-6);
    }
    expect(await readdir(dir)).toEqual(expect.arrayContaining(OUTPUTS));
    expect(await readFile(join(dir, 'report.md'), 'utf8')).toContain('## Scenario: steady');
  }, 90_000);
});
