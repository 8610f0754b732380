/**
 * The per-line hot path shared by the live and the replay sampler: parse, count, keep the sample,
 * time the parsing. One object per sampler; no allocation beyond the sample itself.
 */
import { GpuCsvParser, type GpuCsvParserOptions } from './gpu-csv.js';
import type { GpuSample } from './types.js';
import type { LineCounts } from '../core/report/telemetry.js';

export class SampleIngest {
  readonly samples: GpuSample[] = [];
  private readonly parser: GpuCsvParser;
  private readonly mapTimeMs: ((tMs: number) => number) | null;
  private total = 0;
  private garbage = 0;
  private deviceErrors = 0;
  /** Main-thread ms spent in parseLine. */
  parseMs = 0;
  firstGarbage: { readonly line: string; readonly why: string } | null = null;
  firstDeviceError: string | null = null;
  private readonly onSample: ((sample: GpuSample) => void) | null;

  /**
   * Live only: when the first sample's stamp is further than this from its receipt, every stamp is
   * shifted by that first difference (nvidia-smi and the harness disagree on the zone or clock;
   * per-step attribution compares stamps with the harness's clock).
   */
  private readonly alignBeyondMs: number | null;
  /** The shift applied to stamps (ms); 0 when they agreed with the harness's clock. */
  stampCorrectionMs = 0;

  constructor(
    parserOptions: GpuCsvParserOptions,
    mapTimeMs: ((tMs: number) => number) | null = null,
    onSample: ((sample: GpuSample) => void) | null = null,
    alignBeyondMs: number | null = null,
  ) {
    this.parser = new GpuCsvParser(parserOptions);
    this.mapTimeMs = mapTimeMs;
    this.onSample = onSample;
    this.alignBeyondMs = alignBeyondMs;
  }

  ingest(line: string, receivedAtMs: number): void {
    const started = performance.now();
    const parsed = this.parser.parseLine(line, receivedAtMs);
    this.total += 1;
    switch (parsed.kind) {
      case 'sample': {
        if (this.samples.length === 0 && this.alignBeyondMs !== null && Math.abs(receivedAtMs - parsed.sample.tMs) > this.alignBeyondMs) {
          this.stampCorrectionMs = receivedAtMs - parsed.sample.tMs;
        }
        const tMs = this.mapTimeMs === null ? parsed.sample.tMs + this.stampCorrectionMs : this.mapTimeMs(parsed.sample.tMs);
        const sample = tMs === parsed.sample.tMs ? parsed.sample : { ...parsed.sample, tMs };
        this.samples.push(sample);
        this.onSample?.(sample);
        break;
      }
      case 'garbage':
        this.garbage += 1;
        this.firstGarbage ??= { line: parsed.line.slice(0, 120), why: parsed.why };
        break;
      case 'device-error':
        this.deviceErrors += 1;
        this.firstDeviceError ??= parsed.message;
        break;
      case 'header':
      case 'blank':
        break;
    }
    this.parseMs += performance.now() - started;
  }

  counts(): LineCounts {
    return { total: this.total, samples: this.samples.length, garbage: this.garbage, deviceErrors: this.deviceErrors };
  }

  /** "3 of 120 lines were not understood (first: '...': why)", or null. */
  garbageNote(): string | null {
    if (this.firstGarbage === null) return null;
    return `${this.garbage} of ${this.total} lines were not understood (first: '${this.firstGarbage.line}': ${this.firstGarbage.why})`;
  }
}
