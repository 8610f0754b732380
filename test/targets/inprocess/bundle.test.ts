import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';
import { afterAll, describe, expect, it } from 'vitest';

// The engine must travel as a bundle (a container, a GPU node) with the .wasm files beside it and
// no node_modules: bundle the built host and instance entry with esbuild and run them from /tmp.
const root = resolve(import.meta.dirname, '../../..');
const out = mkdtempSync(join(tmpdir(), 'pipebench-bundle-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

// The emscripten glue of tfjs-backend-wasm expects CommonJS globals.
const banner = [
  "import { createRequire as __cr } from 'node:module';",
  "import { fileURLToPath as __fu } from 'node:url';",
  "import { dirname as __dn } from 'node:path';",
  'const require = __cr(import.meta.url);',
  'const __filename = __fu(import.meta.url);',
  'const __dirname = __dn(__filename);',
].join(' ');

describe('bundled in-process engine', () => {
  it('finds the .wasm files beside the bundle and runs a classify batch without node_modules', async () => {
    writeFileSync(
      join(out, 'entry.mjs'),
      `import { createInProcessTarget } from ${JSON.stringify(join(root, 'dist/targets/inprocess/create-target.js'))};
import { epochNowMs } from ${JSON.stringify(join(root, 'dist/core/clock.js'))};
const target = await createInProcessTarget({ backend: 'auto', instances: 1,
  models: { classify: { kind: 'dir', dir: new URL('./intent-classifier', import.meta.url).pathname } } });
const results = await target.submitBatch('classify', ['write a haiku', 'sort a list'], epochNowMs());
await target.close();
process.stdout.write(JSON.stringify({ backend: target.backend, ok: results.map((r) => r.ok) }));
`,
    );
    const common = { bundle: true, platform: 'node', format: 'esm', banner: { js: banner }, logLevel: 'silent' } as const;
    await build({ ...common, entryPoints: [join(out, 'entry.mjs')], outfile: join(out, 'app', 'bench.mjs') });
    await build({
      ...common,
      entryPoints: [join(root, 'dist/targets/inprocess/instance-main.js')],
      outfile: join(out, 'app', 'instance-main.js'),
    });
    const wasmDist = join(root, 'node_modules/@tensorflow/tfjs-backend-wasm/dist');
    for (const file of readdirSync(wasmDist).filter((f) => f.endsWith('.wasm'))) cpSync(join(wasmDist, file), join(out, 'app', file));
    cpSync(join(root, 'models/intent-classifier'), join(out, 'app', 'intent-classifier'), { recursive: true });
    writeFileSync(join(out, 'app', 'package.json'), '{"type":"module"}');

    const run = spawnSync(process.execPath, [join(out, 'app', 'bench.mjs')], { cwd: out, encoding: 'utf8', timeout: 60_000 });
    expect(run.stderr).toBe('');
    const result = JSON.parse(run.stdout) as { backend: { name: string; skipped: { backend: string }[] }; ok: boolean[] };
    expect(result.backend.name).toBe('wasm');
    expect(result.backend.skipped.map((s) => s.backend)).toEqual(['tensorflow-gpu', 'tensorflow']);
    expect(result.ok).toEqual([true, true]);
  });
});
