/**
 * The recommended batch size of one stage: the highest throughput among steps within budget
 * (ties -> the smaller batch size), with a one-sentence reason that carries the numbers.
 */
import { formatMs, formatPct, formatRate, formatRatio } from '../format.js';
import type { BudgetCheck, Recommendation } from '../core/report/verdicts.js';
import type { Stage } from '../core/stage.js';
import type { Budget } from '../core/workload.js';
import { checkBudget, failedChecks, passesAll, type BudgetSubject } from './budget.js';
import { DEFAULT_KNEE_GAIN, findKnee } from './scaling.js';

/** A measured step as the recommendation sees it; a StepReport fits. */
export interface Candidate extends BudgetSubject {
  readonly batchSize: number;
  readonly throughput: { readonly itemsPerSec: number };
}

interface Judged<C extends Candidate> {
  readonly step: C;
  readonly check: BudgetCheck;
  readonly ok: boolean;
}

function judge<C extends Candidate>(steps: readonly C[], budget: Budget): Judged<C>[] {
  return steps.map((step) => {
    const check = checkBudget(step, budget);
    return { step, check, ok: passesAll(check) };
  });
}

/** Highest items/s among steps within budget; ties go to the smaller batch size. Null when none. */
export function bestWithinBudget<C extends Candidate>(steps: readonly C[], budget: Budget): C | null {
  let best: C | null = null;
  for (const { step, ok } of judge(steps, budget)) {
    if (!ok) continue;
    const better =
      best === null ||
      step.throughput.itemsPerSec > best.throughput.itemsPerSec ||
      (step.throughput.itemsPerSec === best.throughput.itemsPerSec && step.batchSize < best.batchSize);
    if (better) best = step;
  }
  return best;
}

export function recommend(
  stage: Stage,
  steps: readonly Candidate[],
  budget: Budget,
  options: { readonly kneeGain?: number } = {},
): Recommendation {
  const best = bestWithinBudget(steps, budget);
  if (best === null) return { stage, batchSize: null, itemsPerSec: null, p95Ms: null, reason: noneMetReason(steps, budget) };
  const p95Ms = best.latencyMs.e2e?.p95 ?? null;
  return {
    stage,
    batchSize: best.batchSize,
    itemsPerSec: best.throughput.itemsPerSec,
    p95Ms,
    reason: bestReason(best, steps, budget, options.kneeGain ?? DEFAULT_KNEE_GAIN),
  };
}

function headline(step: Candidate): string {
  const p95 = step.latencyMs.e2e ? ` at p95 ${formatMs(step.latencyMs.e2e.p95)}` : '';
  return `${formatRate(step.throughput.itemsPerSec)} items/s${p95}`;
}

/** "p95 3 s (3.41 s)", "error rate 1 % (5 %)": each failed check with its limit and the measured value. */
function breaches(step: Candidate, check: BudgetCheck, budget: Budget): string {
  const e2e = step.latencyMs.e2e;
  if (!e2e) return 'measured nothing';
  const parts = failedChecks(check).map((name) => {
    switch (name) {
      case 'p95':
        return `p95 ${formatMs(budget.p95Ms)} (${formatMs(e2e.p95)})`;
      case 'p99':
        return `p99 ${formatMs(budget.p99Ms)} (${formatMs(e2e.p99)})`;
      case 'errorRate':
        return `the error rate ${formatPct(budget.maxErrorRate)} (${formatPct(step.errors.rate)})`;
    }
  });
  return `breaks ${parts.join(' and ')}`;
}

function bestReason(best: Candidate, steps: readonly Candidate[], budget: Budget, kneeGain: number): string {
  const judged = judge(steps, budget);
  const larger = judged.filter(({ step }) => step.batchSize > best.batchSize).sort((a, b) => a.step.batchSize - b.step.batchSize);
  const next = larger[0];
  let sentence: string;
  if (next === undefined) {
    sentence = `batch ${best.batchSize}: ${headline(best)}, the largest batch size measured`;
  } else if (!larger.some(({ ok }) => ok)) {
    sentence = `batch ${best.batchSize} is the largest within budget (${headline(best)}): ${next.step.batchSize} ${breaches(next.step, next.check, budget)}`;
  } else {
    const gain = next.step.throughput.itemsPerSec / best.throughput.itemsPerSec - 1;
    const bestP95 = best.latencyMs.e2e?.p95;
    const nextP95 = next.step.latencyMs.e2e?.p95;
    const cost = bestP95 && nextP95 ? ` for ${formatRatio(nextP95 / bestP95)} the p95` : '';
    const verb = next.ok
      ? gain >= 0
        ? 'gains'
        : 'loses'
      : `${breaches(next.step, next.check, budget)} and ${gain >= 0 ? 'gains' : 'loses'}`;
    sentence = `batch ${best.batchSize}: ${headline(best)}; ${next.step.batchSize} ${verb} ${formatPct(Math.abs(gain))}${cost}`;
  }
  const knee = findKnee(
    steps.map((step) => ({ batchSize: step.batchSize, itemsPerSec: step.throughput.itemsPerSec })),
    kneeGain,
  );
  const kneeStep = knee === null ? undefined : steps.find((step) => step.batchSize === knee);
  if (kneeStep !== undefined && kneeStep.batchSize < best.batchSize) {
    sentence += `; gains per doubling fall below ${formatPct(kneeGain)} from batch ${kneeStep.batchSize} (${headline(kneeStep)})`;
  }
  return sentence;
}

function noneMetReason(steps: readonly Candidate[], budget: Budget): string {
  const measured = judge(steps, budget).filter(({ step }) => step.latencyMs.e2e !== undefined);
  if (measured.length === 0) return `no batch size met the budget: ${nothingSucceeded(steps, budget)}`;
  const closest = measured.reduce((a, b) => ((b.step.latencyMs.e2e?.p95 ?? Infinity) < (a.step.latencyMs.e2e?.p95 ?? Infinity) ? b : a));
  const p95 = closest.step.latencyMs.e2e?.p95 ?? 0;
  const head = `no batch size met the budget: best p95 was ${formatMs(p95)} at batch ${closest.step.batchSize}`;
  if (!closest.check.p95) return `${head} (budget ${formatMs(budget.p95Ms)})`;
  return `${head}, but it ${breaches(closest.step, closest.check, budget)}`;
}

/** Why no step has a latency: every item failed (the error rate says so), or nothing was measured. */
function nothingSucceeded(steps: readonly Candidate[], budget: Budget): string {
  const failing = steps.filter((step) => step.errors.rate > 0);
  if (failing.length === 0) return 'no step measured any items';
  const sizes = [...new Set(failing.map((step) => step.batchSize))].sort((a, b) => a - b);
  const rates = [...new Set(failing.map((step) => formatPct(step.errors.rate)))];
  return `no item succeeded (error rate ${rates.join(', ')} at batch ${sizes.join(', ')}; budget ${formatPct(budget.maxErrorRate)})`;
}
