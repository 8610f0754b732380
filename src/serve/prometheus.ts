/**
 * Prometheus text exposition (format 0.0.4), written by hand: counters, one gauge and cumulative
 * histograms with labels. Pure: the server records, render() returns the text.
 */
import { labelText, numberText, type Labels } from '../metrics/prometheus-text.js';

export type { Labels } from '../metrics/prometheus-text.js';

const SECONDS_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10] as const;
const BATCH_BUCKETS = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024] as const;

interface Metric {
  render(): string;
}

export class Counter implements Metric {
  private readonly values = new Map<string, number>();
  constructor(
    private readonly name: string,
    private readonly help: string,
  ) {}

  inc(labels: Labels = {}, by = 1): void {
    const key = labelText(labels);
    this.values.set(key, (this.values.get(key) ?? 0) + by);
  }

  render(): string {
    const lines = [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} counter`];
    for (const [key, value] of this.values) lines.push(`${this.name}${key} ${numberText(value)}`);
    return lines.join('\n');
  }
}

export class Gauge implements Metric {
  constructor(
    private readonly name: string,
    private readonly help: string,
    private readonly read: () => number,
  ) {}

  render(): string {
    return [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} gauge`, `${this.name} ${numberText(this.read())}`].join('\n');
  }
}

interface Series {
  readonly labels: Labels;
  readonly counts: number[]; // per bucket, not cumulative
  sum: number;
  count: number;
}

export class Histogram implements Metric {
  private readonly series = new Map<string, Series>();
  constructor(
    private readonly name: string,
    private readonly help: string,
    private readonly buckets: readonly number[],
  ) {}

  observe(value: number, labels: Labels = {}): void {
    const key = labelText(labels);
    let series = this.series.get(key);
    if (!series) {
      series = { labels, counts: new Array<number>(this.buckets.length).fill(0), sum: 0, count: 0 };
      this.series.set(key, series);
    }
    const index = this.buckets.findIndex((upper) => value <= upper);
    if (index >= 0) series.counts[index] = (series.counts[index] ?? 0) + 1;
    series.sum += value;
    series.count += 1;
  }

  render(): string {
    const lines = [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} histogram`];
    for (const series of this.series.values()) {
      let cumulative = 0;
      this.buckets.forEach((upper, i) => {
        cumulative += series.counts[i] ?? 0;
        lines.push(`${this.name}_bucket${labelText({ ...series.labels, le: numberText(upper) })} ${cumulative}`);
      });
      lines.push(`${this.name}_bucket${labelText({ ...series.labels, le: '+Inf' })} ${series.count}`);
      lines.push(`${this.name}_sum${labelText(series.labels)} ${numberText(series.sum)}`);
      lines.push(`${this.name}_count${labelText(series.labels)} ${series.count}`);
    }
    return lines.join('\n');
  }
}

/** The serve metrics, named as the README documents them. */
export class ServeMetrics {
  readonly requests = new Counter('pipebench_serve_requests_total', 'HTTP requests answered, by route and status.');
  readonly duration = new Histogram('pipebench_serve_request_duration_seconds', 'Time from request to answer, by route.', SECONDS_BUCKETS);
  readonly queue = new Histogram(
    'pipebench_serve_queue_seconds',
    'Time items waited in the batcher before their model call.',
    SECONDS_BUCKETS,
  );
  readonly batchSize = new Histogram('pipebench_serve_batch_size', 'Size of the model call each item ran in.', BATCH_BUCKETS);
  /** Per item: its model call's time (the batch's, shared by its items). */
  readonly compute = new Histogram('pipebench_serve_compute_seconds', 'Time of the model call each item ran in.', SECONDS_BUCKETS);
  /** Model requests answered (an HTTP request of several texts counts once): what a client's request count meets. */
  readonly modelRequests = new Counter('pipebench_serve_model_requests_total', 'Model requests answered successfully.');
  /**
   * Model calls, counted as 1/b by each of the b items of a call, so items / executions is the
   * batcher's mean batch size per call (the per-item batch-size histogram weights big calls more).
   */
  readonly executions = new Counter('pipebench_serve_batch_executions_total', 'Model calls (batches) the items ran in.');
  private readonly inFlight: Gauge;
  private readonly maxBatchSize: Gauge;

  constructor(readInFlight: () => number, readMaxBatchSize: () => number = () => NaN) {
    this.inFlight = new Gauge('pipebench_serve_in_flight', 'Model requests being answered now.', readInFlight);
    this.maxBatchSize = new Gauge('pipebench_serve_max_batch_size', "The batcher's largest model call.", readMaxBatchSize);
  }

  /** One item's model call: its queue time, call size and call time. */
  observeItem(queueMs: number, batchSize: number, inferenceMs: number): void {
    this.queue.observe(queueMs / 1000);
    this.batchSize.observe(batchSize);
    this.compute.observe(inferenceMs / 1000);
    if (batchSize > 0) this.executions.inc({}, 1 / batchSize);
  }

  render(): string {
    const all = [
      this.requests,
      this.duration,
      this.queue,
      this.batchSize,
      this.compute,
      this.modelRequests,
      this.executions,
      this.inFlight,
      this.maxBatchSize,
    ];
    return all.map((m) => m.render()).join('\n') + '\n';
  }
}
