import { describe, expect, it } from 'vitest';
import { RUN_FLAGS } from '../../src/cli/run-flags.js';
import { runOverridesFromFlags } from '../../src/cli/run-flag-values.js';
import { InputError } from '../../src/errors.js';
import { parseWorkload } from '../../src/workload/load.js';
import { applyOverrides } from '../../src/workload/overrides.js';

const parse = (yaml: string) => parseWorkload(yaml, 'precision.yaml', '/');
const fixed = parse('measure: { requests: 400, duration: 5s, maxDuration: 20s }\n');

describe('measure.precision: the adaptive plan', () => {
  it('alone is a valid measure; its time cap defaults to 30 s, or the one the file gives', () => {
    expect(parse('measure: { precision: 5% }\n').measure).toEqual({ precision: 0.05, maxDurationMs: 30_000 });
    expect(parse('measure: { precision: 0.1, maxDuration: 12s }\n').measure).toEqual({ precision: 0.1, maxDurationMs: 12_000 });
    // With a least length, the plan keeps it.
    expect(parse('measure: { precision: 5%, requests: 100 }\n').measure).toEqual({ requests: 100, precision: 0.05, maxDurationMs: 30_000 });
  });

  it('a workload without it keeps its fixed plan unchanged', () => {
    expect(fixed.measure).toEqual({ requests: 400, durationMs: 5000, maxDurationMs: 20_000 });
  });

  it('a precision of 0 or 100 % and up is refused, naming the field', () => {
    expect(() => parse('measure: { precision: 0% }\n')).toThrow(/measure\.precision.*above 0 % and below 100 %/);
    expect(() => parse('measure: { precision: 100% }\n')).toThrow(/measure\.precision/);
    expect(() => parse('measure: { maxDuration: 10s }\n')).toThrow(/expected requests, duration or precision/);
  });

  it('--precision replaces the file length (keeping its cap); --requests or --duration make the plan fixed again', () => {
    const adaptive = applyOverrides(fixed, runOverridesFromFlags({ precision: '5%' }, false), RUN_FLAGS);
    expect(adaptive.measure).toEqual({ precision: 0.05, maxDurationMs: 20_000 });
    const atLeast = applyOverrides(fixed, runOverridesFromFlags({ precision: '5%', requests: '100' }, false), RUN_FLAGS);
    expect(atLeast.measure).toEqual({ requests: 100, precision: 0.05, maxDurationMs: 20_000 });
    const backToFixed = applyOverrides(parse('measure: { precision: 5% }\n'), runOverridesFromFlags({ requests: '200' }, false), RUN_FLAGS);
    expect(backToFixed.measure).toEqual({ requests: 200, maxDurationMs: 30_000 });
  });

  it('measure.maxWindows caps an adaptive step in windows; without precision, or below 1, it is refused naming the field', () => {
    expect(parse('measure: { precision: 5%, maxWindows: 6, maxDuration: 40s }\n').measure).toEqual({
      precision: 0.05,
      maxWindows: 6,
      maxDurationMs: 40_000,
    });
    expect(() => parse('measure: { requests: 100, maxWindows: 6 }\n')).toThrow(/measure\.maxWindows: expected precision beside it/);
    expect(() => parse('measure: { precision: 5%, maxWindows: 0 }\n')).toThrow(/measure\.maxWindows/);
    expect(() => parse('measure: { precision: 5%, maxWindows: 2.5 }\n')).toThrow(/measure\.maxWindows/);
  });

  it("--precision keeps the file's window cap; --requests or --duration drop it with the precision", () => {
    const capped = parse('measure: { precision: 5%, maxWindows: 6, maxDuration: 40s }\n');
    const tighter = applyOverrides(capped, runOverridesFromFlags({ precision: '2%' }, false), RUN_FLAGS);
    expect(tighter.measure).toEqual({ precision: 0.02, maxWindows: 6, maxDurationMs: 40_000 });
    const fixedAgain = applyOverrides(capped, runOverridesFromFlags({ requests: '200' }, false), RUN_FLAGS);
    expect(fixedAgain.measure).toEqual({ requests: 200, maxDurationMs: 40_000 });
  });

  it('measure.maxSweepDuration is the sweep time cap, kept by every length flag', () => {
    const capped = parse('measure: { precision: 5%, maxSweepDuration: 2m }\n');
    expect(capped.measure).toEqual({ precision: 0.05, maxDurationMs: 30_000, maxSweepDurationMs: 120_000 });
    const fixedAgain = applyOverrides(capped, runOverridesFromFlags({ requests: '200' }, false), RUN_FLAGS);
    expect(fixedAgain.measure).toEqual({ requests: 200, maxDurationMs: 30_000, maxSweepDurationMs: 120_000 });
    expect(() => parse('measure: { precision: 5%, maxSweepDuration: soon }\n')).toThrow(/measure\.maxSweepDuration/);
  });

  it('--precision 0 or 1.5 is refused, naming the flag', () => {
    for (const value of ['0', '1.5', 'fast']) {
      const error = (() => {
        try {
          applyOverrides(fixed, runOverridesFromFlags({ precision: value }, false), RUN_FLAGS);
        } catch (caught) {
          return caught;
        }
        return null;
      })();
      expect(error).toBeInstanceOf(InputError);
      expect((error as InputError).where).toBe('--precision');
    }
  });
});
