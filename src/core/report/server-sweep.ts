/**
 * report.json `serverSweep` (issue 15): the served model's batching configurations the run launched,
 * what each cost and measured, and the one chosen within budget with its reason. null for runs
 * without `server:`. Steps carry their configuration in `steps[].serverConfig`.
 */
import type { ServerParams } from '../server-config.js';

/** How a configuration's server went: measured its steps, or failed (launch, readiness, crash, stop). */
export type ServerConfigState = 'measured' | 'failed';

/** One configuration as launched: the facts the run recorded. */
export interface ServerConfigRun {
  readonly params: ServerParams;
  /** The command line run for it (its port filled in); for Triton, the load request (POST URL and JSON body). */
  readonly command: string;
  /** Its server's stdout and stderr (Triton: the load request and Triton's answers), relative to the report folder. */
  readonly logPath: string;
  readonly state: ServerConfigState;
  /** Why it failed, in one line; null when measured. */
  readonly failure: string | null;
  /** The server log's last lines when it failed; empty otherwise. */
  readonly logTail: readonly string[];
  /** steps[].index of its steps. */
  readonly stepIndexes: readonly number[];
  /** How its server stopped: SIGTERM sufficed, SIGKILL was needed, or processes were left; null if it never started, and for Triton (nothing is stopped). */
  readonly stop: 'terminated' | 'killed' | 'left' | null;
}

/** What the run recorded; analysis adds the scores and the choice. */
export interface ServerSweepFacts {
  /** search: doubling then bisection along searchAxis, the other parameters enumerated; grid: every configuration. */
  readonly strategy: 'search' | 'grid';
  readonly searchAxis: string | null;
  /** Configurations in the full grid, and steps it would take (configurations x planned steps). */
  readonly gridConfigurations: number;
  readonly gridSteps: number;
  readonly configurations: readonly ServerConfigRun[];
}

/** A measured configuration's best figures: its highest-throughput step within budget, else its highest-throughput step. */
export interface ServerConfigScore {
  readonly params: ServerParams;
  readonly stepIndex: number;
  readonly itemsPerSec: number;
  readonly p95Ms: number | null;
  readonly p99Ms: number | null;
  readonly withinBudget: boolean;
  /** Mean items per execution from the server's own metrics, when scraped; null otherwise. */
  readonly serverBatchMean: number | null;
}

/** What serverTerms holds: the launch command line, a Triton config.pbtxt fragment, or TorchServe config.properties lines. */
export type ServerTermsKind = 'command' | 'config.pbtxt' | 'config.properties';

export interface ServerChoice {
  readonly params: ServerParams;
  readonly itemsPerSec: number;
  readonly p95Ms: number | null;
  /** One sentence: what it reached, what the next step up would add and cost, how full the batcher ran. */
  readonly reason: string;
  /** The winner in the server's own terms (serverTermsKind says which); may span lines. */
  readonly serverTerms: string;
  readonly serverTermsKind: ServerTermsKind;
}

export interface ServerSweepReport extends ServerSweepFacts {
  /** Configurations launched (failed ones included) against gridConfigurations. */
  readonly runsSpent: number;
  readonly stepsRun: number;
  readonly scores: readonly ServerConfigScore[];
  /** Measured configurations no other beats on both p95 and items/s, by ascending items/s. */
  readonly pareto: readonly ServerConfigScore[];
  /** The highest-throughput configuration within budget; null when none met it. */
  readonly chosen: ServerChoice | null;
}
