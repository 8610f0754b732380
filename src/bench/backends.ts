/**
 * bench:backends — the same model on each TF.js backend, in one run: native TensorFlow
 * (tfjs-node, built by `pipebench setup native`), wasm and the pure-JS cpu backend.
 *
 * For each batch size, each backend's model instance times back-to-back classify() calls
 * (tokenize, predict, `await data()`) inside itself, with no harness around them. Backends take
 * turns in short blocks, so drift on a shared machine hits them alike. Reports p50 per call,
 * items/s, and each backend's time as a multiple of the first backend's.
 *
 *   npm run bench:backends -- [--backends tensorflow,wasm,cpu] [--batch-sizes 1,8,32] [--calls 3] [--seconds 20]
 *
 * Each batch size gets up to --seconds of blocks in all (never fewer than 3 per backend).
 */
import { parseArgs } from 'node:util';
import { BUILTIN_CORPUS_PATH } from '../workload/defaults.js';
import { loadCorpus } from '../workload/corpus.js';
import { closeBenchTargets, parseBackends, startBenchTargets } from './bench-targets.js';
import { median } from './median.js';

const { values } = parseArgs({
  options: {
    backends: { type: 'string', default: 'tensorflow,wasm,cpu' },
    'batch-sizes': { type: 'string', default: '1,8,32' },
    calls: { type: 'string', default: '3' },
    seconds: { type: 'string', default: '20' },
  },
});
const batchSizes = values['batch-sizes'].split(',').map(Number);
const calls = Number(values.calls);
const budgetMs = Number(values.seconds) * 1000;
const MIN_BLOCKS = 3;

const targets = await startBenchTargets(parseBackends(values.backends));
const corpus = await loadCorpus(BUILTIN_CORPUS_PATH);
const names = targets.started.map(({ target }) =>
  target.backend.name === 'tensorflow'
    ? `${target.backend.name} (${target.backend.native?.tensorflowVersion ?? '?'})`
    : target.backend.name,
);
console.log(`bench:backends: intent-classifier, ${calls} calls per block; backends: ${names.join(', ')}`);
for (const { backend, reason } of targets.skipped) console.log(`  skipped ${backend}: ${reason}`);
if (targets.started.length === 0) process.exit(1);
const [base, ...others] = names;
console.log('');
console.log(
  `| batch | ${names.map((n) => `${n} p50`).join(' | ')} | ${names.map((n) => `${n} items/s`).join(' | ')} | ${others.map((n) => `${n} / ${base}`).join(' | ')} |`,
);
console.log(`| ---: | ${[...names, ...names, ...others].map(() => '---:').join(' | ')} |`);
try {
  for (const b of batchSizes) {
    const texts = corpus.entries.slice(0, b).map((e) => e.text);
    const timings = targets.started.map(() => [] as number[]);
    // Warm-up: a first call at a new shape is a cold start, not a sample.
    for (const { target } of targets.started) await target.timeRawClassify(texts, 2);
    const started = performance.now();
    for (let block = 0; block < MIN_BLOCKS || performance.now() - started < budgetMs; block++) {
      for (const [i, { target }] of targets.started.entries()) timings[i]!.push(...(await target.timeRawClassify(texts, calls)));
    }
    const p50s = timings.map(median);
    const baseP50 = p50s[0]!;
    const cells = [
      ...p50s.map((ms) => `${ms.toFixed(2)} ms`),
      ...p50s.map((ms) => ((b * 1000) / ms).toFixed(0)),
      ...p50s.slice(1).map((ms) => `${(ms / baseP50).toFixed(2)}x`),
    ];
    console.log(`| ${b} | ${cells.join(' | ')} |`);
  }
} finally {
  await closeBenchTargets(targets);
}
