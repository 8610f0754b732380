/**
 * The model side of every route: admission control, the injected latency, the in-process
 * target's infer(), metrics per item, and a failed item turned into an HTTP error.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { epochNowMs } from '../core/clock.js';
import type { ModelInfo, ModelTask } from '../core/model-info.js';
import type { InferOptions, InferOutput } from '../targets/inprocess/infer-output.js';
import type { InProcessTarget } from '../targets/inprocess/target.js';
import type { Stage } from '../core/stage.js';
import { Admission } from './admission.js';
import { HttpError } from './http-error.js';
import type { ServeMetrics } from './prometheus.js';

export interface ModelAnswer<K extends Stage> {
  readonly outputs: readonly Extract<InferOutput, { kind: K }>[];
  /** Around the model call (and the injected latency), in ms: what the routes report as server time. */
  readonly serverMs: number;
}

/** Errors that mean "this server cannot answer now", not "the model broke". */
const UNAVAILABLE_CLASSES = new Set(['target_closed', 'worker_exit']);

export class ModelService {
  readonly admission: Admission;
  private readonly addedLatencyMs: number;
  /** What the generator decodes per item (the server's --max-new-tokens). */
  readonly maxNewTokens: number;

  constructor(
    private readonly target: InProcessTarget,
    private readonly metrics: ServeMetrics,
    options: { readonly maxInFlight?: number; readonly addedLatencyMs?: number; readonly maxNewTokens: number },
  ) {
    this.maxNewTokens = options.maxNewTokens;
    this.admission = new Admission(options.maxInFlight);
    this.addedLatencyMs = options.addedLatencyMs ?? 0;
  }

  model(task: ModelTask): ModelInfo | undefined {
    return this.target.models.find((m) => m.task === task);
  }

  /** One model request; throws HttpError 503 (full, Retry-After: 1) or 500/503 for a failed item. */
  async run<K extends Stage>(stage: K, texts: readonly string[], options: InferOptions = {}): Promise<ModelAnswer<K>> {
    if (!this.admission.tryEnter()) {
      throw new HttpError(503, 'server busy', 'too many requests in flight; retry shortly', { 'retry-after': '1' });
    }
    try {
      const startMs = epochNowMs();
      if (this.addedLatencyMs > 0) await sleep(this.addedLatencyMs);
      const outcomes = await this.target.infer(stage, texts, options);
      const serverMs = epochNowMs() - startMs;
      const outputs: Extract<InferOutput, { kind: K }>[] = [];
      for (const { result, output } of outcomes) {
        this.metrics.queue.observe(result.queueMs / 1000);
        this.metrics.batchSize.observe(result.batchSize);
        if (!result.ok || output?.kind !== stage) {
          const errorClass = result.errorClass ?? 'model_error';
          throw new HttpError(UNAVAILABLE_CLASSES.has(errorClass) ? 503 : 500, 'inference failed', errorClass);
        }
        outputs.push(output as Extract<InferOutput, { kind: K }>);
      }
      return { outputs, serverMs };
    } finally {
      this.admission.leave();
    }
  }
}
