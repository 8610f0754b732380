/** Runs one of setup's Python scripts and reads the JSON object it prints. */
import { describeFailure, runCommand } from '../telemetry/run-command.js';
import { SetupError, type SetupStep } from './setup-error.js';

const PYTHON_TIMEOUT_MS = 15 * 60_000;

export type PythonOutcome<T> =
  { readonly kind: 'ok'; readonly value: T } | { readonly kind: 'not-found' } | { readonly kind: 'failed'; readonly reason: string };

export async function runPythonJson<T>(
  python: string,
  script: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv,
): Promise<PythonOutcome<T>> {
  const outcome = await runCommand(python, ['-c', script, ...args], { env, timeoutMs: PYTHON_TIMEOUT_MS });
  if (outcome.kind === 'spawn-failed' && outcome.errorCode === 'ENOENT') return { kind: 'not-found' };
  if (outcome.kind !== 'exited' || outcome.code !== 0)
    return { kind: 'failed', reason: describeFailure(python, outcome, PYTHON_TIMEOUT_MS) };
  const last = outcome.stdout.trim().split('\n').at(-1) ?? '';
  try {
    return { kind: 'ok', value: JSON.parse(last) as T };
  } catch {
    return { kind: 'failed', reason: `${python} printed no JSON (got "${last.slice(0, 200)}")` };
  }
}

/** The outcome's value, or a SetupError for the step that needed it. */
export function pythonValue<T>(step: SetupStep, python: string, outcome: PythonOutcome<T>): T {
  if (outcome.kind === 'ok') return outcome.value;
  if (outcome.kind === 'not-found') {
    throw new SetupError(
      step,
      `${python} not found on PATH`,
      'install Python 3 (node-gyp needs it too) or name it with PYTHON=/path/to/python3',
    );
  }
  throw new SetupError(step, outcome.reason, 'check that this Python runs, or name another with PYTHON=/path/to/python3');
}
