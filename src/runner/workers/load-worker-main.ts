/**
 * A load worker thread: opens its own HTTP target (own undici pools) and texts, then drives its
 * share of each step it is given through the same step driver as the main thread, records into its
 * own StepRecorder on the step's shared window grid, and posts closed windows as they close and
 * the measurement at the step's end. Only the main thread judges stability and merges.
 */
import { parentPort, type MessagePort } from 'node:worker_threads';
import { epochNowMs } from '../../core/clock.js';
import { PipebenchError, toError } from '../../errors.js';
import { StepRecorder } from '../../metrics/recorder.js';
import { createHttpTarget, type HttpTarget } from '../../targets/http/target.js';
import { TextSource } from '../../workload/corpus.js';
import { driveStep, finishMeasurement } from '../drive-step.js';
import { targetWarnings } from '../target-warnings.js';
import type { FromWorker, ToWorker } from './messages.js';
import { dealtSchedule } from './split-load.js';

function workerPort(): MessagePort {
  if (parentPort === null) throw new Error('load-worker-main.js runs as a worker thread');
  return parentPort;
}

const port = workerPort();
const post = (message: FromWorker): void => port.postMessage(message);
const clock = epochNowMs;

let target: HttpTarget | null = null;
let texts: TextSource | null = null;
/** The step now running: how the main thread's stop and abort reach it. */
let running: { readonly abort: AbortController; stopAsked: boolean } | null = null;

async function open(message: Extract<ToWorker, { kind: 'open' }>): Promise<void> {
  try {
    target = await createHttpTarget(message.spec, { env: { ...message.env } });
    await target.setConnections(message.connections);
    texts = new TextSource(message.corpus, {
      seed: message.seed + message.slot.index,
      uniqueTexts: message.uniqueTexts,
      uniqueTag: `w${message.slot.index + 1}`,
    });
    post({ kind: 'opened' });
  } catch (error) {
    const exitCode = error instanceof PipebenchError ? error.exitCode : 3;
    post({ kind: 'failed', message: toError(error).message, exitCode });
  }
}

async function measure(message: Extract<ToWorker, { kind: 'step' }>): Promise<void> {
  if (target === null || texts === null) throw new Error('a step before the target opened');
  const { step, slot } = message;
  await target.configure(step.stage, {
    maxBatchSize: step.batchSize,
    maxQueueDelayMs: step.maxQueueDelayMs,
    maxNewTokens: step.maxNewTokens,
  });
  const recorder = new StepRecorder({ clock, sharedWindowOriginMs: message.windowOriginMs });
  const state = { abort: new AbortController(), stopAsked: false };
  running = state;
  let windowsPosted = 0;
  const postUpdate = (): void => {
    const closed = recorder.closedWindowCount > windowsPosted ? recorder.closedWindows().slice(windowsPosted) : [];
    windowsPosted += closed.length;
    const live = recorder.live();
    post({
      kind: 'update',
      completed: live.completed,
      errors: live.errors,
      firstMeasuredArrivalMs: recorder.firstMeasuredArrivalMs,
      windows: closed,
      e2e: recorder.encodedE2e(),
    });
  };
  let plannedAtMs: number | null = null;
  const shouldStop = (): boolean => {
    if (plannedAtMs === null) {
      plannedAtMs = clock();
      post({ kind: 'planned', atMs: plannedAtMs });
    }
    return state.stopAsked;
  };
  await sleepUntil(message.startAtMs);
  const ticker = setInterval(postUpdate, message.updateMs);
  try {
    const shiftMs = clock() - message.startAtMs;
    const outcome = await driveStep(step, {
      target,
      texts,
      sink: recorder,
      clock,
      seed: message.seed,
      signal: state.abort.signal,
      scheduleShare: (planned) => dealtSchedule(planned, slot, shiftMs),
      ...(message.drainGraceMs !== undefined && { drainGraceMs: message.drainGraceMs }),
      ...(message.judged && { shouldStop }),
    });
    const measurement = finishMeasurement(recorder, outcome);
    postUpdate();
    post({
      kind: 'measured',
      measurement,
      endedBy: outcome.endedBy,
      abandoned: outcome.abandoned,
      extendedMs: outcome.extendedMs,
      sends: outcome.sends,
    });
  } finally {
    clearInterval(ticker);
    running = null;
  }
}

function sleepUntil(epochMs: number): Promise<void> {
  const waitMs = epochMs - clock();
  return waitMs <= 0 ? Promise.resolve() : new Promise((resolve) => setTimeout(resolve, waitMs));
}

async function close(): Promise<void> {
  const warnings = target === null ? [] : targetWarnings(target);
  await target?.close();
  target = null;
  post({ kind: 'closed', warnings });
  port.close();
}

port.on('message', (message: ToWorker) => {
  switch (message.kind) {
    case 'open':
      return void open(message);
    case 'step':
      return void measure(message);
    case 'stop':
      if (running !== null) running.stopAsked = true;
      return;
    case 'abort':
      running?.abort.abort('aborted');
      return;
    case 'close':
      return void close();
  }
});
