import { describe, expect, it } from 'vitest';
import { renderMarkdown } from '../../../src/report/markdown/index.js';
import type { RunReport } from '../../../src/core/report/run.js';
import { syntheticReport } from '../synthetic-run.js';

const classifyRows = (md: string): string[] =>
  (md.split('## classify\n')[1]?.split('\n## ')[0] ?? '').split('\n').filter((line) => line.startsWith('| '));

/** The synthetic run with the given cold starts on its classify steps (batch 1, 2, 4, 8). */
function withColdStarts(coldStartMs: readonly (number | null)[]): RunReport {
  const report = syntheticReport();
  let i = 0;
  return {
    ...report,
    steps: report.steps.map((step) => (step.stage === 'classify' ? { ...step, coldStartMs: coldStartMs[i++] ?? null } : step)),
  };
}

describe('report.md and cold starts', () => {
  it('shows each step first call, and flags the one over 10x its p50 inference with a note saying why it is not in the percentiles', () => {
    const report = withColdStarts([500, 20, null, 3500]);
    const p50 = report.steps.find((s) => s.stage === 'classify' && s.batchSize === 1)!.latencyMs.inference!.p50;
    const md = renderMarkdown(report);
    const rows = classifyRows(md);
    expect(rows[0]).toContain('| inference p95 | first call | items/s |');
    expect(rows[2]).toMatch(/\| 500 ms ⚠ \| 100 \|/);
    expect(rows[3]).toMatch(/\| 20 ms \| 200 \|/);
    expect(rows[4]).toMatch(/\| - \| 400 \|/);
    expect(rows[5]).toMatch(/\| 3.5 s \| 420 \|/);
    expect(md).toContain(
      `⚠ The first call at a new batch size took over 10x the step's p50 (batch 1: 500 ms, ${Math.round(500 / p50)}x its p50 inference`,
    );
    expect(md).toContain('it was measured before the load and is not in the percentiles.');
  });

  it('has no column and no note when no step measured a cold start (HTTP, older reports)', () => {
    const md = renderMarkdown(syntheticReport());
    expect(md).not.toContain('first call');
    expect(md).not.toContain('⚠');
  });
});
