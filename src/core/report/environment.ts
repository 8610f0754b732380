/** report.json: where the run happened (machine, TF.js backend) and which target it drove. */

export interface BackendReport {
  readonly name: string; // "tensorflow" | "wasm" | "cpu"
  readonly package: string; // "@tensorflow/tfjs-node-gpu", "@tensorflow/tfjs-backend-wasm", ...
  readonly version: string;
  readonly threads: number | null;
  readonly simd: boolean | null;
  readonly gpu: boolean;
  /** Backends tried before this one, and why each was not used. */
  readonly skipped: readonly { readonly backend: string; readonly reason: string }[];
  readonly instances: number;
  readonly isolation: 'worker' | 'process';
}

export interface EnvironmentReport {
  readonly node: string;
  readonly platform: string;
  readonly arch: string;
  readonly hostname: string;
  readonly cpu: { readonly model: string; readonly cores: number; readonly physicalCores: number | null; readonly speedGHz: number | null };
  readonly memTotalBytes: number;
  readonly os: { readonly distro: string; readonly release: string; readonly kernel: string };
  readonly gitCommit: string | null;
  readonly pipebenchVersion: string;
}

/** Which target the run drove (secrets never appear: the URL carries no credentials). */
export interface TargetReport {
  readonly kind: 'inprocess' | 'http';
  readonly description: string;
  readonly url: string | null;
  readonly protocol: string | null;
}
