import { join } from 'node:path';
import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { addRunPlanOptions, RUN_FLAGS } from '../../src/cli/run-flags.js';
import { InputError } from '../../src/errors.js';
import { loadWorkload } from '../../src/workload/load.js';
import { FIELD_NAMES, OVERRIDE_FIELDS } from '../../src/workload/override-names.js';
import { resolveRunPlan, type RunOverrides } from '../../src/workload/run-plan.js';
import { signoffOf } from '../../src/workload/signoff.js';
import { scenarioPresetPath } from '../../src/workload/scenario-overrides.js';

const DEFAULT = join(import.meta.dirname, '..', '..', 'workloads', 'default.yaml');

function refusal(run: () => unknown): InputError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    return error as InputError;
  }
  throw new Error('expected an InputError');
}

describe('resolveRunPlan', () => {
  it("applies the workload's own overrides, its sign-off settings and its scenario scales in one call", async () => {
    const sweep = resolveRunPlan(await loadWorkload(DEFAULT), { batchSizes: [2, 1], seed: 7, repeat: 2, stability: false });
    expect(sweep.stages.every((stage) => stage.batchSizes.join() === '1,2')).toBe(true);
    expect(sweep.seed).toBe(7);
    expect(signoffOf(sweep)).toMatchObject({ repeat: 2, stability: null });
    const spike = resolveRunPlan(await loadWorkload(scenarioPresetPath('spike')), { timeScale: 0.01, loadScale: 0.1 });
    expect(spike.scenario).toMatchObject({ timeScale: 0.01, loadScale: 0.1 });
  });

  it('names fields for a library caller, and the flag the user typed when the CLI hands in its table', async () => {
    const base = await loadWorkload(DEFAULT);
    const bad: readonly [RunOverrides, keyof typeof RUN_FLAGS][] = [
      [{ batchSizes: [0] }, 'batchSizes'],
      [{ ratesPerSec: [10], concurrency: [1] }, 'concurrency'],
      [{ repeat: 0 }, 'repeat'],
      [{ timeScale: 0.1 }, 'timeScale'],
    ];
    for (const [overrides, field] of bad) {
      expect(refusal(() => resolveRunPlan(base, overrides)).where).toBe(`overrides.${field}`);
      expect(refusal(() => resolveRunPlan(base, overrides, RUN_FLAGS)).where).toBe(RUN_FLAGS[field]);
    }
    // A message that mentions another setting names it the same way.
    const both = refusal(() => resolveRunPlan(base, { ratesPerSec: [10], concurrency: [1] }));
    expect(both.message).toContain('overrides.ratesPerSec');
    expect(both.message).not.toContain('--');
  });
});

describe('RUN_FLAGS, the one table of flags', () => {
  it('names every field, and every flag it names is an option of pipebench run', () => {
    expect(Object.keys(RUN_FLAGS).sort()).toEqual([...OVERRIDE_FIELDS].sort());
    expect(Object.keys(FIELD_NAMES).sort()).toEqual([...OVERRIDE_FIELDS].sort());
    const command = addRunPlanOptions(new Command('run'));
    const defined = new Set(command.options.map((option) => option.long));
    for (const flag of Object.values(RUN_FLAGS)) expect(defined, flag).toContain(flag);
  });
});
