/** The bottleneck verdict in every output: report.md lines, report.html's section, steps.csv's columns; run-supplied text escaped. */
import { describe, expect, it } from 'vitest';
import type { RunReport } from '../../src/core/report/run.js';
import { renderStepsCsv } from '../../src/report/csv.js';
import { renderHtml } from '../../src/report/html/index.js';
import { renderMarkdown } from '../../src/report/markdown/index.js';
import { parseCsv } from './csv-reader.js';
import { syntheticReport } from './synthetic-run.js';

const HOSTILE = '<script>alert(1)</script> | a\nb';

function withEvidence(report: RunReport, evidence: string[]): RunReport {
  return {
    ...report,
    steps: report.steps.map((step, i) => (i === 0 ? { ...step, bottleneck: { verdict: 'server-cpu', evidence } } : step)),
  };
}

describe('bottleneck in the outputs', () => {
  const report = syntheticReport();

  it('every step of a built report carries a verdict (the wasm synthetic run: model-bound with its numbers)', () => {
    expect(report.steps.map((step) => step.bottleneck?.verdict)).toEqual(Array(report.steps.length).fill('model-bound'));
    expect(report.steps[0]!.bottleneck!.evidence).toEqual([
      'the model call took 3.8 ms of 5 ms e2e (75 %)',
      // 100 single-item calls of 3.75 ms in the step's 1 s on one instance.
      'model instances in a model call 38 % of the step',
      'batches of 1.0 items (batch size 1)',
      'backend wasm on the CPU',
    ]);
  });

  it('report.md: a line per step under its stage table', () => {
    const md = renderMarkdown(report);
    const classify = md.split('## classify\n')[1]!.split('\n## ')[0]!;
    expect(classify).toContain(
      'What limited each step:\n\n- batch 1 x2: **model-bound**: the model call took 3.8 ms of 5 ms e2e (75 %); model instances in a model call 38 % of the step; batches of 1.0 items (batch size 1); backend wasm on the CPU\n',
    );
    expect(classify.match(/^- batch \d+ x\d+: \*\*model-bound\*\*/gm)).toHaveLength(4);
  });

  it('report.md escapes run-supplied evidence', () => {
    const md = renderMarkdown(withEvidence(report, [HOSTILE]));
    expect(md).toContain('- batch 1 x2: **server-cpu**: &lt;script>alert(1)&lt;/script> \\| a b\n');
    expect(md).not.toContain('<script>');
  });

  it('report.html: a section with one line per step, escaped', async () => {
    const html = await renderHtml(withEvidence(report, [HOSTILE]));
    const section = /<section id="bottlenecks">([\s\S]*?)<\/section>/.exec(html)?.[1] ?? '';
    expect(section).toContain('<h2>What limited each step</h2>');
    expect(section.match(/<li>/g)).toHaveLength(report.steps.length);
    expect(section).toContain(
      '<li><span class="step">#0 classify b1 c2</span>: <strong class="verdict">server-cpu</strong>: &lt;script&gt;alert(1)&lt;/script&gt; | a\nb</li>',
    );
    expect(section).toContain('<strong class="verdict">model-bound</strong>: the model call took');
    expect(html).not.toContain('<script>alert');
  });

  it('steps.csv: the verdict and its evidence, quoted where needed', () => {
    const rows = parseCsv(renderStepsCsv(withEvidence(report, [HOSTILE, 'second, with a comma'])));
    const header = rows[0]!;
    expect(rows[1]![header.indexOf('bottleneck')]).toBe('server-cpu');
    expect(rows[1]![header.indexOf('bottleneck_evidence')]).toBe(`${HOSTILE}; second, with a comma`);
    expect(rows[2]![header.indexOf('bottleneck')]).toBe('model-bound');
  });

  it('a report written before verdicts renders without them', async () => {
    const old: RunReport = { ...report, steps: report.steps.map(({ bottleneck: _dropped, ...step }) => step) };
    expect(renderMarkdown(old)).not.toContain('What limited each step');
    expect(await renderHtml(old)).not.toContain('id="bottlenecks"');
    expect(parseCsv(renderStepsCsv(old))[1]![parseCsv(renderStepsCsv(old))[0]!.indexOf('bottleneck')]).toBe('');
  });
});
