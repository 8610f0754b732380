/** report.md for sharded runs: a shard's place in its header line; a merged run's per-shard figures beside the merged ones. */
import { formatMs, formatRate } from '../../format.js';
import type { RunReport } from '../../core/report/run.js';
import type { ShardReport } from '../../core/report/shard.js';

/** "- Shard: 1 of 4 (start skew 3.2 ms; clock offset -120 ms +-510 ms)", or '' for an unsharded run. */
export function shardLine(report: RunReport): string {
  const shard = report.shard;
  if (shard === undefined || shard === null) return '';
  return `- Shard: ${shard.index} of ${shard.of} (index from 0; ${timing(shard)})`;
}

/** Merged runs: one row per shard and step, so an unequal shard is visible. */
export function shardsSection(report: RunReport): string {
  const shards = report.shards;
  if (shards === undefined || shards === null || shards.length === 0) return '';
  const lines = [
    '## Shards',
    '',
    `Merged from ${shards.length} shard runs: every step's histograms added, counts summed, throughput over the common window. Each shard's own figures:`,
    '',
    '| shard | run id | step | items | errors | items/s | p95 e2e | start skew | clock offset |',
    '| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const shard of shards)
    for (const step of shard.steps)
      lines.push(
        `| ${shard.index} | \`${shard.runId}\` | ${step.index} | ${step.completed} | ${step.errors} | ${formatRate(step.itemsPerSec)} | ${step.e2eP95Ms === null ? '-' : formatMs(step.e2eP95Ms)} | ${shard.startSkewMs === null ? '-' : formatMs(shard.startSkewMs)} | ${offset(shard)} |`,
      );
  return lines.join('\n');
}

function timing(shard: ShardReport): string {
  const skew = shard.startSkewMs === null ? 'no --start-at' : `start skew ${formatMs(shard.startSkewMs)} after ${shard.startAt}`;
  return `${skew}; clock offset ${offset(shard)}`;
}

function offset(shard: ShardReport): string {
  return shard.clockOffset === null ? 'unknown' : `${formatMs(shard.clockOffset.offsetMs)} +-${formatMs(shard.clockOffset.uncertaintyMs)}`;
}
