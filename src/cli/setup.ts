/** `pipebench setup native`: build the native TensorFlow backend from source (or --check it). */
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { ExitCode, InputError } from '../errors.js';
import { PACKAGE_ROOT } from '../package-root.js';
import { checkNative } from '../setup/check-native.js';
import type { SourceChoice } from '../setup/library-source.js';
import { setupNative, TESTED_TENSORFLOW } from '../setup/setup-native.js';
import { renderCheckOutcome, renderSetupOutcome } from '../setup/setup-summary.js';
import { modelCacheDir } from '../targets/inprocess/model-specs.js';
import type { CommandContext } from './context.js';

interface NativeFlags {
  readonly gpu?: boolean;
  readonly fromWheel?: string;
  readonly fromPython?: string | true;
  readonly check?: boolean;
  readonly allowNoGpu?: boolean;
}

export function registerSetupCommand(program: Command, context: CommandContext): void {
  const setup = program.command('setup').description('Set up optional parts of pipebench');
  const { io } = context;
  setup
    .command('native')
    .description(
      `build @tensorflow/tfjs-node (--gpu: -gpu) from source against a TensorFlow C library (default: ${TESTED_TENSORFLOW} from pip's index)`,
    )
    .option('--gpu', 'build @tensorflow/tfjs-node-gpu against a CUDA build of TensorFlow')
    .option('--from-wheel <file>', 'take the library from this TensorFlow wheel (any Python version)')
    .option('--from-python [python]', 'take the library from the tensorflow package installed for this Python (default python3)')
    .option('--check', 'only report whether the native backend is ready (exit 0) or not (exit 3)')
    .option('--allow-no-gpu', 'with --gpu: accept a machine where TensorFlow sees no GPU (an image build)')
    .action(async (flags: NativeFlags) => {
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
    });
}

function sourceChoice(flags: NativeFlags, cwd: string): SourceChoice {
  if (flags.fromWheel !== undefined && flags.fromPython !== undefined) {
    throw new InputError('--from-python', 'cannot be combined with --from-wheel: give one source of the TensorFlow library');
  }
  if (flags.fromWheel !== undefined) return { kind: 'wheel', path: resolve(cwd, flags.fromWheel) };
  if (flags.fromPython !== undefined) return { kind: 'python', python: flags.fromPython === true ? 'python3' : flags.fromPython };
  return { kind: 'index', version: TESTED_TENSORFLOW };
}
