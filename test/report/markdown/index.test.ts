import { describe, expect, it } from 'vitest';
import { renderMarkdown } from '../../../src/report/markdown/index.js';
import { renderTable } from '../../../src/report/markdown/table.js';
import { buildRunReport } from '../../../src/analysis/analyze-run.js';
import { syntheticParts, syntheticReport } from '../synthetic-run.js';

const rowsOf = (md: string, section: string): string[] => {
  const body = md.split(`## ${section}\n`)[1]?.split('\n## ')[0]?.split('\n### ')[0] ?? '';
  return body.split('\n').filter((line) => line.startsWith('| '));
};

describe('renderMarkdown', () => {
  const md = renderMarkdown(syntheticReport());

  it('has the title, run id, environment, backend with what was skipped, models and budget', () => {
    expect(md.startsWith('# pipebench run 2026-01-01T00-00-00Z-synthetic\n')).toBe(true);
    expect(md).toContain('- Run id: `2026-01-01T00-00-00Z-synthetic`');
    expect(md).toContain('- Node v20.19.0 on linux/x64, host bench-host');
    expect(md).toContain('- CPU: Test CPU (2 cores, 1 physical, 2.5 GHz), memory 8.0 GiB');
    expect(md).toContain('- Backend: wasm (@tensorflow/tfjs-backend-wasm 4.22.0), threads 1, SIMD yes, GPU no, 1 instance (worker)');
    expect(md).toContain('  - skipped tensorflow: @tensorflow/tfjs-node is not installed');
    expect(md).toContain('| intent-classifier | classify | small | 1,400,000 | 64 | layers | 1 |');
    expect(md).toContain('p95 e2e ≤ 3 s, p99 e2e ≤ 5 s, error rate ≤ 1 %');
    expect(md).not.toContain('Partial results');
    expect(md).toContain('- Run: complete\n');
  });

  it('classify table: one row per step with latencies, throughput, scaling and the budget verdict', () => {
    const rows = rowsOf(md, 'classify');
    expect(rows[0]).toBe(
      '| batch | p50 e2e | p95 e2e | p99 e2e | queue p95 | inference p95 | items/s | speedup | efficiency | within budget |',
    );
    expect(rows).toHaveLength(2 + 4);
    // 100..400 single-item samples: enough for a p95 (90), not for a p99 (459); 4200 are.
    expect(rows[2]).toBe('| 1 | 5 ms | 5 ms | 5 ms† | 1.3 ms | 3.8 ms | 100 | 1.00 | 1.00 | ✓ |');
    expect(rows[4]).toBe('| 4 | 8 ms | 8 ms | 8 ms† | 2 ms | 6 ms | 400 | 4.00 | 1.00 | ✓ |');
    expect(rows[5]).toBe('| 8 | 4 s | 4 s | 4 s | 1 s | 3 s | 420 | 4.20 | 0.53 | ✗ p95 |');
    expect(md).toContain("† step 0 (batch 1): 100 samples; MLPerf's early-stopping rule needs 459 for a p99.");
    expect(md).toContain('**Recommendation:** batch 4 is the largest within budget (400 items/s at p95 8 ms): 8 breaks p95 3 s (4 s).');
  });

  it('generate table adds TTFT, ITL and tokens/s, and marks failing and incomplete steps', () => {
    const rows = rowsOf(md, 'generate');
    expect(rows[0]).toContain('| TTFT p95 | ITL p50 | tokens/s |');
    expect(rows[2]).toBe('| 1 | 500 ms | 500 ms† | 500 ms† | 125 ms | 375 ms | 50 ms | 7 ms | 640 | 10 | 1.00 | 1.00 | ✓ |');
    expect(md).toContain("† step 6 (batch 4): 3 samples; MLPerf's early-stopping rule needs 7 for a p50, 90 for a p95 and 459 for a p99.");
    expect(rows[3]).toMatch(/^\| 2 \| .* \| ✗ errors \|$/);
    expect(rows[4]).toMatch(/^\| 4 \| .* \| ✓ \(incomplete\) \|$/);
    expect(md).toContain('**Recommendation:** batch 1 is the largest within budget');
    expect(md).not.toContain('## pipeline');
  });

  it('a native backend shows the TensorFlow C library under it and the devices it sees', () => {
    const report = syntheticReport();
    const native = {
      tensorflowVersion: '2.21.0',
      cudaBuild: true,
      cudaVersion: '12.5.1',
      cudnnVersion: '9',
      devices: [
        { name: '/job:localhost/replica:0/task:0/device:CPU:0', type: 'CPU', memoryBytes: 268435456 },
        { name: '/job:localhost/replica:0/task:0/device:GPU:0', type: 'GPU', memoryBytes: 79e9 },
      ],
      builtFrom:
        'pipebench setup native from tensorflow 2.21.0 installed for Python 3.12.3 (/venv/lib/python3.12/site-packages/tensorflow)',
    };
    const text = renderMarkdown({
      ...report,
      backend: { ...report.backend!, name: 'tensorflow', package: '@tensorflow/tfjs-node-gpu', gpu: true, native },
    });
    expect(text).toContain(
      '  - TensorFlow 2.21.0 C library (CUDA 12.5.1, cuDNN 9 build), sees CPU:0, GPU:0; pipebench setup native from tensorflow 2.21.0 installed for Python 3.12.3 (/venv/lib/python3.12/site-packages/tensorflow)',
    );
    const unknown = renderMarkdown({
      ...report,
      backend: { ...report.backend!, native: { ...native, cudaBuild: null, devices: null, builtFrom: null } },
    });
    expect(unknown).toContain('  - TensorFlow 2.21.0 C library (build unknown), devices unknown; not built by pipebench setup native');
  });

  it('lists warnings and shows a banner for a partial run', () => {
    expect(md).toContain('## Warnings\n\n- the sampler could not start: nvidia-smi not found\n');
    const partial = renderMarkdown(syntheticReport({ partial: true }));
    expect(partial).toContain('> **Partial results:** the run interrupted by SIGINT');
    expect(partial).toContain('- Run: partial (interrupted by SIGINT)\n');
  });
});

describe('names and messages from a run are text in report.md, never markup', () => {
  const parts = syntheticParts();
  const hostile = '<script>alert(1)</script> | x & y';
  const report = buildRunReport({
    ...parts,
    workload: { ...parts.workload, name: hostile },
    models: parts.models.map((model) => ({ ...model, name: `<img src=x onerror=alert(1)>|${model.name}` })),
    warnings: ['first http_5xx error: HTTP 502: <html><body>Bad | Gateway</body></html>'],
  });
  const md = renderMarkdown(report);

  it('escapes HTML and | in the workload name, every model table cell and the warnings', () => {
    expect(md).not.toMatch(/<script|<img|<html|<body/);
    expect(md).toContain('- Workload: &lt;script>alert(1)&lt;/script> \\| x &amp; y (');
    const modelRow = rowsOf(md, 'Models')[2] ?? '';
    expect(modelRow.startsWith('| &lt;img src=x onerror=alert(1)>\\|intent-classifier | classify |')).toBe(true);
    // The escaped pipe keeps the row at its 7 columns.
    expect(modelRow.split(/(?<!\\)\|/).length - 2).toBe(7);
    expect(md).toContain('- first http_5xx error: HTTP 502: &lt;html>&lt;body>Bad \\| Gateway&lt;/body>&lt;/html>');
  });

  it('escapes the native backend line: the wheel path setup built from and the device names TensorFlow lists', () => {
    const native = {
      tensorflowVersion: '2.21.0',
      cudaBuild: false,
      cudaVersion: null,
      cudnnVersion: null,
      devices: [{ name: '/job:localhost/replica:0/task:0/device:CPU:0<img src=x>', type: 'CPU', memoryBytes: 0 }],
      builtFrom: 'pipebench setup native from /tmp/<script>alert(1)</script>|a & b\ntensorflow.whl',
    };
    const text = renderMarkdown({ ...report, backend: { ...report.backend!, native } });
    expect(text).not.toMatch(/<script|<img/);
    expect(text).toContain(
      '  - TensorFlow 2.21.0 C library (CPU-only build), sees CPU:0&lt;img src=x>; pipebench setup native from /tmp/&lt;script>alert(1)&lt;/script>\\|a &amp; b tensorflow.whl\n',
    );
  });
});

describe('renderTable', () => {
  it('aligns right where asked and escapes pipes', () => {
    const table = renderTable(
      [
        { header: 'name', cell: (r: { name: string; n: number }) => r.name },
        { header: 'n', align: 'right', cell: (r) => String(r.n) },
      ],
      [{ name: 'a|b', n: 3 }],
    );
    expect(table).toBe('| name | n |\n| --- | ---: |\n| a\\|b | 3 |');
  });

  it('escapes what could start HTML (& and <) and folds newlines in every cell', () => {
    const table = renderTable([{ header: 'name', cell: (r: { name: string }) => r.name }], [{ name: '<b>"a" & \'b\'</b>\nnext' }]);
    expect(table.split('\n')[2]).toBe('| &lt;b>"a" &amp; \'b\'&lt;/b> next |');
  });
});
