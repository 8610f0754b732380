/**
 * Input that used to pass when it should not, and messages a user could not act on (issue 12):
 * each case runs the built CLI on real files in a temp dir and checks the exit code and the one
 * line it prints.
 */
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunReport } from '../../src/core/report/run.js';
import { FIXTURES, runCli } from './cli-process.js';

const MODELS = join(import.meta.dirname, '..', 'fixtures', 'models');

/** A stack trace line, which users must never see for input errors. */
const STACK_LINE = /^\s+at /m;

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'pipebench-bad-input-'));
  cpSync(join(FIXTURES, 'prompts.jsonl'), join(dir, 'prompts.jsonl'));
});

/** A short in-process classify workload in the temp dir; `extra` adds or replaces top-level lines. */
function workload(name: string, extra: Record<string, string> = {}): string {
  const lines: Record<string, string> = {
    name,
    corpus: '{ path: prompts.jsonl }',
    warmup: '{ requests: 2 }',
    measure: '{ requests: 6, maxDuration: 20s }',
    stability: 'false',
    stages: '[{ stage: classify, batchSizes: [2] }]',
    ...extra,
  };
  const path = join(dir, `${name}.yaml`);
  writeFileSync(
    path,
    Object.entries(lines)
      .map(([key, value]) => `${key}: ${value}`)
      .join('\n'),
  );
  return path;
}

/** A copy of a fixture model in the temp dir, its manifest.json changed by `edit`. */
function modelCopy(fixture: string, copyName: string, edit: (manifest: Record<string, unknown>) => void = () => undefined): string {
  const modelDir = join(dir, copyName);
  cpSync(join(MODELS, fixture), modelDir, { recursive: true });
  const manifestPath = join(modelDir, 'manifest.json');
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as Record<string, unknown>;
  edit(manifest);
  writeFileSync(manifestPath, JSON.stringify(manifest, null, 2));
  return modelDir;
}

function run(args: readonly string[]) {
  return runCli(['run', ...args, '--backend', 'wasm', '--no-gpu', '-q']);
}

describe('workload files', () => {
  it('a YAML alias bomb exits 2 naming the file, not 3 "internal error"', async () => {
    const levels = ['a: &a [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 9; i++) {
      const [name, previous] = [String.fromCharCode(97 + i), String.fromCharCode(96 + i)];
      levels.push(`${name}: &${name} [${Array.from({ length: 10 }, () => `*${previous}`).join(', ')}]`);
    }
    const path = join(dir, 'bomb.yaml');
    writeFileSync(path, `${levels.join('\n')}\n`);
    const result = await run([path]);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      `pipebench: ${path}: invalid YAML: its aliases (*name) expand past the limit of 100 (a workload needs only a few; is this an alias bomb?)\n`,
    );
  });

  it('malformed YAML is one line on stderr; --verbose adds the code frame', async () => {
    const path = join(FIXTURES, 'malformed.yaml');
    const plain = await run([path]);
    expect(plain.code).toBe(2);
    expect(plain.stderr).toBe(
      `pipebench: ${path}:4:3: invalid YAML: Flow sequence in block collection must be sufficiently indented and end with a ]\n`,
    );
    const verbose = await run([path, '--verbose']);
    expect(verbose.code).toBe(2);
    expect(verbose.stderr).toBe(`${plain.stderr}  - { stage: classify, batchSizes: [1, 2\n  - { stage: generate }\n  ^\n`);
    expect(verbose.stderr).not.toMatch(STACK_LINE);
  });

  it('a corpus with a 0xFF byte on line 3 exits 2 naming file:3, instead of running on U+FFFD', async () => {
    const corpus = join(dir, 'latin1.jsonl');
    writeFileSync(
      corpus,
      Buffer.concat([Buffer.from('{"text":"one"}\n{"text":"two"}\n{"text":"caf'), Buffer.from([0xff]), Buffer.from(' au lait"}\n')]),
    );
    const result = await run([workload('latin1-corpus', { corpus: '{ path: latin1.jsonl }' }), '--out', join(dir, 'out-latin1')]);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(`pipebench: ${corpus}:3: expected UTF-8 text, got byte 0xFF at column 13 (save the file as UTF-8)\n`);
  });
});

describe('model manifests are checked against the model when it loads', () => {
  it.each([
    ['graph', 'sentiment-graph', '"input_ids"'],
    ['layers', 'sentiment-layers', '"embedding_input"'],
  ])('a %s model whose inputs[0].name is wrong exits 2 naming it and the names the model has', async (format, fixture, has) => {
    const modelDir = modelCopy(fixture, `wrong-input-${format}`, (m) => {
      (m['inputs'] as { name: string }[])[0]!.name = 'ids';
    });
    const result = await run([
      workload(`wrong-input-${format}`, { models: `{ classifier: ./wrong-input-${format} }` }),
      '--out',
      join(dir, `out-input-${format}`),
    ]);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      `pipebench: ${join(modelDir, 'manifest.json')}: inputs[0].name: expected the name of one of the model's inputs (${has}), got "ids"\n`,
    );
  });

  it('3 labels for a 2-way output exits 2 naming labels', async () => {
    const modelDir = modelCopy('sentiment-graph', 'three-labels', (m) => {
      m['labels'] = ['negative', 'neutral', 'positive'];
    });
    const result = await run([workload('three-labels', { models: '{ classifier: ./three-labels }' }), '--out', join(dir, 'out-labels')]);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      `pipebench: ${join(modelDir, 'manifest.json')}: labels: expected 2 labels (one per column of the model's output), got 3\n`,
    );
  });

  it("a model that fails on some items puts the first model_error's text in the warnings", async () => {
    // The tokenizer knows a word whose id (40) is past the model's 30 embedding rows: the load
    // check passes (its probe text has no such word), and every prompt with the word fails.
    const modelDir = modelCopy('sentiment-graph', 'oob-token');
    const tokenizerPath = join(modelDir, 'tokenizer.json');
    const tokenizer = JSON.parse(readFileSync(tokenizerPath, 'utf8')) as { model: { vocab: Record<string, number> } };
    tokenizer.model.vocab['prompt'] = 40;
    writeFileSync(tokenizerPath, JSON.stringify(tokenizer));
    writeFileSync(join(dir, 'oob.jsonl'), '{"text":"this prompt was great"}\n{"text":"a prompt"}\n');
    const out = join(dir, 'out-oob');
    const result = await run([
      workload('oob-token', { corpus: '{ path: oob.jsonl }', models: '{ classifier: ./oob-token }' }),
      '--out',
      out,
    ]);
    expect(result.code).toBe(1);
    const warning = 'first model_error error: GatherV2: the index value 40 is not in [0, 29]';
    expect(result.stdout).toContain(`warning: ${warning}`);
    const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as RunReport;
    expect(report.warnings).toContain(warning);
    expect(readFileSync(join(out, 'report.md'), 'utf8')).toContain(`- ${warning}`);
  });

  it('workload and model names with <script> and | are escaped in report.md', async () => {
    modelCopy('sentiment-graph', 'hostile-name', (m) => {
      m['name'] = '<script>alert(1)</script>|sentiment';
    });
    const out = join(dir, 'out-escape');
    const result = await run([
      workload('escape', { name: '"<script>alert(2)</script> | pipes"', models: '{ classifier: ./hostile-name }' }),
      '--out',
      out,
    ]);
    expect(result.code).toBe(0);
    const md = readFileSync(join(out, 'report.md'), 'utf8');
    expect(md).not.toContain('<script>');
    expect(md).toContain('- Workload: &lt;script>alert(2)&lt;/script> \\| pipes (');
    expect(md).toMatch(/^\| &lt;script>alert\(1\)&lt;\/script>\\\|sentiment \| classify \| custom \|/m);
  });
});

describe('an HTTP target that cannot be reached says why', () => {
  let server: Server;
  let port: number;
  beforeAll(async () => {
    server = createServer((_request, res) => res.end('{}'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as { port: number }).port;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('an unresolvable host shows ENOTFOUND and the host (exit 3)', async () => {
    const result = await runCli([
      'run',
      '--target',
      'http://pipebench-no-such-host.invalid:8080',
      '--stage',
      'classify',
      '--requests',
      '2',
      '--no-gpu',
      '--out',
      join(dir, 'out-dns'),
    ]);
    expect(result.code).toBe(3);
    // .invalid never resolves (RFC 6761); a resolver that cannot be reached says EAI_AGAIN instead.
    expect(result.stderr).toMatch(
      /^pipebench: target http:\/\/pipebench-no-such-host\.invalid:8080 is not reachable: (ENOTFOUND|EAI_AGAIN): getaddrinfo \1 pipebench-no-such-host\.invalid \(health check GET \/api\/v1\/health\)\n$/,
    );
  });

  it('https:// to a plain-HTTP port shows the TLS error (exit 3)', async () => {
    const result = await runCli([
      'run',
      '--target',
      `https://127.0.0.1:${port}`,
      '--stage',
      'classify',
      '--requests',
      '2',
      '--no-gpu',
      '--out',
      join(dir, 'out-tls'),
    ]);
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(
      new RegExp(
        `^pipebench: target https://127\\.0\\.0\\.1:${port} is not reachable: ERR_SSL_\\w+: [a-z ]+ \\(an https:// URL to a port that speaks plain HTTP\\? use http://\\) \\(health check GET /api/v1/health\\)\\n$`,
      ),
    );
    expect(result.stderr).not.toContain('client error');
  });
});
