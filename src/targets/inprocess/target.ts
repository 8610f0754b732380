/**
 * In-process target: TF.js models in N instances (worker threads or child processes) behind a
 * dynamic batcher on the main thread. The main thread only stamps, queues and routes results;
 * inference never runs on it, so the load driver's clock is never held up by a batch.
 */
import { TargetUnavailableError } from '../../errors.js';
import { epochNowMs } from '../../core/clock.js';
import type { ClassifyOutput, GenerateOutput } from '../../models/types.js';
import type { ModelInfo } from '../../core/model-info.js';
import { chooseTechniques } from '../../models/techniques.js';
import type { BackendReport } from '../../core/report/environment.js';
import type { TfMemory } from '../../core/report/telemetry.js';
import type { BatchingConfig, StaticBatchTarget, TargetInfo } from '../target.js';
import type { ItemResult } from '../../core/item-result.js';
import type { Stage } from '../../core/stage.js';
import { DynamicBatcher } from './batcher.js';
import { InstanceHost, type InstanceMemory } from './instance-host.js';
import { liveTfMemory } from './tf-memory.js';
import type { InProcessOptions, InstanceLoss } from './target-options.js';
import { inferOutcome, type InferOptions, type InferOutcome } from './infer-output.js';
import {
  addStageTimes,
  classifyResult,
  failedResult,
  generateResult,
  pendingItemFor,
  StreamSink,
  type PendingItem,
} from './pending-item.js';
import type { DoneMessage, FailedMessage, RunMessage, TokensMessage } from './protocol.js';

type Lane = 'classify' | 'generate';

interface InFlightBatch {
  readonly id: number;
  readonly lane: Lane;
  readonly items: PendingItem[];
}

export class InProcessTarget implements StaticBatchTarget {
  private description: string;
  private backendReport: BackendReport | undefined;
  private modelInfos: readonly ModelInfo[] = [];
  private hosts: InstanceHost[] = [];
  private readonly batcher: DynamicBatcher<Lane, PendingItem>;
  private readonly inFlight: (InFlightBatch | undefined)[];
  private readonly lost: InstanceLoss[] = [];
  /** The first detail per error class (the instance's error message, the exit reason). */
  private readonly details = new Map<string, string>();
  private maxNewTokens = 16;
  private nextBatchId = 1;
  private closed = false;

  /** Use createInProcessTarget(); the constructor only wires the batcher. */
  constructor(private readonly options: InProcessOptions) {
    this.description = `in-process TF.js (${options.backend}, ${options.instances} instances)`;
    this.inFlight = new Array<InFlightBatch | undefined>(options.instances).fill(undefined);
    this.batcher = new DynamicBatcher<Lane, PendingItem>({
      lanes: ['classify', 'generate'],
      slots: options.instances,
      dispatch: (lane, items, slot) => this.dispatch(lane, items, slot),
      ...(options.timers && { timers: options.timers }),
    });
  }

  /** Called once by createInProcessTarget when every instance is ready. */
  attach(hosts: InstanceHost[], backend: BackendReport, models: readonly ModelInfo[]): void {
    this.hosts = hosts;
    this.backendReport = backend;
    this.modelInfos = models;
    this.description = `in-process TF.js ${backend.name} (${backend.instances} ${backend.isolation} instances)`;
  }

  get info(): TargetInfo {
    return { kind: 'inprocess', description: this.description };
  }

  /** Which backend runs (and why earlier ones were skipped), as reported by instance 0. */
  get backend(): BackendReport {
    if (!this.backendReport) throw new TargetUnavailableError('the in-process target has not started');
    return this.backendReport;
  }

  get models(): readonly ModelInfo[] {
    return this.modelInfos;
  }

  /** The first detail line seen per error class: what the run's warnings quote (as for HTTP targets). */
  get errorDetails(): ReadonlyMap<string, string> {
    return this.details;
  }

  /** Instances that exited while the target was open, and why. */
  get instanceLosses(): readonly InstanceLoss[] {
    return this.lost;
  }

  /** Each instance's process id (a worker thread's is this process's) and thread id. */
  get instanceIds(): readonly { readonly pid: number; readonly threadId: number | null }[] {
    return this.hosts.map((h) => ({ pid: h.pid, threadId: h.threadId }));
  }

  async configure(stage: Stage, config: BatchingConfig): Promise<void> {
    if (this.batcher.liveSlots === 0) {
      const reasons = this.lost.map((loss) => `instance ${loss.index}: ${loss.reason}`).join('; ');
      throw new TargetUnavailableError(`every model instance has exited (${reasons || 'closed'})`);
    }
    const needs: readonly Lane[] = stage === 'pipeline' ? ['classify', 'generate'] : [stage];
    for (const lane of needs) {
      if (!this.options.models[lane])
        throw new TargetUnavailableError(`stage "${stage}" needs a ${lane} model; this target was opened without one`);
      this.batcher.configure(lane, { maxBatchSize: config.maxBatchSize, maxQueueDelayMs: config.maxQueueDelayMs });
    }
    // null never comes from an in-process workload (it resolves a length); keep the current one.
    if (stage !== 'classify') this.maxNewTokens = config.maxNewTokens ?? this.maxNewTokens;
  }

  submit(stage: Stage, text: string, tArrivalMs: number): Promise<ItemResult> {
    const { item, result } = pendingItemFor(stage, text, tArrivalMs, false);
    if (this.closed || this.batcher.liveSlots === 0)
      item.resolve(failedResult(item, this.closed ? 'target_closed' : 'worker_exit', 0, epochNowMs()));
    else this.batcher.enqueue(stage === 'generate' ? 'generate' : 'classify', item);
    return result;
  }

  submitBatch(stage: Stage, texts: readonly string[], tArrivalMs: number): Promise<ItemResult[]> {
    const items: PendingItem[] = [];
    const results: Promise<ItemResult>[] = [];
    for (const text of texts) {
      const { item, result } = pendingItemFor(stage, text, tArrivalMs, true);
      items.push(item);
      results.push(result);
    }
    if (this.closed || this.batcher.liveSlots === 0) this.failAll(items, this.closed ? 'target_closed' : 'worker_exit', 0);
    else if (items.length > 0) this.batcher.enqueueBatch(stage === 'generate' ? 'generate' : 'classify', items);
    return Promise.all(results);
  }

  /**
   * Like submit/submitBatch, but with the model's answers (serve). One text goes through the
   * dynamic batcher like submit(); several go as one static batch (one model call per stage),
   * as a batch endpoint asks. With onTokens, generation streams each decode step's new text.
   */
  async infer(stage: Stage, texts: readonly string[], options: InferOptions = {}): Promise<InferOutcome[]> {
    const tArrivalMs = epochNowMs();
    const inStaticBatch = texts.length > 1;
    const sink = options.onTokens && new StreamSink(texts.length, options.onTokens);
    const created = texts.map((text, index) => {
      const pending = pendingItemFor(stage, text, tArrivalMs, inStaticBatch);
      const condition = stage === 'generate' ? options.conditions?.[index] : undefined;
      if (condition) {
        pending.item.intent = condition.intent;
        pending.item.techniques = condition.techniques;
      }
      if (sink) pending.item.stream = { sink, index };
      return pending;
    });
    const items = created.map((c) => c.item);
    const lane = stage === 'generate' ? 'generate' : 'classify';
    if (this.closed || this.batcher.liveSlots === 0) this.failAll(items, this.closed ? 'target_closed' : 'worker_exit', 0);
    else if (inStaticBatch) this.batcher.enqueueBatch(lane, items);
    else if (items[0]) this.batcher.enqueue(lane, items[0]);
    const results = await Promise.all(created.map((c) => c.result));
    return results.map((result, i) => inferOutcome(stage, items[i] as PendingItem, result));
  }

  /** Calibration for bench:overhead: classify() timed inside the first instance, with no harness around it. */
  timeRawClassify(inputs: readonly string[], calls: number): Promise<readonly number[]> {
    const host = this.hosts.find((h) => h.isAlive);
    if (!host) return Promise.reject(new TargetUnavailableError('no model instance is running'));
    return host.timeRawClassify(inputs, calls);
  }

  /** Live tensors per instance (a leak shows as a count that grows between steps). */
  memory(): Promise<InstanceMemory[]> {
    return Promise.all(this.hosts.filter((h) => h.isAlive).map((h) => h.memory()));
  }

  /** tf.memory() summed over the live instances (TfMemoryProbe: the soak's leak verdict); see liveTfMemory. */
  async tfMemory(timeoutMs = 1000): Promise<TfMemory | null> {
    return this.closed ? null : liveTfMemory(this.hosts, timeoutMs);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.batcher.close();
    this.failAll(this.batcher.drain(), 'target_closed', 0);
    await Promise.all(this.hosts.map((h) => h.close(this.options.closeGraceMs ?? 2000)));
  }

  /** InstanceHostEvents: a batch came back. */
  onResult(slot: number, message: DoneMessage | FailedMessage): void {
    const tResponseMs = epochNowMs();
    const batch = this.inFlight[slot];
    if (!batch || batch.id !== message.id) return;
    this.inFlight[slot] = undefined;
    this.batcher.release(slot);
    const { items } = batch;
    if (message.kind === 'failed') {
      this.noteDetail(message.errorClass, message.message);
      this.failAll(items, message.errorClass, items.length, tResponseMs);
      return;
    }
    if (batch.lane === 'generate') {
      const outputs = message.outputs as readonly GenerateOutput[];
      for (let i = 0; i < items.length; i++) {
        const item = items[i] as PendingItem;
        item.generated = outputs[i];
        item.resolve(generateResult(item, message, i, items.length, tResponseMs));
      }
      return;
    }
    this.completeClassify(items, message, tResponseMs);
  }

  /** InstanceHostEvents: one decode step of a streaming batch; each sink gets its items' pieces at once. */
  onTokens(slot: number, message: TokensMessage): void {
    const batch = this.inFlight[slot];
    if (!batch || batch.id !== message.id) return;
    const sinks = new Set<StreamSink>();
    batch.items.forEach((item, row) => {
      if (!item.stream) return;
      item.stream.sink.put(item.stream.index, message.pieces[row] ?? '');
      sinks.add(item.stream.sink);
    });
    for (const sink of sinks) sink.flush(message.atMs);
  }

  /** InstanceHostEvents: an instance is gone; its batch fails as worker_exit, never hangs. */
  onExit(slot: number, reason: string): void {
    const batch = this.inFlight[slot];
    this.inFlight[slot] = undefined;
    this.batcher.retire(slot);
    if (this.closed) {
      // close() while a batch ran: its items still come back, as target_closed.
      if (batch) this.failAll(batch.items, 'target_closed', batch.items.length);
      return;
    }
    this.lost.push({ index: slot, reason, itemsLost: batch?.items.length ?? 0 });
    this.noteDetail('worker_exit', `instance ${slot}: ${reason}`);
    if (batch) this.failAll(batch.items, 'worker_exit', batch.items.length);
    if (this.batcher.liveSlots === 0) this.failAll(this.batcher.drain(), 'worker_exit', 0);
  }

  private completeClassify(items: PendingItem[], done: DoneMessage, tResponseMs: number): void {
    const outputs = done.outputs as readonly ClassifyOutput[];
    let nextStage: PendingItem[] | undefined;
    for (let i = 0; i < items.length; i++) {
      const item = items[i] as PendingItem;
      item.classified = outputs[i];
      if (item.stage === 'classify') {
        item.resolve(classifyResult(item, done, items.length, tResponseMs));
        continue;
      }
      addStageTimes(item, done);
      // After close() nothing would drain the generate lane again: fail instead of re-queueing.
      if (this.closed || this.batcher.liveSlots === 0) {
        item.resolve(failedResult(item, this.closed ? 'target_closed' : 'worker_exit', items.length, tResponseMs));
        continue;
      }
      item.intent = outputs[i]?.label ?? item.intent;
      item.techniques = chooseTechniques(item.intent);
      if (item.inStaticBatch) (nextStage ??= []).push(item);
      else this.batcher.enqueue('generate', item);
    }
    if (nextStage) this.batcher.enqueueBatch('generate', nextStage);
  }

  private dispatch(lane: Lane, items: PendingItem[], slot: number): void {
    const id = this.nextBatchId++;
    this.inFlight[slot] = { id, lane, items };
    const host = this.hosts[slot] as InstanceHost;
    const message: RunMessage =
      lane === 'classify'
        ? { kind: 'run', id, task: 'classify', inputs: items.map((item) => item.text) }
        : {
            kind: 'run',
            id,
            task: 'generate',
            inputs: items.map((item) => ({ text: item.text, intent: item.intent, techniques: item.techniques })),
            maxNewTokens: this.maxNewTokens,
            ...(items.some((item) => item.stream !== undefined) && { stream: true }),
          };
    host.run(message);
  }

  private noteDetail(errorClass: string, detail: string): void {
    if (!this.details.has(errorClass)) this.details.set(errorClass, detail.split('\n', 1)[0] ?? '');
  }

  private failAll(items: readonly PendingItem[], errorClass: string, batchSize: number, tResponseMs: number = epochNowMs()): void {
    for (const item of items) item.resolve(failedResult(item, errorClass, batchSize, tResponseMs));
  }
}
