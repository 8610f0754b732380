/**
 * The one process boundary: main(argv, io) -> exit code. Commands are thin: parse flags into typed
 * options, call the library, map the outcome to an exit code. Errors we expect are printed as one
 * line without a stack; anything else is an internal failure (exit 3).
 */
import { Command, CommanderError } from 'commander';
import { ExitCode, PipebenchError, toError } from '../errors.js';
import type { CliIo } from './io.js';
import { registerCompareCommand } from './compare.js';
import { registerGpuCommands } from './gpu.js';
import { registerReportCommand } from './report.js';
import { registerRunCommand } from './run.js';
import { registerServeCommand } from './serve.js';
import { registerSetupCommand } from './setup.js';
import { packageVersion } from '../package-root.js';

export interface CommandContext {
  readonly io: CliIo;
  readonly signal: AbortSignal;
  /** Set by the command's action. */
  exitCode: number;
}

export type CommandRegistrar = (program: Command, context: CommandContext) => void;

const COMMANDS: readonly CommandRegistrar[] = [registerRunCommand, registerServeCommand, registerCompareCommand, registerReportCommand, registerGpuCommands, registerSetupCommand];

export async function main(argv: readonly string[], io: CliIo, signal: AbortSignal = new AbortController().signal): Promise<number> {
  const context: CommandContext = { io, signal, exitCode: ExitCode.ok };
  const program = new Command()
    .name('pipebench')
    .description('Benchmark an ML inference pipeline (classify -> choose techniques -> generate) across batch sizes.')
    .version(packageVersion(), '-V, --version')
    .exitOverride()
    .showHelpAfterError('(run with --help for usage)')
    .configureOutput({
      writeOut: (s) => void io.stdout.write(s),
      writeErr: (s) => void io.stderr.write(s),
    })
    .addHelpText(
      'after',
      `
Exit codes:
  0  every stage met its budget        2  bad input or usage (names the file, field or flag)
  1  a budget was not met              3  internal failure or target unavailable
  130/143  interrupted by SIGINT/SIGTERM (outputs written, marked partial)`,
    );
  for (const register of COMMANDS) register(program, context);
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return context.exitCode;
  } catch (error) {
    return reportFailure(error, io);
  }
}

function reportFailure(error: unknown, io: CliIo): number {
  if (error instanceof CommanderError) {
    // Help and version end with exitCode 0; usage errors were already printed by commander.
    return error.exitCode === 0 ? ExitCode.ok : ExitCode.badInput;
  }
  if (error instanceof PipebenchError) {
    io.stderr.write(`pipebench: ${error.message}\n`);
    return error.exitCode;
  }
  const err = toError(error);
  io.stderr.write(`pipebench: internal error: ${err.message}\n`);
  if (io.env['PIPEBENCH_DEBUG']) io.stderr.write(`${err.stack ?? ''}\n`);
  return ExitCode.internal;
}
