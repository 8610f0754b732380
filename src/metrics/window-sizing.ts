/**
 * How long a step's measurement windows are. A window's p95 means something only when the window
 * holds enough independent model calls: a fixed second holds ~100 calls at batch 1 on the built-in
 * classifier but a couple at batch 64. So the first window stays open until it has lasted
 * `floorMs` and seen at least CALLS_TO_SIZE calls; from the call rate seen in it, every window
 * (the first included, still open) becomes as long as `minCalls` calls take, never shorter than
 * the floor, rounded up to GRAIN_MS, and no longer than `ceilingMs` (a step's time cap over its
 * stability windows, so they can all close in it), unless the first window already holds items
 * past that (it waited for its calls): then it ends just after them.
 */

export interface WindowSizingRule {
  /** The shortest window (and how long the first one runs before it is sized). */
  readonly floorMs: number;
  /** Model calls a window should hold. */
  readonly minCalls: number;
  /** The longest window the calls may ask for (Infinity: none). */
  readonly ceilingMs: number;
}

const DEFAULT_WINDOW_FLOOR_MS = 1000;
export const MIN_CALLS_PER_WINDOW = 20;
/** Calls seen before the rate is trusted; until then the first window stays open. */
export const CALLS_TO_SIZE = 3;
export const GRAIN_MS = 100;

/** Windows that hold MIN_CALLS_PER_WINDOW calls, at least a second, at most `ceilingMs`. */
export function callWindowRule(ceilingMs = Number.POSITIVE_INFINITY): WindowSizingRule {
  return { floorMs: DEFAULT_WINDOW_FLOOR_MS, minCalls: MIN_CALLS_PER_WINDOW, ceilingMs };
}

/**
 * The window length, once the first window has run `elapsedMs` and seen `callsSeen` model calls
 * (items / their call's batch size, summed); null while that is too little to size it by.
 * `heldMs`: the latest response the first window already holds (it cannot end before it).
 */
export function sizedWindowMs(callsSeen: number, elapsedMs: number, rule: WindowSizingRule, heldMs = 0): number | null {
  if (elapsedMs < rule.floorMs || callsSeen < CALLS_TO_SIZE) return null;
  const forCallsMs = (elapsedMs / callsSeen) * rule.minCalls;
  const wantedMs = roundUpToGrain(Math.min(rule.ceilingMs, Math.max(rule.floorMs, forCallsMs)));
  return heldMs < wantedMs ? wantedMs : roundUpToGrain(heldMs + 1);
}

function roundUpToGrain(ms: number): number {
  return Math.ceil(ms / GRAIN_MS) * GRAIN_MS;
}
