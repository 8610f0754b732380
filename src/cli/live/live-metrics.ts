/**
 * The live run as Prometheus metrics (what --prometheus-port serves): pure, from the live state.
 * Units per Prometheus conventions: seconds, bytes, ratios 0-1; counters end in _total. A value
 * not known yet (no window, no GPU telemetry) is left out rather than written as NaN.
 */
import { metricFamily, type MetricSample, type MetricType } from '../../metrics/prometheus-text.js';
import type { LiveState } from './live-state.js';
import { stepLevel } from './live-state.js';

export interface LiveMetricsInfo {
  /** The workload's name, for pipebench_run_info. */
  readonly workload: string;
}

interface Family {
  readonly name: string;
  readonly help: string;
  readonly type: MetricType;
  readonly samples: (state: LiveState, info: LiveMetricsInfo) => readonly MetricSample[];
}

const one = (value: number | null | undefined): readonly MetricSample[] => (value === null || value === undefined ? [] : [{ value }]);

const FAMILIES: readonly Family[] = [
  {
    name: 'pipebench_run_info',
    help: 'The run being measured (always 1).',
    type: 'gauge',
    samples: (s, info) => (s.runId === null ? [] : [{ labels: { run_id: s.runId, workload: info.workload }, value: 1 }]),
  },
  {
    name: 'pipebench_step_index',
    help: 'Index of the step (a scenario: its load stage) being measured.',
    type: 'gauge',
    samples: (s) => one(s.step?.index),
  },
  {
    name: 'pipebench_load_level',
    help: 'Load asked for: requests in flight (closed loop) or requests per second (open loop), at the last window.',
    type: 'gauge',
    samples: (s) => {
      if (s.step === null) return [];
      const level = s.window?.level ?? stepLevel(s.step);
      // A scenario's stages have a profile name; a sweep's steps have none, and an empty label is no label.
      const profile = s.step.profile?.name;
      const labels = { stage: s.step.stage, step: String(s.step.index), ...(profile ? { profile } : {}) };
      return level === null ? [] : [{ labels, value: level }];
    },
  },
  {
    // A summary, as client libraries write one: quantiles over a recent window (here the last
    // closed one), _sum and _count over everything so far, so rate(_sum)/rate(_count) is the mean.
    name: 'pipebench_window_latency_seconds',
    help: 'End-to-end latency of answered items: quantiles of the last closed window; _sum and _count over every window so far.',
    type: 'summary',
    samples: (s) => {
      if (s.runId === null) return [];
      const w = s.window;
      const quantiles: readonly [string, number | null][] =
        w === null
          ? []
          : [
              ['0.5', w.p50Ms],
              ['0.95', w.p95Ms],
              ['0.99', w.p99Ms],
            ];
      return [
        ...quantiles.flatMap(([quantile, ms]) => (ms === null ? [] : [{ labels: { quantile }, value: ms / 1000 }])),
        { suffix: '_sum', value: s.e2eSumMsTotal / 1000 },
        { suffix: '_count', value: s.itemsTotal },
      ];
    },
  },
  {
    name: 'pipebench_window_items_per_second',
    help: 'Items completed per second in the last closed window.',
    type: 'gauge',
    samples: (s) => one(s.window?.itemsPerSec),
  },
  {
    name: 'pipebench_items_total',
    help: 'Items completed in the windows closed so far.',
    type: 'counter',
    samples: (s) => (s.runId === null ? [] : [{ value: s.itemsTotal }]),
  },
  {
    name: 'pipebench_errors_total',
    help: 'Items failed in the windows closed so far.',
    type: 'counter',
    samples: (s) => (s.runId === null ? [] : [{ value: s.errorsTotal }]),
  },
  {
    name: 'pipebench_errors_by_class_total',
    help: 'Items failed in the windows closed so far, by error class (a class appears with its first failure).',
    type: 'counter',
    samples: (s) => Object.entries(s.errorsByClassTotal).map(([errorClass, count]) => ({ labels: { class: errorClass }, value: count })),
  },
  {
    name: 'pipebench_gpu_utilization_ratio',
    help: 'Share of time a kernel ran, mean over GPUs, latest sample (0-1).',
    type: 'gauge',
    samples: (s) => one(s.gpuUtilPct === null ? null : s.gpuUtilPct / 100),
  },
  {
    name: 'pipebench_gpu_power_watts',
    help: 'Power drawn by all GPUs together, latest sample.',
    type: 'gauge',
    samples: (s) => one(s.gpuPowerW),
  },
  { name: 'pipebench_host_rss_bytes', help: 'Resident set size of the harness.', type: 'gauge', samples: (s) => one(s.host?.rssBytes) },
  {
    name: 'pipebench_host_cpu_ratio',
    help: 'CPU used by the harness process and its threads, in cores (1 = one core busy).',
    type: 'gauge',
    samples: (s) => one(s.host?.processCpuPct == null ? null : s.host.processCpuPct / 100),
  },
  {
    name: 'pipebench_event_loop_delay_p99_seconds',
    help: "p99 of the harness's event-loop delay over the last host sample.",
    type: 'gauge',
    samples: (s) => one(s.host?.eventLoopDelayP99Ms == null ? null : s.host.eventLoopDelayP99Ms / 1000),
  },
];

export function renderLiveMetrics(state: LiveState, info: LiveMetricsInfo): string {
  return FAMILIES.map((family) => metricFamily(family.name, family.help, family.type, family.samples(state, info))).join('\n') + '\n';
}
