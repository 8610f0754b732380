/**
 * The one process boundary: main(argv, io) -> exit code. Commands are thin: parse flags into typed
 * options, call the library, map the outcome to an exit code. Errors we expect are printed as one
 * line without a stack; anything else is an internal failure (exit 3).
 */
import { Command, CommanderError } from 'commander';
import { ExitCode, PipebenchError, toError } from '../errors.js';
import type { CliIo } from './io.js';
import type { CommandContext, CommandRegistrar } from './context.js';
import { registerCompareCommand } from './compare.js';
import { registerGpuCommands } from './gpu.js';
import { registerMergeCommand } from './merge.js';
import { registerReportCommand } from './report.js';
import { registerRunCommand } from './run.js';
import { registerServeCommand } from './serve.js';
import { registerSetupCommand } from './setup.js';
import { packageVersion } from '../package-root.js';
import { maskUrlCredentials } from '../url-credentials.js';

const COMMANDS: readonly CommandRegistrar[] = [
  registerRunCommand,
  registerServeCommand,
  registerCompareCommand,
  registerReportCommand,
  registerMergeCommand,
  registerGpuCommands,
  registerSetupCommand,
];

export async function main(argv: readonly string[], io: CliIo, signal: AbortSignal = new AbortController().signal): Promise<number> {
  const context: CommandContext = { io, signal, exitCode: ExitCode.ok };
  const program = new Command()
    .name('pipebench')
    .description('Benchmark an ML inference pipeline (classify -> choose techniques -> generate) across batch sizes.')
    .version(packageVersion(), '-V, --version')
    .option('--verbose', "on an error, also print its context (a YAML code frame; an internal error's stack)")
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
    const verbose = program.opts<{ verbose?: boolean }>().verbose === true || Boolean(io.env['PIPEBENCH_DEBUG']);
    return reportFailure(error, io, verbose);
  }
}

/** One line on stderr; with --verbose, the error's context below it. */
function reportFailure(error: unknown, io: CliIo, verbose: boolean): number {
  if (error instanceof CommanderError) {
    // Help and version end with exitCode 0; usage errors were already printed by commander.
    return error.exitCode === 0 ? ExitCode.ok : ExitCode.badInput;
  }
  // Every message may quote a URL a user typed; user:password never reaches stderr, whoever built the message.
  if (error instanceof PipebenchError) {
    const [head = '', ...rest] = error.message.split('\n');
    io.stderr.write(`pipebench: ${maskUrlCredentials(head)}\n`);
    const context = [...rest, ...(error.detail === undefined ? [] : [error.detail])].join('\n').replace(/^\n+|\s+$/g, '');
    if (verbose && context !== '') io.stderr.write(`${maskUrlCredentials(context)}\n`);
    return error.exitCode;
  }
  const err = toError(error);
  io.stderr.write(`pipebench: internal error: ${maskUrlCredentials(err.message.split('\n', 1)[0] ?? '')}\n`);
  if (verbose) io.stderr.write(`${maskUrlCredentials(err.stack ?? '')}\n`);
  return ExitCode.internal;
}
