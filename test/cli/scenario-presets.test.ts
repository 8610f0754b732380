/**
 * The four built-in scenarios (`--scenario steady|spike|soak|stress`) scaled down to seconds, run by
 * the built binary against the built-in models in process and against `pipebench serve`: the exit
 * code follows the verdict, report.json is schema-valid and holds the scenario with its stages,
 * timeline and kind-specific verdict, report.md has the scenario section and stdout names it.
 * Sequential on purpose: two runs at once would fight for the CPU and blur each other's latency.
 */
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunReport } from '../../src/core/report/run.js';
import type { ScenarioReport } from '../../src/core/report/scenario.js';
import type { ScenarioKind } from '../../src/core/scenario.js';
import { runCli, startServe, type ServeProcess } from './cli-process.js';
import { readReport, STACK_LINE, timelineLevels, validateReport } from './scenario-assertions.js';

/**
 * Time scales that make each preset's stages 5-8 s (steady 31 min, spike 11.5 min, soak 2 h 2 min,
 * stress 15 min as written), load at 5 % (steady 5, spike 3 -> 25, soak 10, stress 1 -> 40 in flight).
 */
const TIME_SCALE = { steady: 0.003, spike: 0.02, soak: 0.001, stress: 0.008 } as const satisfies Record<ScenarioKind, number>;
const LOAD_SCALE = 0.05;

/** What each kind's verdict must carry; `inProcess` says whether TF.js memory can be read. */
const VERDICT_CHECKS = {
  steady: (s) => {
    const v = narrow(s, 'steady');
    // At seconds-long scale a 250 ms window holds ~20 items on two busy cores: when none reaches
    // the 20 a window needs to be judged, the verdict must say so and not pass.
    if (v.windowsJudged === 0) {
      expect(v.summary).toContain('no window had the 20 items needed to judge it');
      expect(v.passed).toBe(false);
      return;
    }
    expect(v.windowsWithinBudget).toBeLessThanOrEqual(v.windowsJudged);
    expect(v.p95Ms).toBeGreaterThan(0);
    expect(v.heldWholeDuration).toBe(v.windowsWithinBudget === v.windowsJudged);
  },
  spike: (s) => {
    const v = narrow(s, 'spike');
    expect(v.preSpikeP95Ms).toBeGreaterThan(0);
    expect(v.spikeWorstP95Ms).toBeGreaterThan(0);
    expect(v.spikeEndAtMs).toBeGreaterThan(v.spikeStartAtMs);
    expect(v.recoveryTargetMs).toBeCloseTo(30_000 * s.timeScale, 6);
    // Closed loop: the queue goes when the load does, so p95 comes back within the recovery hold on
    // a quiet machine. On one loaded by other processes, the seconds-long hold after the spike may
    // stay noisier than the 10 % band around the pre-spike p95: the verdict must then say so and fail.
    if (v.recoveryMs === null) {
      expect(v.summary).toContain('p95 never came back within 10 % of its pre-spike');
      expect(v.passed).toBe(false);
      return;
    }
    expect(v.recoveryMs).toBeGreaterThanOrEqual(0);
    expect(v.passed).toBe(v.recoveryMs <= v.recoveryTargetMs);
  },
  soak: (s, inProcess) => {
    const v = narrow(s, 'soak');
    expect(v.p95Drift?.points).toBeGreaterThan(3);
    expect(v.throughputDrift?.points).toBeGreaterThan(3);
    expect(['no-leak', 'suspected', 'leak']).toContain(v.leak.verdict);
    expect(v.leak.rssStartBytes).toBeGreaterThan(0);
    expect(v.leak.rssEndBytes).toBeGreaterThan(0);
    expect(v.leak.rssDrift).not.toBeNull();
    if (inProcess) {
      expect(v.leak.tfTensorsStart).toBeGreaterThan(0);
      expect(v.leak.tfTensorsEnd).toBeGreaterThan(0);
      expect(v.leak.tfBytesDrift).not.toBeNull();
    } else {
      expect(v.leak.tfTensorsStart).toBeNull();
    }
  },
  stress: (s) => {
    const v = narrow(s, 'stress');
    const holds = s.stages.filter((stage, i) => stage.target > 0 && stage.target === (i === 0 ? 0 : s.stages[i - 1]!.target));
    expect(v.levels.length).toBeGreaterThan(0);
    expect(v.levels.length).toBeLessThanOrEqual(holds.length);
    expect(v.levels.map((l) => l.level)).toEqual(holds.slice(0, v.levels.length).map((h) => h.target));
    for (const level of v.levels) expect(level.itemsPerSec).toBeGreaterThan(0);
    if (v.breakingLevel === null) {
      expect(v.maxSustainableLevel).toBe(v.levels.at(-1)!.level);
      expect(v.graceful).toBeNull();
    } else {
      expect(v.breakingReason).toBeTruthy();
    }
  },
} satisfies Record<ScenarioKind, (scenario: ScenarioReport, inProcess: boolean) => void>;

function narrow<K extends ScenarioKind>(scenario: ScenarioReport, kind: K): Extract<ScenarioReport['verdict'], { kind: K }> {
  expect(scenario.verdict.kind).toBe(kind);
  return scenario.verdict as Extract<ScenarioReport['verdict'], { kind: K }>;
}

let out: string;
let serve: ServeProcess | undefined;

beforeAll(async () => {
  out = await mkdtemp(join(tmpdir(), 'pipebench-scenario-presets-'));
  serve = await startServe(['--backend', 'wasm']);
}, 70_000);

afterAll(async () => {
  await serve?.stop();
});

async function runPreset(
  kind: ScenarioKind,
  where: 'inprocess' | 'serve',
): Promise<{ report: RunReport; scenario: ScenarioReport; dir: string }> {
  const dir = join(out, `${kind}-${where}`);
  const targetArgs = where === 'serve' ? ['--target', serve!.url] : ['--backend', 'wasm'];
  const args = [
    'run',
    '--scenario',
    kind,
    '--time-scale',
    String(TIME_SCALE[kind]),
    '--load-scale',
    String(LOAD_SCALE),
    ...targetArgs,
    '--no-gpu',
    '-q',
    '--out',
    dir,
  ];
  const result = await runCli(args);
  expect(result.stderr).not.toMatch(STACK_LINE);
  const report = await readReport(dir);
  expect(validateReport(report), JSON.stringify(validateReport.errors)).toBe(true);
  const scenario = report.scenario!;
  expect(scenario, 'report.scenario').toBeTruthy();
  // The exit code is the verdict's: 0 passed, 1 failed.
  expect(report.budgetMet).toBe(scenario.verdict.passed);
  expect(result.code, result.stdout + result.stderr).toBe(scenario.verdict.passed ? 0 : 1);
  expect(result.stdout).toContain(`${kind} scenario ${scenario.verdict.passed ? 'passed' : 'FAILED'}`);
  expect(result.stdout).toContain(scenario.verdict.summary);
  const md = await readFile(join(dir, 'report.md'), 'utf8');
  expect(md).toContain(`## Scenario: ${kind}`);
  expect(md).toContain(scenario.verdict.summary);
  return { report, scenario, dir };
}

function expectScenarioShape(report: RunReport, scenario: ScenarioReport, kind: ScenarioKind, where: 'inprocess' | 'serve'): void {
  expect(report.interruptedBy).toBeNull();
  // A stage that ran its time but completed nothing (a short ramp from 0) does not make the run partial.
  expect(report.partial).toBe(false);
  expect(report.target.kind).toBe(where === 'serve' ? 'http' : 'inprocess');
  expect(scenario).toMatchObject({ kind, axis: 'concurrency', stage: 'classify', timeScale: TIME_SCALE[kind], loadScale: LOAD_SCALE });
  expect(scenario.stages.length).toBeGreaterThan(0);
  expect(scenario.stagesRun).toBeGreaterThan(0);
  expect(scenario.stagesRun).toBeLessThanOrEqual(scenario.stages.length);
  if (scenario.stoppedEarly === null) expect(scenario.stagesRun).toBe(scenario.stages.length);
  else expect(kind).toBe('stress');
  // One step per stage that ran, each carrying its stage's profile.
  expect(report.steps.map((step) => step.profile?.name)).toEqual(scenario.stages.slice(0, report.steps.length).map((stage) => stage.name));
  // The timeline covers the run in windows, and each window's level is the stages' level at its middle.
  expect(scenario.timeline.length).toBeGreaterThan(5);
  const levels = timelineLevels(scenario);
  expect(levels.length).toBeGreaterThan(5);
  const top = Math.max(...scenario.stages.map((stage) => stage.target));
  for (const { atMs, level, expected } of levels) {
    expect(Math.abs(level - expected), `level at ${atMs.toFixed(0)} ms`).toBeLessThanOrEqual(1e-6 * top + 1e-9);
  }
  expect(Math.max(...levels.map((l) => l.level))).toBeCloseTo(top, 6);
  expect(scenario.timeline.reduce((sum, w) => sum + w.completed, 0)).toBeGreaterThan(0);
  // Host metrics beside every run.
  expect(report.host?.timeline.length).toBeGreaterThan(0);
}

describe('built-in scenarios scaled to seconds (built binary)', () => {
  for (const where of ['inprocess', 'serve'] as const) {
    for (const kind of ['steady', 'spike', 'soak', 'stress'] as const) {
      it(`${kind} ${where === 'serve' ? 'against pipebench serve' : 'in process'}: verdict, exit code, report.json, report.md, stdout`, async () => {
        const { report, scenario } = await runPreset(kind, where);
        expectScenarioShape(report, scenario, kind, where);
        VERDICT_CHECKS[kind](scenario, where === 'inprocess');
      }, 90_000);
    }
  }
});
