/**
 * One item on its way through the in-process target, and the ItemResults built from a batch's
 * stamps. Stage times accumulate on the item, so a pipeline item carries its classify part into
 * the generate batch.
 */
import type { Technique } from '../../models/taxonomy.js';
import { chooseTechniques } from '../../models/techniques.js';
import { bareIntent } from './bare-intent.js';
import type { ClassifyOutput, GenerateOutput } from '../../models/types.js';
import type { ItemResult } from '../../core/item-result.js';
import type { Stage } from '../../core/stage.js';
import type { QueuedItem } from './batcher.js';
import type { DoneMessage } from './protocol.js';

export interface PendingItem extends QueuedItem {
  tEnqueueMs: number;
  readonly stage: Stage;
  readonly text: string;
  readonly tArrivalMs: number;
  /** Part of a static batch: its next stage runs as one call of the same items. */
  readonly inStaticBatch: boolean;
  intent: string;
  techniques: readonly Technique[];
  /** Queue and inference time of the stages already done (pipeline). */
  queueMs: number;
  inferenceMs: number;
  /** The model's answers, kept for infer() (serve); the benchmark path never reads them. */
  classified: ClassifyOutput | undefined;
  generated: GenerateOutput | undefined;
  /** Set by infer() with onTokens: where this item's new text goes after each decode step. */
  stream: StreamSlot | undefined;
  readonly resolve: (result: ItemResult) => void;
}

/** One infer() call's streaming sink, shared by its items; `index` is the item's place in the call. */
export interface StreamSlot {
  readonly sink: StreamSink;
  readonly index: number;
}

/** Collects one step's pieces for the call's items, then hands them over in one onTokens call. */
export class StreamSink {
  private pending: string[];
  constructor(
    private readonly size: number,
    private readonly onTokens: (pieces: readonly string[], atMs: number) => void,
  ) {
    this.pending = new Array<string>(size).fill('');
  }

  put(index: number, piece: string): void {
    this.pending[index] = piece;
  }

  flush(atMs: number): void {
    const pieces = this.pending;
    this.pending = new Array<string>(this.size).fill('');
    this.onTokens(pieces, atMs);
  }
}

// Promise executors capture their resolve here, so creating an item allocates no closure.
let capturedResolve: ((result: ItemResult) => void) | undefined;
const captureResolve = (resolve: (result: ItemResult) => void): void => {
  capturedResolve = resolve;
};

export function newPendingItem(
  stage: Stage,
  text: string,
  tArrivalMs: number,
  inStaticBatch: boolean,
  intent: string,
  techniques: readonly Technique[],
): { item: PendingItem; result: Promise<ItemResult> } {
  const result = new Promise<ItemResult>(captureResolve);
  const item: PendingItem = {
    tEnqueueMs: 0,
    stage,
    text,
    tArrivalMs,
    inStaticBatch,
    intent,
    techniques,
    queueMs: 0,
    inferenceMs: 0,
    classified: undefined,
    generated: undefined,
    stream: undefined,
    resolve: capturedResolve as (result: ItemResult) => void,
  };
  return { item, result };
}

/** A new item for `stage`: a generate item carries its bare intent and the techniques chosen for it. */
export function pendingItemFor(
  stage: Stage,
  text: string,
  tArrivalMs: number,
  inStaticBatch: boolean,
): { item: PendingItem; result: Promise<ItemResult> } {
  if (stage !== 'generate') return newPendingItem(stage, text, tArrivalMs, inStaticBatch, '', []);
  const intent = bareIntent(text);
  return newPendingItem(stage, text, tArrivalMs, inStaticBatch, intent, chooseTechniques(intent));
}

/** Adds this batch's queue and inference time to the item (before its next stage). */
export function addStageTimes(item: PendingItem, done: DoneMessage): void {
  item.queueMs += done.tDispatchMs - item.tEnqueueMs;
  item.inferenceMs += done.tDoneMs - done.tDispatchMs;
}

export function classifyResult(item: PendingItem, done: DoneMessage, batchSize: number, tResponseMs: number): ItemResult {
  return {
    ok: true,
    tArrivalMs: item.tArrivalMs,
    tResponseMs,
    queueMs: item.queueMs + done.tDispatchMs - item.tEnqueueMs,
    inferenceMs: item.inferenceMs + done.tDoneMs - done.tDispatchMs,
    batchSize,
  };
}

export function generateResult(item: PendingItem, done: DoneMessage, index: number, batchSize: number, tResponseMs: number): ItemResult {
  const steps = done.stepTimesMs;
  const first = steps[0];
  const last = steps[steps.length - 1];
  const output = done.outputs[index] as { tokenCount?: number } | undefined;
  return {
    ...classifyResult(item, done, batchSize, tResponseMs),
    ...(first !== undefined && { ttftMs: first - done.tDispatchMs }),
    ...(first !== undefined && last !== undefined && steps.length > 1 && { itlMs: (last - first) / (steps.length - 1) }),
    ...(output?.tokenCount !== undefined && { outputTokens: output.tokenCount }),
  };
}

export function failedResult(item: PendingItem, errorClass: string, batchSize: number, tResponseMs: number): ItemResult {
  return {
    ok: false,
    errorClass,
    tArrivalMs: item.tArrivalMs,
    tResponseMs,
    queueMs: item.queueMs,
    inferenceMs: item.inferenceMs,
    batchSize,
  };
}
