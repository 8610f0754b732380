/** `pipebench setup native`'s action: --check reports readiness; otherwise build, reporting each step on stderr. */ import { resolve } from 'node:path';
import { ExitCode, InputError } from '../errors.js';
import { PACKAGE_ROOT } from '../package-root.js';
import { checkNative } from '../setup/check-native.js';
import type { SourceChoice } from '../setup/library-source.js';
import { setupNative } from '../setup/setup-native.js';
import { TESTED_TENSORFLOW } from '../setup/tested-tensorflow.js';
import { renderCheckOutcome, renderSetupOutcome } from '../setup/setup-summary.js';
import { modelCacheDir } from '../targets/inprocess/model-specs.js';
import type { CommandContext } from './context.js';

export interface NativeFlags {
  readonly gpu?: boolean;
  readonly fromWheel?: string;
  readonly fromPython?: string | true;
  readonly check?: boolean;
  readonly allowNoGpu?: boolean;
}

export async function setupNativeCommand(flags: NativeFlags, context: CommandContext): Promise<void> {
  const { io } = context;
  const env = { ...io.env };
  const gpu = flags.gpu === true;
  if (flags.allowNoGpu && !gpu) throw new InputError('--allow-no-gpu', 'only goes with --gpu');
  const cacheDir = modelCacheDir(io.env);
  if (flags.check) {
    if (flags.fromWheel !== undefined || flags.fromPython !== undefined)
      throw new InputError('--check', 'only reports: it takes no --from-wheel or --from-python');
    const outcome = await checkNative(gpu, PACKAGE_ROOT, { allowNoGpu: flags.allowNoGpu === true, cacheDir });
    io.stdout.write(renderCheckOutcome(outcome));
    context.exitCode = outcome.ready ? ExitCode.ok : ExitCode.internal;
    return;
  }
  const started = performance.now();
  const source = sourceChoice(flags, io.cwd);
  let outcome;
  try {
    outcome = await setupNative({
      gpu,
      source,
      allowNoGpu: flags.allowNoGpu === true,
      projectDir: PACKAGE_ROOT,
      cacheDir,
      env,
      onProgress: (step, message) => void io.stderr.write(`setup native [${step}] ${message}\n`),
    });
  } catch (error) {
    // Ctrl-C reaches the step's own processes too (same process group): their failure is the interruption.
    if (!context.signal.aborted) throw error;
    io.stderr.write('pipebench: setup native: interrupted; run it again to finish (a partial build is redone)\n');
    context.exitCode = ExitCode.interrupted;
    return;
  }
  io.stdout.write(renderSetupOutcome(outcome, performance.now() - started));
}

function sourceChoice(flags: NativeFlags, cwd: string): SourceChoice {
  if (flags.fromWheel !== undefined && flags.fromPython !== undefined) {
    throw new InputError('--from-python', 'cannot be combined with --from-wheel: give one source of the TensorFlow library');
  }
  if (flags.fromWheel !== undefined) return { kind: 'wheel', path: resolve(cwd, flags.fromWheel) };
  if (flags.fromPython !== undefined) return { kind: 'python', python: flags.fromPython === true ? 'python3' : flags.fromPython };
  return { kind: 'index', version: TESTED_TENSORFLOW };
}
