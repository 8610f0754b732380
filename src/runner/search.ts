/**
 * --search: the largest value that meets the budget, without measuring every value. Doubling from
 * the smallest value finds the first failure; bisection between the last pass and that failure
 * finds the edge. Assumes what fails at a value fails above it (latency grows with batch size and
 * rate), which is what makes skipped values safe to skip.
 *
 * A probe measures one value and answers whether it met the budget, or null to stop searching
 * (the run was interrupted); the answer is then what is known so far.
 */
export type Probe = (value: number) => Promise<boolean | null>;

export interface SearchOutcome {
  /** The largest value that passed; null when the smallest failed (or none was judged). */
  readonly answer: number | null;
  readonly tried: readonly { readonly value: number; readonly withinBudget: boolean }[];
  /** False when a probe stopped the search early. */
  readonly finished: boolean;
}

/** Over listed values (ascending, unique): doubling snapped to the list, then bisection by index. */
export async function searchListed(values: readonly number[], probe: Probe): Promise<SearchOutcome> {
  const tried: { value: number; withinBudget: boolean }[] = [];
  const at = async (index: number): Promise<boolean | null> => {
    const value = values[index] ?? Number.NaN;
    const ok = await probe(value);
    if (ok !== null) tried.push({ value, withinBudget: ok });
    return ok;
  };
  const done = (lastPass: number | null, finished: boolean): SearchOutcome => ({
    answer: lastPass === null ? null : (values[lastPass] ?? null),
    tried,
    finished,
  });
  if (values.length === 0) return done(null, true);
  const first = await at(0);
  if (first !== true) return done(null, first !== null);
  let lastPass = 0;
  let firstFail = values.length;
  while (lastPass < values.length - 1) {
    const next = doubledIndex(values, lastPass);
    const ok = await at(next);
    if (ok === null) return done(lastPass, false);
    if (!ok) {
      firstFail = next;
      break;
    }
    lastPass = next;
  }
  while (firstFail - lastPass > 1) {
    const mid = Math.floor((lastPass + firstFail) / 2);
    const ok = await at(mid);
    if (ok === null) return done(lastPass, false);
    if (ok) lastPass = mid;
    else firstFail = mid;
  }
  return done(lastPass, true);
}

/** The most probes searchListed can make over these values, whatever each probe answers. */
export function maxListedProbes(values: readonly number[]): number {
  if (values.length === 0) return 0;
  const bisection = (low: number, high: number): number => (high - low > 1 ? Math.ceil(Math.log2(high - low)) : 0);
  const doubling = (lastPass: number): number => {
    if (lastPass >= values.length - 1) return 0;
    const next = doubledIndex(values, lastPass);
    return 1 + Math.max(doubling(next), bisection(lastPass, next));
  };
  return 1 + doubling(0);
}

/** The largest listed index whose value is at most twice values[from]; at least from + 1. */
function doubledIndex(values: readonly number[], from: number): number {
  const limit = 2 * (values[from] ?? 0);
  let index = from + 1;
  while (index + 1 < values.length && (values[index + 1] ?? Infinity) <= limit) index++;
  return index;
}

/** A rate settles when the first failing value is within this factor of the last passing one. */
export const RATE_RESOLUTION = 1.05;

/**
 * Over a continuous range [low, high] (request rates): doubling from low, capped at high, then
 * geometric bisection until the first fail is within 5 % of the last pass.
 */
export async function searchRange(low: number, high: number, probe: Probe): Promise<SearchOutcome> {
  if (!(low > 0 && high >= low)) throw new RangeError(`searchRange needs 0 < low <= high, got ${low}..${high}`);
  const tried: { value: number; withinBudget: boolean }[] = [];
  const at = async (value: number): Promise<boolean | null> => {
    const ok = await probe(value);
    if (ok !== null) tried.push({ value, withinBudget: ok });
    return ok;
  };
  const first = await at(low);
  if (first !== true) return { answer: null, tried, finished: first !== null };
  let lastPass = low;
  let firstFail: number | null = null;
  while (lastPass < high) {
    const next = Math.min(high, 2 * lastPass);
    const ok = await at(next);
    if (ok === null) return { answer: lastPass, tried, finished: false };
    if (!ok) {
      firstFail = next;
      break;
    }
    lastPass = next;
  }
  while (firstFail !== null && firstFail > lastPass * RATE_RESOLUTION) {
    const mid = roundRate(Math.sqrt(lastPass * firstFail));
    if (!(mid > lastPass && mid < firstFail)) break;
    const ok = await at(mid);
    if (ok === null) return { answer: lastPass, tried, finished: false };
    if (ok) lastPass = mid;
    else firstFail = mid;
  }
  return { answer: lastPass, tried, finished: true };
}

/** Three significant digits: a rate a reader can type back in (--rate 37.4). */
function roundRate(value: number): number {
  return Number(value.toPrecision(3));
}
