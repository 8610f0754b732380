/** What every command's action shares: the process's streams, the interrupt signal, and the exit code it sets. */
import type { Command } from 'commander';
import type { CliIo } from './io.js';

export interface CommandContext {
  readonly io: CliIo;
  readonly signal: AbortSignal;
  /** Set by the command's action. */
  exitCode: number;
}

export type CommandRegistrar = (program: Command, context: CommandContext) => void;
