/**
 * May two runs be compared? Only when they ran the same workload (a canonical subset: not the file
 * it came from, nor a served model's URL), the same model shapes, the same backend and the same GPUs.
 */
import { InputError } from '../errors.js';
import type { RunReport } from '../core/report/run.js';
import type { StageSpec, Workload } from '../core/workload.js';

/** One field that differs; values are JSON text, ready to print. */
export interface Difference {
  readonly field: string;
  readonly baseline: string;
  readonly candidate: string;
}

type Fields = ReadonlyMap<string, unknown>;

function workloadFields(workload: Workload): Fields {
  const fields = new Map<string, unknown>([
    ['workload.name', workload.name],
    ['workload.target.kind', workload.target.kind],
    ['workload.target.protocol', workload.target.kind === 'http' ? workload.target.protocol : null],
    ['workload.engine.instances', workload.engine.instances],
    ['workload.load', workload.load],
    ['workload.warmup', workload.warmup],
    ['workload.measure', workload.measure],
    ['workload.stages', workload.stages.map((s) => s.stage)],
  ]);
  for (const spec of workload.stages) {
    const at = `workload.stages[${spec.stage}]`;
    for (const name of [
      'mode',
      'batchSizes',
      'concurrency',
      'maxQueueDelayMs',
      'maxNewTokens',
    ] as const satisfies readonly (keyof StageSpec)[]) {
      fields.set(`${at}.${name}`, spec[name]);
    }
  }
  return fields;
}

function modelFields(report: RunReport): Fields {
  const fields = new Map<string, unknown>([['models', report.models.map((m) => m.task)]]);
  for (const model of report.models) {
    const at = `models[${model.task}]`;
    fields.set(`${at}.name`, model.name);
    fields.set(`${at}.parameters`, model.parameters);
    fields.set(`${at}.format`, model.format);
    fields.set(`${at}.size`, model.size);
    fields.set(`${at}.maxSequenceLength`, model.maxSequenceLength);
  }
  return fields;
}

function gpuNames(report: RunReport): readonly (string | null)[] | null {
  return report.gpuTelemetry?.inventory?.gpus.map((gpu) => gpu.name) ?? null;
}

/** Every field that differs, in a fixed order (workload, models, backend, GPU). */
export function findDifferences(baseline: RunReport, candidate: RunReport): Difference[] {
  const pairs: [Fields, Fields][] = [
    [workloadFields(baseline.workload), workloadFields(candidate.workload)],
    [modelFields(baseline), modelFields(candidate)],
    [new Map([['backend.name', baseline.backend?.name ?? null]]), new Map([['backend.name', candidate.backend?.name ?? null]])],
  ];
  const bGpus = gpuNames(baseline);
  const cGpus = gpuNames(candidate);
  if (bGpus !== null && cGpus !== null) pairs.push([new Map([['gpu.names', bGpus]]), new Map([['gpu.names', cGpus]])]);

  const differences: Difference[] = [];
  for (const [b, c] of pairs) {
    // A field one side lacks (a stage only one run has) is already covered by the list above it.
    for (const [field, value] of b) {
      if (!c.has(field)) continue;
      const bText = canonicalJson(value);
      const cText = canonicalJson(c.get(field));
      if (bText !== cText) differences.push({ field, baseline: bText, candidate: cText });
    }
  }
  return differences;
}

/** Refuses (exit 2) naming the first differing field, unless forced. */
export function assertComparable(differences: readonly Difference[], force: boolean): void {
  if (force || differences.length === 0) return;
  const [first, ...rest] = differences as [Difference, ...Difference[]];
  const more = rest.length === 0 ? '' : `; also differs: ${rest.map((d) => d.field).join(', ')}`;
  throw new InputError(
    first.field,
    `differs between the runs (baseline ${first.baseline}, candidate ${first.candidate}), so they are not comparable${more} (--force compares anyway)`,
  );
}

/** JSON with object keys sorted, so key order in a report never reads as a difference. */
export function canonicalJson(value: unknown): string {
  return (
    JSON.stringify(value, (_key, v: unknown) =>
      v !== null && typeof v === 'object' && !Array.isArray(v)
        ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
        : v,
    ) ?? 'null'
  );
}
