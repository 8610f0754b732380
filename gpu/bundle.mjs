#!/usr/bin/env node
/* global process, console */
/* eslint-disable no-console -- a script whose output is its result */
/**
 * Builds a self-contained copy of pipebench for a GPU node that has no npm registry: the CLI,
 * the model instance entry, the sampling-cost script's modules and bench:overhead, each bundled
 * with esbuild, beside the .wasm files, models/ and workloads/. Run after `npm run build`:
 *
 *   node gpu/bundle.mjs [out-dir]        (default .device/app; then: node <out>/dist/cli/bin.js run)
 *
 * Node itself must be there too (a copy of this machine's binary works on a glibc x86-64 node).
 */
import { build } from 'esbuild';
import { cpSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const out = resolve(process.argv[2] ?? join(root, '.device', 'app'));
const require = createRequire(import.meta.url);
const wasmDir = dirname(require.resolve('@tensorflow/tfjs-backend-wasm'));

// The wasm backend's loader expects CommonJS globals; an ESM bundle must define them.
const banner = [
  "import { createRequire as __pbCreateRequire } from 'node:module';",
  "import { fileURLToPath as __pbFileURLToPath } from 'node:url';",
  "import { dirname as __pbDirname } from 'node:path';",
  'const require = __pbCreateRequire(import.meta.url);',
  'const __filename = __pbFileURLToPath(import.meta.url);',
  'const __dirname = __pbDirname(__filename);',
].join('\n');

// Each bundle that starts model instances needs instance-main.js and the .wasm files beside it;
// the CLI's run also starts its server-metrics scraping worker from beside it.
const bundles = [
  ['dist/cli/bin.js', 'dist/cli/bin.js'],
  ['dist/targets/inprocess/instance-main.js', 'dist/cli/instance-main.js'],
  ['dist/telemetry/server-metrics/scrape-worker-main.js', 'dist/cli/scrape-worker-main.js'],
  ['dist/bench/overhead.js', 'dist/bench/overhead.js'],
  ['dist/targets/inprocess/instance-main.js', 'dist/bench/instance-main.js'],
  ['dist/telemetry/harness-health.js', 'dist/telemetry/harness-health.js'],
  ['dist/telemetry/gpu-replay.js', 'dist/telemetry/gpu-replay.js'],
  ['dist/telemetry/gpu-sampler.js', 'dist/telemetry/gpu-sampler.js'],
];

rmSync(out, { recursive: true, force: true });
for (const [from, to] of bundles) {
  await build({
    entryPoints: [join(root, from)],
    outfile: join(out, to),
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    banner: { js: banner },
    // Native backends cannot be bundled; they stay optional imports that fail and are skipped.
    external: ['@tensorflow/tfjs-node', '@tensorflow/tfjs-node-gpu'],
    logLevel: 'warning',
  });
}
for (const folder of ['dist/cli', 'dist/bench']) {
  for (const file of readdirSync(wasmDir).filter((f) => f.endsWith('.wasm'))) cpSync(join(wasmDir, file), join(out, folder, file));
}
for (const item of ['package.json', 'models', 'workloads', 'gpu/check.sh', 'gpu/sampling-cost.mjs', 'gpu/torch-classify-server.py']) {
  cpSync(join(root, item), join(out, item), { recursive: true });
}
mkdirSync(join(out, 'reports'), { recursive: true });
console.log(`bundled pipebench into ${out}`);
