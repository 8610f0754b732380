import { describe, expect, it } from 'vitest';
import { RESERVED_PER_STEP_MS, stepTimeCapMs } from '../../src/runner/sweep-budget.js';

describe('stepTimeCapMs: a sweep time cap shared over its steps', () => {
  it('gives the next step what is left less a reserve for each step after it, never above its own maxDuration', () => {
    // 60 s left, 5 steps after: 60 - 5 x 4 = 40 s, but the step's own limit is 30 s.
    expect(stepTimeCapMs(30_000, 60_000, 5)).toBe(30_000);
    expect(stepTimeCapMs(60_000, 60_000, 5)).toBe(60_000 - 5 * RESERVED_PER_STEP_MS);
    // The last step may take all that is left.
    expect(stepTimeCapMs(60_000, 25_000, 0)).toBe(25_000);
  });

  it('an early step that ended early leaves its time to the later ones', () => {
    const first = stepTimeCapMs(30_000, 40_000, 2); // 40 - 8 = 32 -> its own 30 s
    expect(first).toBe(30_000);
    // It used 5 s of its 30: the next step may take 35 - 4 = 31 s -> its own 30 s.
    expect(stepTimeCapMs(30_000, 40_000 - 5_000, 1)).toBe(30_000);
    // Had it used all 30, the next would get only 10 - 4 = 6 s.
    expect(stepTimeCapMs(30_000, 40_000 - 30_000, 1)).toBe(6_000);
  });

  it('a sweep past its time still gives each step the reserve (its windows to be judged), no less', () => {
    expect(stepTimeCapMs(30_000, 3_000, 2)).toBe(RESERVED_PER_STEP_MS);
    expect(stepTimeCapMs(30_000, -10_000, 0)).toBe(RESERVED_PER_STEP_MS);
    expect(stepTimeCapMs(2_000, -10_000, 0)).toBe(2_000);
  });
});
