/**
 * Every input a run reads, checked before anything starts: no model is loaded, no target is
 * health-checked or sent to, and no output is written until these pass. A run refused here never
 * started, so it leaves nothing behind, and its input error wins over a target that is down.
 * (Flags, the workload file, budgets and a --gpu-trace are read and checked by the CLI before it
 * calls this; the target checks its own environment variables before it opens a connection.)
 */
import { ReportWriter } from '../report/writer.js';
import { checkBatchSize } from '../targets/http/protocol.js';
import { createProtocol } from '../targets/http/protocols/index.js';
import { loadCorpus, type Corpus } from '../workload/corpus.js';
import { planSteps } from '../workload/plan.js';
import type { Step, Workload } from '../core/workload.js';

export interface RunInputs {
  /** The workload's plan, in order. */
  readonly steps: readonly Step[];
  readonly corpus: Corpus;
}

/** Throws the first InputError found: the corpus, a batch size the HTTP protocol cannot send, an --out folder that cannot be made. */
export async function checkRunInputs(workload: Workload, outDir: string): Promise<RunInputs> {
  const steps = planSteps(workload);
  const corpus = await loadCorpus(workload.corpus.path);
  if (workload.target.kind === 'http') {
    // A protocol's per-request limits are known from its options alone: refuse batch 4 on a route
    // that takes one text before step 1, not at step 7 (and not after the health check).
    const protocol = createProtocol(workload.target.options);
    for (const step of steps) checkBatchSize(protocol, step.stage, step.batchSize);
  }
  await new ReportWriter(outDir).checkWritable();
  return { steps, corpus };
}
