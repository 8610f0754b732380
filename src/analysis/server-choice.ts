/**
 * A server sweep judged (issue 15): each measured configuration's best figures, the Pareto set of
 * p95 against items/s, and the highest-throughput configuration within budget with its reason in
 * one sentence. Pure: facts and judged steps in, the report section out.
 */
import { serverConfigLabel, type ServerParams, type ServerSpec } from '../core/server-config.js';
import type { ServerChoice, ServerConfigRun, ServerConfigScore, ServerSweepFacts, ServerSweepReport } from '../core/report/server-sweep.js';
import type { StepReport } from '../core/report/step.js';
import { serverTerms } from './server-terms.js';
import { formatMs, formatPct, formatRate, formatRatio } from '../format.js';

export function judgeServerSweep(facts: ServerSweepFacts, steps: readonly StepReport[], spec: ServerSpec | undefined): ServerSweepReport {
  const byIndex = new Map(steps.map((step) => [step.index, step]));
  const scores = facts.configurations.flatMap((config) => {
    const score = scoreOf(
      config,
      config.stepIndexes.flatMap((index) => byIndex.get(index) ?? []),
    );
    return score === null ? [] : [score];
  });
  const best = scores
    .filter((score) => score.withinBudget)
    .reduce<ServerConfigScore | null>((top, score) => (top === null || score.itemsPerSec > top.itemsPerSec ? score : top), null);
  return {
    ...facts,
    runsSpent: facts.configurations.length,
    stepsRun: facts.configurations.reduce((n, config) => n + config.stepIndexes.length, 0),
    scores,
    pareto: paretoSet(scores),
    chosen: best === null ? null : choice(best, scores, facts.searchAxis, spec),
  };
}

/** A configuration's highest-throughput complete step within budget, else its highest-throughput complete step. */
function scoreOf(config: ServerConfigRun, steps: readonly StepReport[]): ServerConfigScore | null {
  if (config.state !== 'measured') return null;
  const complete = steps.filter((step) => step.complete);
  const pick = (list: readonly StepReport[]) =>
    list.reduce<StepReport | null>(
      (top, step) => (top === null || step.throughput.itemsPerSec > top.throughput.itemsPerSec ? step : top),
      null,
    );
  const step = pick(complete.filter((s) => s.withinBudget)) ?? pick(complete);
  if (step === null) return null;
  return {
    params: config.params,
    stepIndex: step.index,
    itemsPerSec: step.throughput.itemsPerSec,
    p95Ms: step.latencyMs.e2e?.p95 ?? null,
    p99Ms: step.latencyMs.e2e?.p99 ?? null,
    withinBudget: step.withinBudget,
    serverBatchMean: serverBatchMean(step),
  };
}

/** Mean items per execution as the server's batcher formed them, from its own metrics when scraped. */
export function serverBatchMean(step: StepReport): number | null {
  for (const endpoint of step.serverMetrics?.endpoints ?? []) if (endpoint.batchSize?.mean != null) return endpoint.batchSize.mean;
  return null;
}

/** Scores no other beats on both items/s (higher) and p95 (lower), ascending by items/s. */
export function paretoSet(scores: readonly ServerConfigScore[]): ServerConfigScore[] {
  const withP95 = scores.filter((score): score is ServerConfigScore & { p95Ms: number } => score.p95Ms !== null);
  const dominated = (a: (typeof withP95)[number]) =>
    withP95.some(
      (b) => b !== a && b.itemsPerSec >= a.itemsPerSec && b.p95Ms <= a.p95Ms && (b.itemsPerSec > a.itemsPerSec || b.p95Ms < a.p95Ms),
    );
  return withP95.filter((score) => !dominated(score)).sort((a, b) => a.itemsPerSec - b.itemsPerSec);
}

function choice(
  best: ServerConfigScore,
  scores: readonly ServerConfigScore[],
  axis: string | null,
  spec: ServerSpec | undefined,
): ServerChoice {
  const parts = [
    `${serverConfigLabel(best.params)}: ${formatRate(best.itemsPerSec)} items/s${best.p95Ms === null ? '' : ` at p95 ${formatMs(best.p95Ms)}`}`,
  ];
  const next = axis === null ? undefined : nextUp(best, scores, axis);
  if (next !== undefined && axis !== null) {
    const gain = next.itemsPerSec / best.itemsPerSec - 1;
    const cost = next.p95Ms !== null && best.p95Ms !== null && best.p95Ms > 0 ? ` for ${formatRatio(next.p95Ms / best.p95Ms)} the p95` : '';
    const verb = gain >= 0 ? 'adds' : 'loses';
    parts.push(`${axis} ${next.params[axis]} ${verb} ${formatPct(Math.abs(gain))}${cost}${next.withinBudget ? '' : ' (over budget)'}`);
  }
  const axisValue = axis === null ? undefined : best.params[axis];
  if (best.serverBatchMean !== null && axisValue !== undefined)
    parts.push(`the batcher filled ${best.serverBatchMean.toFixed(0)} of ${axisValue} on average`);
  const terms = serverTerms(spec, best.params);
  return {
    params: best.params,
    itemsPerSec: best.itemsPerSec,
    p95Ms: best.p95Ms,
    reason: parts.join('; '),
    serverTerms: terms.text,
    serverTermsKind: terms.kind,
  };
}

/** The measured configuration one step up `axis` from `best`, the other parameters equal. */
function nextUp(best: ServerConfigScore, scores: readonly ServerConfigScore[], axis: string): ServerConfigScore | undefined {
  const value = best.params[axis] ?? 0;
  const sameElsewhere = (params: ServerParams) => Object.entries(best.params).every(([name, v]) => name === axis || params[name] === v);
  return scores
    .filter((score) => sameElsewhere(score.params) && (score.params[axis] ?? 0) > value)
    .sort((a, b) => (a.params[axis] ?? 0) - (b.params[axis] ?? 0))[0];
}
