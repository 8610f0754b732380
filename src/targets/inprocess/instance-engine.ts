/**
 * What runs inside one model instance (worker thread or child process): select the backend,
 * load the models, then run one batch per `run` message, stamping t_dispatch when the batch
 * starts and t_done once its outputs are on the host, on the shared epoch clock.
 */
import * as tf from '@tensorflow/tfjs';
import { InputError, toError } from '../../errors.js';
import { epochNowMs } from '../../core/clock.js';
import { loadModel } from '../../models/load.js';
import type { StreamingGenerateOptions } from '../../models/generator-runtime.js';
import type { ClassifierRuntime, GeneratorRuntime, ModelRuntime } from '../../models/types.js';
import type { ModelInfo } from '../../core/model-info.js';
import { selectBackend } from './backend.js';
import type { HostMessage, InstanceMessage, InstanceModels, RunMessage } from './protocol.js';

export interface InstanceEngine {
  handle(message: HostMessage): Promise<void>;
}

export function createInstanceEngine(post: (message: InstanceMessage) => void, exit: () => void): InstanceEngine {
  let classifier: ClassifierRuntime | undefined;
  let generator: GeneratorRuntime | undefined;

  async function init(backend: HostMessage & { kind: 'init' }): Promise<void> {
    // Production mode: no debug checks, and TF.js keeps its console notices to itself.
    tf.enableProdMode();
    let selected;
    try {
      selected = await selectBackend(tf, backend.backend);
    } catch (error) {
      post({ kind: 'init_failed', errorClass: 'backend_unavailable', message: toError(error).message });
      return;
    }
    try {
      const infos: ModelInfo[] = [];
      for (const runtime of await loadModels(backend.models)) {
        if (runtime.task === 'classify') classifier = runtime;
        else generator = runtime;
        infos.push(runtime.info);
      }
      post({ kind: 'ready', backend: selected, modelInfos: infos });
    } catch (error) {
      const where = error instanceof InputError ? error.where : undefined;
      const message = where ? toError(error).message.replace(`${where}: `, '') : toError(error).message;
      post({ kind: 'init_failed', errorClass: 'model_load', message, ...(where !== undefined && { where }) });
    }
  }

  async function run(message: RunMessage): Promise<void> {
    const tDispatchMs = epochNowMs();
    try {
      if (message.task === 'classify') {
        if (!classifier) throw new MissingModel('classify');
        const outputs = await classifier.classify(message.inputs);
        const tDoneMs = epochNowMs();
        post({ kind: 'done', id: message.id, task: 'classify', tDispatchMs, tDoneMs, outputs, stepTimesMs: [] });
        return;
      }
      if (!generator) throw new MissingModel('generate');
      const stepTimesMs: number[] = [];
      const options: StreamingGenerateOptions = {
        maxNewTokens: message.maxNewTokens,
        onStep: () => stepTimesMs.push(epochNowMs()),
        ...(message.stream && { onStepTokens: streamPieces(message.id, message.inputs.length, post) }),
      };
      const outputs = await generator.generate(message.inputs, options);
      const tDoneMs = epochNowMs();
      post({ kind: 'done', id: message.id, task: 'generate', tDispatchMs, tDoneMs, outputs, stepTimesMs });
    } catch (error) {
      const errorClass = error instanceof MissingModel ? 'no_model' : 'model_error';
      post({ kind: 'failed', id: message.id, errorClass, message: toError(error).message });
    }
  }

  return {
    async handle(message) {
      switch (message.kind) {
        case 'init':
          return init(message);
        case 'run':
          return run(message);
        case 'memory': {
          const memory = tf.memory();
          post({ kind: 'memory', id: message.id, numTensors: memory.numTensors, numBytes: memory.numBytes });
          return;
        }
        case 'time-raw': {
          if (!classifier) throw new MissingModel('classify');
          const durationsMs: number[] = [];
          for (let i = 0; i < message.calls; i++) {
            const start = epochNowMs();
            await classifier.classify(message.inputs);
            durationsMs.push(epochNowMs() - start);
          }
          post({ kind: 'raw-times', id: message.id, durationsMs });
          return;
        }
        case 'close':
          classifier?.dispose();
          generator?.dispose();
          exit();
          return;
      }
    },
  };
}

/** Posts each row's new text after every step: the row's text now, less what was already sent. */
function streamPieces(id: number, rows: number, post: (message: InstanceMessage) => void): StreamingGenerateOptions['onStepTokens'] {
  const sent: string[] = new Array<string>(rows).fill('');
  return (step, _tokenIds, rowTexts) => {
    const atMs = epochNowMs();
    const pieces = rowTexts.map((text, r) => {
      const before = sent[r] ?? '';
      sent[r] = text;
      return text.startsWith(before) ? text.slice(before.length) : text;
    });
    post({ kind: 'tokens', id, step, atMs, pieces });
  };
}

async function loadModels(models: InstanceModels): Promise<ModelRuntime[]> {
  const runtimes: ModelRuntime[] = [];
  for (const [task, spec] of [
    ['classify', models.classify],
    ['generate', models.generate],
  ] as const) {
    if (!spec) continue;
    const runtime = await loadModel(tf, spec);
    if (runtime.task !== task) {
      runtime.dispose();
      throw new InputError(spec.kind === 'dir' ? spec.dir : spec.name, `is a ${runtime.task} model, but was given as the ${task} model`);
    }
    runtimes.push(runtime);
  }
  return runtimes;
}

class MissingModel extends Error {
  constructor(task: string) {
    super(`this target was opened without a ${task} model`);
  }
}
