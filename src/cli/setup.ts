/**
 * `pipebench setup native`: build the native TensorFlow backend from source (or --check it). Flags
 * and help here; the action (setup-action.ts) is imported when it runs.
 */
import type { Command } from 'commander';
import { TESTED_TENSORFLOW } from '../setup/tested-tensorflow.js';
import type { CommandContext } from './context.js';
import type { NativeFlags } from './setup-action.js';

export function registerSetupCommand(program: Command, context: CommandContext): void {
  const setup = program.command('setup').description('Set up optional parts of pipebench');
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
      const { setupNativeCommand } = await import('./setup-action.js');
      await setupNativeCommand(flags, context);
    });
}
