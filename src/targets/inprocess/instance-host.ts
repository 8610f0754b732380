/**
 * The main thread's side of one model instance: the init handshake, memory queries, and
 * forwarding of batch results and of the instance's exit to the target.
 */
import { InputError, TargetUnavailableError } from '../../errors.js';
import type { ModelInfo } from '../../core/model-info.js';
import type { BackendChoice } from '../../core/workload.js';
import { openChannel, type InstanceChannel, type Isolation } from './channel.js';
import type {
  DoneMessage,
  FailedMessage,
  HostMessage,
  InstanceMessage,
  InstanceModels,
  RunMessage,
  SelectedBackend,
  TokensMessage,
} from './protocol.js';

type QueryReply = Extract<InstanceMessage, { kind: 'memory' | 'raw-times' }>;

export interface InstanceHostEvents {
  onResult(index: number, message: DoneMessage | FailedMessage): void;
  /** Streaming batches only: one decode step's new text per row. */
  onTokens?(index: number, message: TokensMessage): void;
  onExit(index: number, reason: string): void;
}

export interface InstanceMemory {
  readonly numTensors: number;
  readonly numBytes: number;
}

export interface StartOptions {
  readonly index: number;
  readonly isolation: Isolation;
  readonly backend: BackendChoice;
  readonly models: InstanceModels;
  readonly events: InstanceHostEvents;
  /** The instance entry file (tests only; default: channel.instanceEntryPath()). */
  readonly entry?: string;
}

export class InstanceHost {
  private alive = true;
  private exitReason: string | undefined;
  private nextQueryId = 1;
  /** Requests answered by one reply with the same id (memory, calibration). */
  private readonly queries = new Map<number, { resolve: (reply: QueryReply) => void; reject: (e: Error) => void }>();
  private readyWaiter: ((message: InstanceMessage | { kind: 'exit'; reason: string }) => void) | undefined;
  private channel!: InstanceChannel;
  /** The memory request not yet answered: later callers share it, so a busy instance gets one, not a queue. */
  private pendingMemory: Promise<InstanceMemory> | undefined;

  private constructor(
    readonly index: number,
    private readonly events: InstanceHostEvents,
  ) {}

  /** Starts the instance and waits until its backend and models are ready. */
  static async start(options: StartOptions): Promise<{ host: InstanceHost; backend: SelectedBackend; modelInfos: readonly ModelInfo[] }> {
    const host = new InstanceHost(options.index, options.events);
    const first = new Promise<InstanceMessage | { kind: 'exit'; reason: string }>((resolve) => {
      host.readyWaiter = resolve;
    });
    host.channel = openChannel(
      options.isolation,
      { onMessage: (message) => host.onMessage(message), onExit: (reason) => host.onExit(reason) },
      options.entry,
    );
    host.channel.post({ kind: 'init', backend: options.backend, models: options.models });
    const reply = await first;
    if (reply.kind === 'ready') return { host, backend: reply.backend, modelInfos: reply.modelInfos };
    await host.kill();
    const prefix = `model instance ${options.index} (${options.isolation})`;
    if (reply.kind === 'init_failed' && reply.errorClass === 'model_load' && reply.where !== undefined) {
      throw new InputError(reply.where, reply.message);
    }
    if (reply.kind === 'init_failed') throw new TargetUnavailableError(`${prefix}: ${reply.message}`);
    if (reply.kind === 'exit') throw new TargetUnavailableError(`${prefix} ended during start-up: ${reply.reason}`);
    throw new TargetUnavailableError(`${prefix} answered "${reply.kind}" before it was ready`);
  }

  get isAlive(): boolean {
    return this.alive;
  }

  get pid(): number {
    return this.channel.pid;
  }

  get threadId(): number | null {
    return this.channel.threadId;
  }

  get isolation(): Isolation {
    return this.channel.isolation;
  }

  run(message: RunMessage): void {
    this.channel.post(message);
  }

  /**
   * tf.memory() inside the instance. It answers between batches (the instance handles one message
   * at a time), so during a long batch the answer waits; callers meanwhile share that one request.
   */
  memory(): Promise<InstanceMemory> {
    this.pendingMemory ??= this.query((id) => ({ kind: 'memory', id }))
      .then((reply) => {
        if (reply.kind !== 'memory') throw new TargetUnavailableError(`model instance ${this.index} answered ${reply.kind} to memory`);
        return { numTensors: reply.numTensors, numBytes: reply.numBytes };
      })
      .finally(() => {
        this.pendingMemory = undefined;
      });
    return this.pendingMemory;
  }

  /** The model's own time for `calls` back-to-back classify() calls inside the instance (calibration). */
  async timeRawClassify(inputs: readonly string[], calls: number): Promise<readonly number[]> {
    const reply = await this.query((id) => ({ kind: 'time-raw', id, inputs, calls }));
    if (reply.kind !== 'raw-times') throw new TargetUnavailableError(`model instance ${this.index} answered ${reply.kind} to time-raw`);
    return reply.durationsMs;
  }

  private query(message: (id: number) => HostMessage): Promise<QueryReply> {
    if (!this.alive) return Promise.reject(new TargetUnavailableError(`model instance ${this.index} is gone: ${this.exitReason ?? ''}`));
    const id = this.nextQueryId++;
    return new Promise<QueryReply>((resolve, reject) => {
      this.queries.set(id, { resolve, reject });
      this.channel.post(message(id));
    });
  }

  /** Asks the instance to dispose its models and exit; kills it if it has not after `graceMs`. */
  async close(graceMs: number): Promise<void> {
    if (!this.alive) return;
    this.channel.post({ kind: 'close' });
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timedOut = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), graceMs);
    });
    const outcome = await Promise.race([this.channel.exited, timedOut]);
    clearTimeout(timer);
    if (outcome === 'timeout') await this.channel.kill();
  }

  kill(): Promise<void> {
    return this.channel.kill();
  }

  private onMessage(message: InstanceMessage): void {
    switch (message.kind) {
      case 'done':
      case 'failed':
        this.events.onResult(this.index, message);
        return;
      case 'tokens':
        this.events.onTokens?.(this.index, message);
        return;
      case 'memory':
      case 'raw-times': {
        const request = this.queries.get(message.id);
        this.queries.delete(message.id);
        request?.resolve(message);
        return;
      }
      case 'ready':
      case 'init_failed':
        this.readyWaiter?.(message);
        this.readyWaiter = undefined;
        return;
    }
  }

  private onExit(reason: string): void {
    this.alive = false;
    this.exitReason = reason;
    for (const request of this.queries.values())
      request.reject(new TargetUnavailableError(`model instance ${this.index} is gone: ${reason}`));
    this.queries.clear();
    if (this.readyWaiter) {
      this.readyWaiter({ kind: 'exit', reason });
      this.readyWaiter = undefined;
      return;
    }
    this.events.onExit(this.index, reason);
  }
}
