/**
 * `pipebench run [workload]`: its flags and help. The action (run-action.ts) is imported when the
 * command runs, so `--help` and the other commands never load the runner, targets and reports.
 */
import type { Command } from 'commander';
import type { CommandContext } from './context.js';
import { addRunPlanOptions, type RunFlags } from './run-flags.js';
import { SHARD_ENV } from './shard-flags.js';

export function registerRunCommand(program: Command, context: CommandContext): void {
  const command = program
    .command('run')
    .description('Sweep batch sizes per stage and for the pipeline; write report.json and report.md.')
    .argument('[workload]', 'workload YAML (default: workloads/default.yaml, or workloads/http.yaml with --target)');
  addRunPlanOptions(command)
    .option('--prometheus-port <[host:]port>', 'serve the live run on /metrics for Prometheus/Grafana (default host 127.0.0.1)')
    .option('--out-jsonl <file>', 'append one JSON line per 1-second window (and run start/end) as the run goes')
    .option('--run-id <id>', 'run id (default: UTC time and workload name)')
    .option('--gpu-trace <csv>', 'replay a recorded nvidia-smi trace as if live (demos, CPU-only CI)')
    .option('--gpu-interval <ms>', 'nvidia-smi sampling interval', '100ms')
    .option('--no-gpu', 'do not sample the GPU')
    .option('-q, --quiet', 'no progress output')
    .option(
      '--shard <i/N>',
      `drive shard i (from 0) of N: its share of every step, merged later by pipebench merge (env: ${SHARD_ENV.index} + ${SHARD_ENV.count})`,
    )
    .option(
      '--start-at <time>',
      `with --shard: start the first step at this ISO 8601 instant, e.g. 2026-12-05T22:00:00Z (env: ${SHARD_ENV.startAt})`,
    )
    .addHelpText(
      'after',
      `
Examples:
  pipebench run                                     built-in default workload
  pipebench run workloads/default.yaml --batch-sizes 1,4,16 --backend wasm --out /tmp/r1
  pipebench run workloads/quick.yaml --stages classify --requests 100
  pipebench run workloads/http-betterprompts.yaml --target http://127.0.0.1:8301
  pipebench run --target http://127.0.0.1:8001 --stage classify --concurrency 8 --requests 2000
  pipebench run --target http://127.0.0.1:8000 --protocol openai --rate 20 --arrivals poisson --duration 60s
  pipebench run --search --budgets workloads/budgets.yaml     largest batch size per stage within the budgets
  pipebench run --repeat 3 --out /tmp/r3                       three sweeps merged, with their spread
  pipebench run --scenario spike --schedule pr-smoke            the guide's spike, scaled to 5 minutes
  pipebench run --scenario stress --time-scale 0.05 --load-scale 0.25 --target http://127.0.0.1:8301`,
    )
    .action(async (workloadPath: string | undefined, flags: RunFlags) => {
      const { runCommand } = await import('./run-action.js');
      await runCommand(workloadPath, flags, context);
    });
}
