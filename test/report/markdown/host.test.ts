import { describe, expect, it } from 'vitest';
import { renderHostSection } from '../../../src/report/markdown/host.js';
import type { RunReport } from '../../../src/core/report/run.js';
import type { HostReport, HostSample } from '../../../src/core/report/telemetry.js';
import { syntheticReport } from '../synthetic-run.js';

const MiB = 1024 * 1024;

const sample = (i: number, over: Partial<HostSample> = {}): HostSample => ({
  tMs: 1_750_000_000_000 + 1000 * i,
  processCpuPct: null,
  systemCpuPct: null,
  rssBytes: 100 * MiB,
  heapUsedBytes: 20 * MiB,
  eventLoopDelayP99Ms: null,
  netRxBytesPerSec: null,
  netTxBytesPerSec: null,
  tfMemory: null,
  ...over,
});

const host = (over: Partial<HostReport> = {}): HostReport => ({
  intervalMs: 1000,
  samples: 3,
  maxPoints: 2000,
  timeline: [
    sample(0),
    sample(1, { processCpuPct: 50, systemCpuPct: 30, eventLoopDelayP99Ms: 2.5 }),
    sample(2, { processCpuPct: 150, systemCpuPct: 50, eventLoopDelayP99Ms: 12.25 }),
  ],
  rssBytes: { start: 100 * MiB, end: 150 * MiB, peak: 200 * MiB },
  heapUsedBytes: { start: 20 * MiB, end: 24 * MiB, peak: 30 * MiB },
  tfMemory: { start: { numTensors: 212, numBytes: 3 * MiB }, end: { numTensors: 212, numBytes: 3 * MiB } },
  netRxBytes: 5 * MiB,
  netTxBytes: 6 * MiB,
  ...over,
});

const withHost = (h: HostReport | null): RunReport => ({ ...syntheticReport(), host: h });

describe('report.md host section', () => {
  it('is empty when the run has no host metrics', () => {
    expect(renderHostSection(withHost(null))).toBe('');
  });

  it('shows memory start -> end with peak, tensors, CPU means and peak, worst event-loop p99 and network totals', () => {
    expect(renderHostSection(withHost(host()))).toBe(
      [
        '## Host',
        '',
        '- 3 samples every 1 s',
        '- RSS (harness and its worker threads): 100.0 MiB -> 150.0 MiB (peak 200.0 MiB)',
        '- Heap used (main thread): 20.0 MiB -> 24.0 MiB (peak 30.0 MiB)',
        '- TF.js tensors (all model instances): 212 -> 212 (3.0 MiB -> 3.0 MiB)',
        '- CPU: process mean 100 %, peak 150 % of one core; machine mean 40 % of all cores',
        '- Event-loop delay p99: 12.3 ms at worst (max over samples)',
        '- Network (all interfaces, loopback included): 5.0 MiB received, 6.0 MiB sent',
      ].join('\n'),
    );
  });

  it('leaves out what was not measured: tensors, CPU, event loop, and network when null or zero', () => {
    const text = renderHostSection(
      withHost(host({ samples: 1, timeline: [sample(0)], tfMemory: { start: null, end: null }, netRxBytes: 0, netTxBytes: 0 })),
    );
    expect(text).toContain('- 1 samples every 1 s');
    expect(text).toContain('RSS');
    expect(text).not.toContain('TF.js');
    expect(text).not.toContain('CPU');
    expect(text).not.toContain('Event-loop');
    expect(text).not.toContain('Network');
    expect(renderHostSection(withHost(host({ netRxBytes: null, netTxBytes: null })))).not.toContain('Network');
  });

  it('says when the timeline was folded, since the means then come from its points', () => {
    const text = renderHostSection(withHost(host({ samples: 9000 })));
    expect(text).toContain('9000 samples every 1 s (timeline kept as 3 points; means below are over those)');
  });
});
