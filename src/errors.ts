/**
 * Exit codes are part of the CLI contract (README "Exit codes"); CI jobs branch on them.
 */
export const ExitCode = {
  ok: 0,
  budgetNotMet: 1,
  badInput: 2,
  internal: 3,
  interrupted: 130, // SIGINT, after writing what was measured
  terminated: 143, // SIGTERM, after writing what was measured
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

export interface PipebenchErrorOptions {
  readonly cause?: unknown;
  /** Context beyond the one-line message (a YAML code frame): cli prints it only with --verbose. */
  readonly detail?: string;
}

/** Base class for failures we expect and can explain; cli prints `message` (one line) without a stack. */
export class PipebenchError extends Error {
  readonly exitCode: ExitCode;
  readonly detail: string | undefined;
  constructor(message: string, exitCode: ExitCode, options?: PipebenchErrorOptions) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.exitCode = exitCode;
    this.detail = options?.detail;
  }
}

/** Bad flags, workloads, model folders, budgets: the user can fix it. `where` names the file/field/flag. */
export class InputError extends PipebenchError {
  readonly where: string;
  constructor(where: string, message: string, options?: PipebenchErrorOptions) {
    super(`${where}: ${message}`, ExitCode.badInput, options);
    this.where = where;
  }
}

/** The target (model backend, worker, HTTP service) cannot be reached or started. */
export class TargetUnavailableError extends PipebenchError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, ExitCode.internal, options);
  }
}

/** A bug or an environment failure we did not anticipate. */
export class InternalError extends PipebenchError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, ExitCode.internal, options);
  }
}

/** Normalise anything thrown into an Error (a thrown string, a worker's serialised error, ...). */
export function toError(value: unknown): Error {
  if (value instanceof Error) return value;
  if (typeof value === 'object' && value !== null && 'message' in value) {
    return new Error(String((value as { message: unknown }).message));
  }
  return new Error(String(value));
}
