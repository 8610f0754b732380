/**
 * `pipebench gpu info | record | summarize`: the GPU telemetry on its own, outside a run. Flags and
 * help here; the actions (gpu-action.ts) are imported when one runs.
 */
import type { Command } from 'commander';
import type { GpuRecordFlags, GpuSummarizeFlags } from './gpu-action.js';
import type { CommandContext } from './context.js';

export function registerGpuCommands(program: Command, context: CommandContext): void {
  const gpu = program.command('gpu').description('GPU inventory, recording and trace summaries from nvidia-smi');

  gpu
    .command('info')
    .description('driver, CUDA version and each GPU (from nvidia-smi -q -x)')
    .option('--json', 'print JSON')
    .action(async (flags: { json?: boolean }) => (await import('./gpu-action.js')).gpuInfo(flags, context));

  gpu
    .command('record')
    .description('record nvidia-smi samples to a CSV trace until Ctrl-C or --duration')
    .requiredOption('--out <csv>', 'trace file to write')
    .option('--duration <d>', 'stop after this long, e.g. 60s')
    .option('--interval <ms>', 'sampling interval', '100ms')
    .action(async (flags: GpuRecordFlags) => (await import('./gpu-action.js')).gpuRecord(flags, context));

  gpu
    .command('summarize')
    .description('aggregate a recorded trace over a window: the same numbers a run reports per step')
    .argument('<trace.csv>', 'a trace from `pipebench gpu record` or nvidia-smi --query-gpu ... --format=csv -lms N')
    .option('--from <time>', 'window start, ISO 8601 (e.g. 2026-11-26T18:49:00.100; no zone = the trace clock)')
    .option('--to <time>', 'window end, ISO 8601')
    .option('--items <n>', 'items completed in the window, for energy per item')
    .option('--json', 'print JSON')
    .action(async (tracePath: string, flags: GpuSummarizeFlags) =>
      (await import('./gpu-action.js')).gpuSummarize(tracePath, flags, context),
    );
}
