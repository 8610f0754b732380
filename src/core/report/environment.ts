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
  /** The native backends only: the TensorFlow C library underneath and what it sees. */
  readonly native?: NativeBackendInfo;
}

/** A device as TensorFlow lists it, e.g. "/job:localhost/replica:0/task:0/device:GPU:0". */
export interface NativeDevice {
  readonly name: string;
  readonly type: string;
  readonly memoryBytes: number;
}

export interface NativeBackendInfo {
  /** TF_Version() of the loaded library, e.g. "2.21.0". */
  readonly tensorflowVersion: string | null;
  /** Whether the library is a CUDA build, and the CUDA and cuDNN it was built for; null when unknown. */
  readonly cudaBuild: boolean | null;
  readonly cudaVersion: string | null;
  readonly cudnnVersion: string | null;
  /** Devices TensorFlow sees; null when the probe pipebench setup builds is missing. */
  readonly devices: readonly NativeDevice[] | null;
  /** "pipebench setup native from <source>", or null for a package installed some other way. */
  readonly builtFrom: string | null;
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
  /**
   * HTTP only: the health route that answered the preflight, and those tried before it that are not
   * there; null when the check was skipped. Absent for in-process targets (and in older reports).
   */
  readonly health?: HealthAnswer | null;
}

/** Which health route answered an HTTP target's preflight, as report.json and the progress line show it. */
export interface HealthAnswer {
  /** The route as shown: a path on the target, or the full URL when it is on another origin. */
  readonly route: string;
  /** Routes tried before it that are not there, e.g. "/api/v1/health: HTTP 404". */
  readonly passedOver: readonly string[];
}

/** "GET /health/ answered (not there: /api/v1/health: HTTP 404, /health: HTTP 307)". */
export function describeHealth(health: HealthAnswer): string {
  const passed = health.passedOver.length === 0 ? '' : ` (not there: ${health.passedOver.join(', ')})`;
  return `GET ${health.route} answered${passed}`;
}
