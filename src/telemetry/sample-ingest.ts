/**
 * The per-line hot path shared by the live and the replay sampler: parse, count, keep the sample,
 * time the parsing. One object per sampler; no allocation beyond the sample itself.
 */
import { GpuCsvParser, type GpuCsvParserOptions } from './gpu-csv.js';
import type { GpuColumnKey } from './gpu-fields.js';
import type { GpuSample } from './types.js';
import type { LineCounts } from '../core/report/telemetry.js';

/** GpuSample properties that hold a reading, as opposed to when it was taken and which GPU it is. */
type Reading = Exclude<keyof GpuSample, 'tMs' | 'gpuIndex' | 'uuid' | 'name'>;

/** The reading a column fills; null for the stamp and the GPU's identity. Per-reason throttle columns fill the mask. */
const READING_OF_COLUMN = {
  timestamp: null,
  index: null,
  uuid: null,
  name: null,
  utilPct: 'utilPct',
  memUtilPct: 'memUtilPct',
  memUsedBytes: 'memUsedBytes',
  memTotalBytes: 'memTotalBytes',
  powerW: 'powerW',
  powerLimitW: 'powerLimitW',
  tempC: 'tempC',
  smClockMHz: 'smClockMHz',
  memClockMHz: 'memClockMHz',
  throttleMask: 'throttleMask',
  throttleBit: 'throttleMask',
  pstate: 'pstate',
} as const satisfies Record<GpuColumnKey, Reading | null>;

const READINGS: readonly Reading[] = [...new Set(Object.values(READING_OF_COLUMN).filter((reading) => reading !== null))];

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
  /** Readings some sample had a value for; once all have one, samples are no longer looked at. */
  private readonly readingsSeen = new Set<Reading>();

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
        if (this.readingsSeen.size < READINGS.length) this.noteReadings(sample);
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

  /**
   * `reason` (why sampling fell short, or null) with the columns no sample had a value for: a GPU
   * that answers [N/A] for every metric is listed, but its telemetry is only partial.
   */
  withUnreported(reason: string | null): string | null {
    if (this.samples.length === 0) return reason;
    const names = this.parser
      .knownColumns()
      .filter(({ key }) => {
        const reading = READING_OF_COLUMN[key];
        return reading !== null && !this.readingsSeen.has(reading);
      })
      .map(({ name }) => name);
    if (names.length === 0) return reason;
    const note = `no value in any of ${this.samples.length} samples (nvidia-smi printed [N/A] or the like) for ${names.join(', ')}`;
    return reason === null ? note : `${reason}; ${note}`;
  }

  /** "3 of 120 lines were not understood (first: '...': why)", or null. */
  garbageNote(): string | null {
    if (this.firstGarbage === null) return null;
    return `${this.garbage} of ${this.total} lines were not understood (first: '${this.firstGarbage.line}': ${this.firstGarbage.why})`;
  }

  private noteReadings(sample: GpuSample): void {
    for (const reading of READINGS) if (sample[reading] !== null) this.readingsSeen.add(reading);
  }
}
