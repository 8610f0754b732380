/**
 * A failed `pipebench setup native` step: one line naming the step, what went wrong and what to do.
 * Input the user can fix (a wheel that is missing or for another platform, flags that conflict)
 * exits 2; a machine that cannot build or run the addon exits 3.
 */
import { ExitCode, PipebenchError } from '../errors.js';

export const SETUP_STEPS = ['locate', 'package', 'toolchain', 'libraries', 'build', 'verify'] as const;
export type SetupStep = (typeof SETUP_STEPS)[number];

export class SetupError extends PipebenchError {
  readonly step: SetupStep;
  readonly problem: string;
  readonly fix: string;
  constructor(step: SetupStep, problem: string, fix: string, exitCode: ExitCode = ExitCode.internal) {
    super(`setup native: step "${step}" failed: ${problem}; ${fix}`, exitCode);
    this.step = step;
    this.problem = problem;
    this.fix = fix;
  }
}

/** A setup failure the user fixes by giving other input: exit 2. */
export function badSetupInput(step: SetupStep, problem: string, fix: string): SetupError {
  return new SetupError(step, problem, fix, ExitCode.badInput);
}
