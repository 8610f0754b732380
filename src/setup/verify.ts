/**
 * Proves a built addon the way a run uses it: a model instance in a child process (with the
 * environment runs give it) selects the native backend, which checks a tiny matmul, then
 * classifies a batch with the built-in intent classifier. For --gpu, TensorFlow must see a GPU.
 */
import { toError } from '../errors.js';
import type { BackendReport } from '../core/report/environment.js';
import { NATIVE_PACKAGES, type NativeBackend } from '../targets/inprocess/native/manifest.js';
import { createInProcessTarget } from '../targets/inprocess/create-target.js';
import { SetupError } from './setup-error.js';

export interface Verification {
  readonly backend: BackendReport;
  /** The intents the classifier gave the two check texts. */
  readonly labels: readonly string[];
  readonly gpuSeen: boolean;
}

export interface VerifyOptions {
  /** --gpu on a machine without one (an image build): the addon must load and run on the CPU. */
  readonly allowNoGpu: boolean;
  /** Where built-in models may be cached (the small ones are committed and need nothing). */
  readonly cacheDir: string;
}

const CHECK_TEXTS = ['write a haiku about the first snow of autumn', 'sort this list of numbers in python and explain the steps'];

export async function verifyNative(backend: NativeBackend, options: VerifyOptions): Promise<Verification> {
  const packageName = NATIVE_PACKAGES[backend];
  // 'auto' accepts tensorflow-gpu without a GPU (it then runs on the CPU); a forced choice does not.
  const choice = backend === 'tensorflow-gpu' && options.allowNoGpu ? 'auto' : backend;
  let target;
  try {
    target = await createInProcessTarget({
      backend: choice,
      instances: 1,
      isolation: 'process',
      models: { classify: { kind: 'builtin', name: 'intent-classifier', size: 'small', cacheDir: options.cacheDir } },
    });
  } catch (error) {
    const fix =
      backend === 'tensorflow-gpu'
        ? 'check nvidia-smi and the CUDA libraries; to build without a GPU (an image build) pass --allow-no-gpu'
        : 'read the reason above';
    throw new SetupError('verify', `${packageName} did not start in a child process: ${toError(error).message}`, fix);
  }
  try {
    const used = target.backend;
    if (used.package !== packageName) {
      const reason = used.skipped.find((skip) => skip.backend === backend)?.reason ?? 'no reason given';
      throw new SetupError(
        'verify',
        `the child process could not use ${packageName} and fell back to ${used.name} (${reason})`,
        'read the reason above',
      );
    }
    await target.configure('classify', { maxBatchSize: CHECK_TEXTS.length, maxQueueDelayMs: 0, maxNewTokens: 1 });
    const results = await target.infer('classify', CHECK_TEXTS);
    const failed = results.find((result) => !result.result.ok);
    if (failed)
      throw new SetupError(
        'verify',
        `a classify batch failed on ${packageName} (${failed.result.errorClass ?? 'unknown'})`,
        'rerun with PIPEBENCH_DEBUG=1 and read the build log',
      );
    const gpuSeen = used.gpu || (used.native?.devices ?? []).some((device) => device.type === 'GPU');
    return { backend: used, labels: results.map((r) => (r.output?.kind === 'classify' ? r.output.intent : '?')), gpuSeen };
  } finally {
    await target.close();
  }
}
