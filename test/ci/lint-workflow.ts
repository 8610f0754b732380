/**
 * Lints a GitHub Actions workflow so an example that is never run here cannot rot: GitHub's own parser
 * and schema (@actions/workflow-parser), the references an expression makes, actions pinned by major
 * version, every `pipebench ...` line against the built CLI's --help, and the repository files named.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { convertWorkflowTemplate, NoOperationTraceWriter, parseWorkflow } from '@actions/workflow-parser';
import { parse } from 'yaml';
import { CliHelp } from './cli-help.js';
import { commandsOf } from './shell-commands.js';
import { brokenReferences } from './workflow-references.js';

export const REPO_ROOT = join(import.meta.dirname, '..', '..');
const PINNED = /^[\w.-]+\/[\w.-]+@v\d+$/;
/** Words in a script that name a file of this repository (a workload, the Dockerfile). */
const REPO_FILE = /^(workloads\/\S+\.ya?ml|Dockerfile\.\w+)$/;

export interface WorkflowSteps {
  readonly runs: readonly string[];
  readonly uses: readonly string[];
}

/** The `run:` scripts and `uses:` of every step of every job. */
export function workflowSteps(workflow: Record<string, unknown>): WorkflowSteps {
  const steps = Object.values((workflow['jobs'] ?? {}) as Record<string, { steps?: Record<string, unknown>[] }>).flatMap(
    (job) => job.steps ?? [],
  );
  return {
    runs: steps.flatMap((step) => (typeof step['run'] === 'string' ? [step['run']] : [])),
    uses: steps.flatMap((step) => (typeof step['uses'] === 'string' ? [step['uses']] : [])),
  };
}

/** Every `pipebench` command line (argv after the program name) in the workflow's scripts. */
export function pipebenchCommands(workflow: Record<string, unknown>): string[][] {
  return workflowSteps(workflow).runs.flatMap((script) => commandsOf('pipebench', script));
}

/** Every problem found, one line each; [] for a sound workflow. */
export async function lintWorkflow(name: string, text: string, cli: CliHelp): Promise<string[]> {
  const parsed = parseWorkflow({ name, content: text }, new NoOperationTraceWriter());
  const problems = parsed.context.errors.getErrors().map((error) => `schema: ${error.message}`);
  if (parsed.value === undefined || problems.length > 0) return problems;
  const template = await convertWorkflowTemplate(parsed.context, parsed.value);
  problems.push(...(template.errors ?? []).map((error) => `schema: ${error.Message}`));

  const workflow = parse(text) as Record<string, unknown>;
  problems.push(...brokenReferences(workflow).map((problem) => `reference: ${problem}`));
  const { runs, uses } = workflowSteps(workflow);
  problems.push(
    ...uses.filter((action) => !PINNED.test(action)).map((action) => `uses: ${action} is not pinned to a major version (owner/repo@vN)`),
  );
  const checked = await Promise.all(pipebenchCommands(workflow).map((argv) => cli.check(argv)));
  problems.push(...checked.flat().map((problem) => `cli: ${problem}`));
  const named = runs.flatMap((script) => commandsOf('pipebench', script).concat(commandsOf('docker', script))).flat();
  for (const file of new Set(named.filter((word) => REPO_FILE.test(word)))) {
    if (!existsSync(join(REPO_ROOT, file))) problems.push(`file: ${file} is not in the repository`);
  }
  return problems;
}
