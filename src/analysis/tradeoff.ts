/**
 * The trade-off summary of one stage: for each batch size what it costs and what it buys, where the
 * curve stops paying (the < 5 %-per-doubling rule and Kneedle), the best batch size under budget,
 * the Pareto set of (p95, items/s), and one sentence that says which batch size and why.
 */
import { formatPct, formatRate, formatMs } from '../format.js';
import type { LatencySummary } from '../core/measurement.js';
import type { Recommendation, StageTradeoff, TradeoffPoint } from '../core/report/verdicts.js';
import type { Stage } from '../core/stage.js';
import type { Budget } from '../core/workload.js';
import { withinBudget } from './budget.js';
import { goodput, type GoodputSubject } from './goodput.js';
import { kneedle } from './kneedle.js';
import { paretoSet } from './pareto.js';
import { independentSamples, minSamplesForQuantile } from './e2e-confidence.js';
import { percentileCi } from './percentile-confidence.js';
import { queueShare } from './queue-share.js';
import { recommend } from './recommend.js';
import { analyzeScaling, DEFAULT_KNEE_GAIN } from './scaling.js';

const P95 = 0.95;

/** A measured step as the trade-off sees it; a StepReport fits. */
export interface TradeoffStep extends GoodputSubject {
  readonly stage: Stage;
  readonly complete: boolean;
  readonly batchSize: number;
  /** Items of one model call share a latency: samples = completed / meanBatchSize. */
  readonly meanBatchSize: number;
  readonly throughput: { readonly itemsPerSec: number };
  readonly errors: { readonly rate: number };
  readonly latencyMs: {
    readonly e2e?: Pick<LatencySummary, 'count' | 'mean' | 'p50' | 'p95' | 'p99'>;
    readonly queue?: Pick<LatencySummary, 'mean' | 'p50'>;
  };
}

export interface TradeoffOptions {
  readonly kneeGain?: number;
  readonly label?: string | null;
}

function pointOf(
  step: TradeoffStep,
  budget: Budget,
  onPareto: ReadonlySet<TradeoffStep>,
): Omit<TradeoffPoint, 'speedup' | 'efficiency' | 'gainPerDoubling'> {
  const e2e = step.latencyMs.e2e;
  const encoded = step.histograms.e2e;
  const samples = independentSamples(step.completed, step.meanBatchSize);
  const ci = encoded === undefined ? null : percentileCi(encoded, P95, 0.95, samples);
  return {
    batchSize: step.batchSize,
    itemsPerSec: step.throughput.itemsPerSec,
    p95Ms: e2e?.p95 ?? null,
    p95CiMs: ci === null || ci.count === 0 ? null : { lowMs: ci.lowMs, highMs: ci.highMs },
    p95Supported: e2e === undefined ? null : samples >= minSamplesForQuantile(P95),
    samples,
    goodputPerSec: goodput(step, budget.p95Ms)?.itemsPerSec ?? null,
    queueShare: queueShare(step),
    withinBudget: withinBudget(step, budget),
    pareto: onPareto.has(step),
  };
}

function headline(point: TradeoffPoint): string {
  const p95 = point.p95Ms === null ? '' : ` at p95 ${formatMs(point.p95Ms)}`;
  return `${formatRate(point.itemsPerSec)} items/s${p95}`;
}

/** The recommendation's reason, plus the Kneedle bend and a sample-count caveat where they add something. */
function sentenceFor(recommendation: Recommendation, points: readonly TradeoffPoint[], knee: number | null, bend: number | null): string {
  let sentence = recommendation.reason;
  const best = recommendation.batchSize;
  if (best === null) return sentence;
  const bendPoint = points.find((p) => p.batchSize === bend);
  if (bendPoint !== undefined && bendPoint.batchSize < best && bendPoint.batchSize !== knee) {
    const share = formatPct(bendPoint.itemsPerSec / (recommendation.itemsPerSec ?? bendPoint.itemsPerSec));
    sentence += `; the curve bends most at batch ${bendPoint.batchSize} (${headline(bendPoint)}, ${share} of batch ${best})`;
  }
  const bestPoint = points.find((p) => p.batchSize === best);
  if (bestPoint?.p95Supported === false) {
    sentence += `; its p95 rests on too few samples (MLPerf's early-stopping rule needs ${minSamplesForQuantile(P95)}, it has ${bestPoint.samples})`;
  }
  return sentence;
}

export function stageTradeoff(stage: Stage, steps: readonly TradeoffStep[], budget: Budget, options: TradeoffOptions = {}): StageTradeoff {
  const kneeGain = options.kneeGain ?? DEFAULT_KNEE_GAIN;
  const measured = steps.filter((step) => step.stage === stage && step.complete).sort((a, b) => a.batchSize - b.batchSize);
  const throughputs = measured.map((step) => ({ batchSize: step.batchSize, itemsPerSec: step.throughput.itemsPerSec }));
  const scaling = analyzeScaling(throughputs, kneeGain);
  const paretoSteps = paretoSet(measured);
  const onPareto = new Set(paretoSteps);
  const points = measured.map((step, i) => {
    const scaled = scaling.points[i];
    return {
      ...pointOf(step, budget, onPareto),
      speedup: scaled?.speedup ?? null,
      efficiency: scaled?.efficiency ?? null,
      gainPerDoubling: scaled?.gainPerDoubling ?? null,
    };
  });
  const bend = kneedle(throughputs);
  const recommendation = recommend(stage, measured, budget, { kneeGain });
  return {
    stage,
    label: options.label ?? null,
    points,
    knee: scaling.knee,
    kneeGain,
    kneedle: bend,
    recommendation,
    pareto: paretoSteps.map((step) => step.batchSize),
    sentence: sentenceFor(recommendation, points, scaling.knee, bend),
  };
}
