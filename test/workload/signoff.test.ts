import { RUN_FLAGS } from '../../src/cli/run-flags.js';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors.js';
import { parseWorkload } from '../../src/workload/load.js';
import { applySignoffOverrides, DEFAULT_SIGNOFF, signoffOf } from '../../src/workload/signoff.js';

const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'workloads');
const parse = (extra: string) => parseWorkload(`name: s\ncorpus: { path: prompts.jsonl }\n${extra}\n`, 'signoff.yaml', FIXTURES);

function inputError(run: () => unknown): InputError {
  try {
    run();
  } catch (error) {
    if (error instanceof InputError) return error;
    throw error;
  }
  throw new Error('expected an InputError');
}

describe('workload sign-off settings', () => {
  it('default: stability on (3 windows, 10 %, extension as long as the plan), one repeat, no search', () => {
    expect(signoffOf(parse(''))).toEqual({ stability: { windows: 3, tolerance: 0.1, maxExtendMs: null }, repeat: 1, search: false });
  });

  it('reads stability settings with units, stability: false, repeat and search', () => {
    expect(signoffOf(parse('stability: { windows: 5, tolerance: 15%, maxExtend: 30s }\nrepeat: 3'))).toEqual({
      stability: { windows: 5, tolerance: 0.15, maxExtendMs: 30_000 },
      repeat: 3,
      search: false,
    });
    expect(signoffOf(parse('stability: false\nsearch: true'))).toEqual({ stability: null, repeat: 1, search: true });
  });

  it.each([
    ['stability: { windows: 1 }', 'signoff.yaml: stability'],
    ['stability: { tolerance: 0 }', 'signoff.yaml: stability'],
    ['stability: true', 'signoff.yaml: stability'],
    ['stability: { window: 3 }', 'signoff.yaml: stability'],
    ['repeat: 0', 'signoff.yaml: repeat'],
    ['search: true\nrepeat: 2', 'signoff.yaml: repeat'],
  ])('%j is refused naming %s', (extra, where) => {
    expect(inputError(() => parse(extra)).where).toContain(where);
  });

  it('a workload built without settings reads as the defaults', () => {
    const { signoff: _dropped, ...bare } = parse('') as ReturnType<typeof parse> & { signoff: unknown };
    expect(signoffOf(bare)).toBe(DEFAULT_SIGNOFF);
  });
});

describe('applySignoffOverrides (run flags)', () => {
  const base = parse('stability: false');

  it('tuning flags switch stability on over stability: false; --no-stability switches it off', () => {
    expect(signoffOf(applySignoffOverrides(base, { stabilityWindows: 4 })).stability).toEqual({
      windows: 4,
      tolerance: 0.1,
      maxExtendMs: null,
    });
    expect(signoffOf(applySignoffOverrides(parse(''), { stability: false })).stability).toBeNull();
    expect(signoffOf(applySignoffOverrides(parse(''), { maxExtendMs: 0 })).stability?.maxExtendMs).toBe(0);
  });

  it.each([
    [{ repeat: 0 }, '--repeat'],
    [{ stabilityWindows: 1 }, '--stability-windows'],
    [{ stabilityTolerance: 0 }, '--stability-tolerance'],
    [{ maxExtendMs: -1 }, '--max-extend'],
    [{ stability: false as const, stabilityWindows: 3 }, '--no-stability'],
    [{ search: true as const, repeat: 2 }, '--repeat'],
  ])('%j is refused naming %s', (overrides, flag) => {
    expect(inputError(() => applySignoffOverrides(base, overrides, RUN_FLAGS)).where).toBe(flag);
  });
});
