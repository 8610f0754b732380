/**
 * bench:overhead — how much pipebench adds to the inference time it reports, per backend.
 *
 * One process, same model, batch, backend and instance: a raw loop of classify() (tokenize,
 * predict, `await data()`) run back to back inside the model instance with no harness around it,
 * against the same calls sent through the in-process target (batcher, messages, stamps; static
 * batches of exactly b). Both sides run in the same instance (a worker thread for wasm/cpu, a
 * child process for native TensorFlow). Short blocks alternate many times: on a shared VM the
 * per-call jitter is ~1 ms, and only fine interleaving lets drift hit both sides alike.
 * Goals: overhead <= 2 % at batch >= 8, <= 0.2 ms at batch 1.
 *
 *   npm run bench:overhead -- [--backends tensorflow,wasm,cpu] [--batch-sizes 1,8,32] [--calls 4] [--max-rounds 50] [--seconds 30]
 *
 * Each batch size gets up to --max-rounds alternations, fewer when they would take longer than
 * --seconds (large batches on a slow backend), and never fewer than 3. A backend that cannot
 * start here (native TensorFlow before `pipebench setup native`) is listed with its reason.
 */
import { parseArgs } from 'node:util';
import { epochNowMs } from '../core/clock.js';
import type { InProcessTarget } from '../targets/inprocess/target.js';
import { BUILTIN_CORPUS_PATH } from '../workload/defaults.js';
import { loadCorpus } from '../workload/corpus.js';
import { closeBenchTargets, parseBackends, startBenchTargets } from './bench-targets.js';
import { median } from './median.js';

const { values } = parseArgs({
  options: {
    backends: { type: 'string', default: 'tensorflow,wasm,cpu' },
    'batch-sizes': { type: 'string', default: '1,8,32' },
    calls: { type: 'string', default: '4' },
    'max-rounds': { type: 'string', default: '50' },
    seconds: { type: 'string', default: '30' },
  },
});
const batchSizes = values['batch-sizes'].split(',').map(Number);
const calls = Number(values.calls);
const maxRounds = Number(values['max-rounds']);
const budgetMs = Number(values.seconds) * 1000;
const MIN_ROUNDS = 3;
const WARM_CALLS = 4;

async function targetBlock(target: InProcessTarget, texts: readonly string[], n: number): Promise<{ inference: number[]; e2e: number[] }> {
  const inference: number[] = [];
  const e2e: number[] = [];
  for (let i = 0; i < n; i++) {
    const results = await target.submitBatch('classify', texts, epochNowMs());
    const first = results[0]!;
    if (!first.ok) throw new Error(`batch failed: ${first.errorClass ?? 'unknown'}`);
    inference.push(first.inferenceMs);
    e2e.push(first.tResponseMs - first.tArrivalMs);
  }
  return { inference, e2e };
}

async function measureBackend(target: InProcessTarget, corpusTexts: readonly string[]): Promise<void> {
  console.log(
    `\n${target.backend.name} (${target.backend.package}, ${target.backend.isolation}), ${calls} calls per block, blocks alternating up to ${maxRounds} times\n`,
  );
  console.log(
    '| batch | calls per side | raw p50 | pipebench inference p50 | overhead | overhead % | pipebench e2e p50 (round trip) | goal |',
  );
  console.log('| ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |');
  for (const b of batchSizes) {
    const texts = corpusTexts.slice(0, b);
    await target.configure('classify', { maxBatchSize: b, maxQueueDelayMs: 0, maxNewTokens: 1 });
    const warm = await target.timeRawClassify(texts, WARM_CALLS); // warm-up both sides; sizes the rounds
    const rounds = Math.max(MIN_ROUNDS, Math.min(maxRounds, Math.floor(budgetMs / (2 * calls * median(warm)))));
    await targetBlock(target, texts, WARM_CALLS);
    const raw: number[] = [];
    const inference: number[] = [];
    const e2e: number[] = [];
    for (let round = 0; round < rounds; round++) {
      raw.push(...(await target.timeRawClassify(texts, calls)));
      const measured = await targetBlock(target, texts, calls);
      inference.push(...measured.inference);
      e2e.push(...measured.e2e);
    }
    const rawP50 = median(raw);
    const infP50 = median(inference);
    const overheadMs = infP50 - rawP50;
    const overheadPct = (overheadMs / rawP50) * 100;
    const met = b === 1 ? overheadMs <= 0.2 : overheadPct <= 2;
    const goal = b === 1 ? '<= 0.2 ms' : '<= 2 %';
    console.log(
      `| ${b} | ${raw.length} | ${rawP50.toFixed(3)} ms | ${infP50.toFixed(3)} ms | ${overheadMs.toFixed(3)} ms | ${overheadPct.toFixed(2)} % | ` +
        `${median(e2e).toFixed(3)} ms | ${goal}: ${met ? 'met' : 'NOT met'} |`,
    );
  }
}

const targets = await startBenchTargets(parseBackends(values.backends));
const corpus = await loadCorpus(BUILTIN_CORPUS_PATH);
console.log(`bench:overhead: ${targets.started.map(({ target }) => target.backend.name).join(', ')}`);
for (const { backend, reason } of targets.skipped) console.log(`  skipped ${backend}: ${reason}`);
try {
  for (const { target } of targets.started)
    await measureBackend(
      target,
      corpus.entries.map((e) => e.text),
    );
} finally {
  await closeBenchTargets(targets);
}
