import { RUN_FLAGS } from '../../src/cli/run-flags.js';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors.js';
import { parseWorkload } from '../../src/workload/load.js';
import {
  applyScenarioOverrides,
  parseScaleFlag,
  parseScenarioFlag,
  parseScheduleFlag,
  scenarioAsWrittenOf,
  scheduleTimeScale,
  writtenTotalMs,
  type ScenarioOverrides,
} from '../../src/workload/scenario-overrides.js';
import type { Workload } from '../../src/core/workload.js';

// 10 minutes as written, at the file's own time scale 0.5: 5 minutes as loaded.
const SPIKE = `
scenario:
  kind: spike
  stage: classify
  batchSize: 4
  window: 2s
  timeScale: 0.5
  stages:
    - { name: baseline, duration: 2m, target: 50 }
    - { name: spike-up, duration: 2m, target: 500 }
    - { name: spike-down, duration: 2m, target: 50 }
    - { name: recovery, duration: 4m, target: 50 }
`;
const spike = () => parseWorkload(SPIKE, 'spike.yaml', '/');
const totalMs = (workload: Workload) => (workload.scenario?.stages ?? []).reduce((sum, s) => sum + s.durationMs, 0);

function overrideError(workload: Workload, overrides: ScenarioOverrides): InputError {
  try {
    applyScenarioOverrides(workload, overrides, RUN_FLAGS);
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    return error as InputError;
  }
  throw new Error(`expected an InputError for ${JSON.stringify(overrides)}`);
}

describe('applyScenarioOverrides', () => {
  it('changes nothing without flags', () => {
    const workload = spike();
    expect(applyScenarioOverrides(workload, {})).toBe(workload);
  });

  it('--time-scale replaces the file`s time scale instead of multiplying it', () => {
    const scaled = applyScenarioOverrides(spike(), { timeScale: 0.1 });
    expect(totalMs(scaled)).toBe(60_000);
    expect(scaled.scenario?.timeScale).toBe(0.1);
    expect(scaled.scenario?.windowMs).toBe(250); // 2 s x 0.1, raised to the 250 ms floor
    expect(scaled.scenario?.recoveryTargetMs).toBe(3000);
  });

  it('applies once: scaling a scaled workload again starts from the stages as written', () => {
    const once = applyScenarioOverrides(spike(), { loadScale: 0.01 });
    const twice = applyScenarioOverrides(once, { loadScale: 0.01 });
    expect(twice.scenario).toEqual(once.scenario);
    expect(once.scenario?.stages.map((s) => s.target)).toEqual([1, 5, 1, 1]);
    // Back to full load: 1 / 0.01 would say 100, the file says 50.
    expect(applyScenarioOverrides(once, { loadScale: 1 }).scenario?.stages.map((s) => s.target)).toEqual([50, 500, 50, 50]);
  });

  it('keeps the time scale in effect when only the load scale changes, and updates the sweep fields', () => {
    const scaled = applyScenarioOverrides(spike(), { loadScale: 2 });
    expect(scaled.scenario?.timeScale).toBe(0.5);
    expect(scaled.stages[0]?.concurrency).toEqual([100, 1000]);
  });

  it('pr-smoke shrinks to 5 minutes, daily to 30, weekly runs as written; never stretched', () => {
    expect(totalMs(applyScenarioOverrides(spike(), { schedule: 'pr-smoke' }))).toBe(300_000);
    expect(totalMs(applyScenarioOverrides(spike(), { schedule: 'daily' }))).toBe(600_000); // 10 min < 30 min: not stretched
    expect(totalMs(applyScenarioOverrides(spike(), { schedule: 'weekly' }))).toBe(600_000);
    expect(applyScenarioOverrides(spike(), { schedule: 'weekly' }).scenario?.timeScale).toBe(1);
  });

  it('--time-scale with --schedule is an error naming --time-scale', () => {
    const error = overrideError(spike(), { timeScale: 0.1, schedule: 'daily' });
    expect(error.where).toBe('--time-scale');
    expect(error.message).toContain('not both');
  });

  it.each([
    [{ timeScale: 0 }, '--time-scale'],
    [{ timeScale: Number.NaN }, '--time-scale'],
    [{ loadScale: -1 }, '--load-scale'],
    [{ loadScale: 5000 }, '--load-scale'],
    [{ schedule: 'hourly' as never }, '--schedule'],
  ] as const)('a bad value %j names %s', (overrides, flag) => {
    expect(overrideError(spike(), overrides).where).toBe(flag);
  });

  it('a scaled target past the limit names --load-scale', () => {
    expect(applyScenarioOverrides(spike(), { loadScale: 1000 }).scenario?.stages[1]?.target).toBe(500_000);
    const error = overrideError(parseWorkload(SPIKE.replace('target: 500', 'target: 5000'), 's.yaml', '/'), {
      loadScale: 1000,
      timeScale: 1,
    });
    expect(error.where).toBe('--load-scale');
    expect(error.message).toContain('within 1000000, got 1000 (stage "spike-up" would be 5000000)');
  });

  it('a scenario flag on a sweep is an error naming that flag', () => {
    const sweep = parseWorkload('stages:\n  - { stage: classify }\n', 'sweep.yaml', '/');
    expect(overrideError(sweep, { schedule: 'pr-smoke' }).where).toBe('--schedule');
    expect(overrideError(sweep, { loadScale: 2 }).where).toBe('--load-scale');
    expect(overrideError(sweep, { timeScale: 2 }).message).toContain('workload "sweep", a sweep without one');
  });

  it('recovers the stages as written from a workload that does not carry them', () => {
    const { scenarioAsWritten: _dropped, ...bare } = applyScenarioOverrides(spike(), { timeScale: 0.2 }) as Workload & {
      scenarioAsWritten: unknown;
    };
    const rescaled = applyScenarioOverrides(bare as Workload, { timeScale: 1 });
    expect(rescaled.scenario?.stages.map((s) => s.durationMs)).toEqual([120_000, 120_000, 120_000, 240_000]);
    expect(
      scenarioAsWrittenOf({ ...bare, scenario: bare.scenario! } as Workload & { scenario: NonNullable<Workload['scenario']> }).windowMs,
    ).toBe(2000);
  });
});

describe('schedule time scale', () => {
  it('is the schedule length over the written total, at most 1', () => {
    const stages = [{ name: 'a', durationMs: 600_000, target: 1 }];
    expect(writtenTotalMs({ stages })).toBe(600_000);
    expect(scheduleTimeScale({ stages }, 'pr-smoke')).toBe(0.5);
    expect(scheduleTimeScale({ stages }, 'daily')).toBe(1);
    expect(scheduleTimeScale({ stages: [] }, 'pr-smoke')).toBe(1);
  });
});

describe('flag parsing', () => {
  it('reads factors and names the flag on bad text', () => {
    expect(parseScaleFlag('--time-scale', '0.05')).toBe(0.05);
    expect(parseScaleFlag('--load-scale', '2')).toBe(2);
    for (const bad of ['', 'abc', '0', '-1', '1e9', '0.5x']) {
      expect(() => parseScaleFlag('--load-scale', bad)).toThrow(expect.objectContaining({ where: '--load-scale' }));
    }
  });

  it('reads schedule and scenario names', () => {
    expect(parseScheduleFlag('pr-smoke', '--schedule')).toBe('pr-smoke');
    expect(() => parseScheduleFlag('nightly', '--schedule')).toThrow(
      expect.objectContaining({ where: '--schedule', message: expect.stringContaining('pr-smoke, daily, weekly') }),
    );
    expect(parseScenarioFlag('soak', '--scenario')).toBe('soak');
    expect(() => parseScenarioFlag('load', '--scenario')).toThrow(expect.objectContaining({ where: '--scenario' }));
  });
});
