/** What a run tells its listeners (the CLI's progress display); the runner never prints. */
import type { RunReport } from '../core/report/run.js';
import type { StepReport } from '../core/report/step.js';
import type { WindowStat } from '../core/measurement.js';
import type { HostSample } from '../core/report/telemetry.js';
import type { Step } from '../core/workload.js';

/** What a server sweep will launch: the grid's configurations, and at most how many of them its search runs. */
export interface ServerSweepPlan {
  readonly gridConfigurations: number;
  /** gridConfigurations for a grid; the search's worst case otherwise. */
  readonly maxRuns: number;
  /** The searched parameter; null: the grid. */
  readonly searchAxis: string | null;
}

export type RunEvent =
  | {
      readonly kind: 'run-start';
      readonly runId: string;
      readonly outDir: string;
      /** The planned sweep (one repeat); a search measures at most these. */
      readonly steps: readonly Step[];
      readonly backend: string;
      readonly repeat: number;
      readonly search: boolean;
      /** A server sweep: its configurations; absent otherwise. */
      readonly server?: ServerSweepPlan;
    }
  /** `of`: measurements in the run (a search: at most); `repeat`: 1-based, null unless repeating. */
  | { readonly kind: 'step-start'; readonly step: Step; readonly of: number; readonly repeat: number | null }
  | {
      readonly kind: 'tick';
      readonly step: Step;
      readonly elapsedMs: number;
      readonly completed: number;
      readonly errors: number;
      readonly p95Ms: number | null;
    }
  /**
   * A measurement window closed (sweeps: the step's own windows; scenarios: the timeline's). For
   * the live view, --prometheus-port and --out-jsonl.
   */
  | {
      readonly kind: 'window';
      readonly step: Step;
      readonly window: WindowStat;
      /** The load asked for at the window's middle (in flight or req/s); null when not known. */
      readonly level: number | null;
      /** Latest GPU utilisation (mean over GPUs); null without GPU telemetry. */
      readonly gpuUtilPct: number | null;
      /** Latest power of all GPUs together; null without GPU telemetry. */
      readonly gpuPowerW: number | null;
      readonly host: HostSample | null;
    }
  | { readonly kind: 'step-end'; readonly step: Step; readonly report: StepReport }
  | { readonly kind: 'warning'; readonly message: string }
  /** Something worth reading about a step (e.g. the GPU sat idle while items queued); not a fault. */
  | { readonly kind: 'note'; readonly message: string }
  | { readonly kind: 'run-end'; readonly report: RunReport; readonly files: readonly string[] };

export type RunListener = (event: RunEvent) => void;
