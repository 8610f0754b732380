/**
 * What GitHub's schema cannot see in a workflow: that every `inputs.X`, `needs.X(.outputs.Y)`,
 * `steps.X(.outputs.Y)` and `env.X` an expression names exists where it is used. A step is visible
 * only to the steps after it in its own job; `needs` only to the jobs that list it; an output only
 * where the job or step declares it (a run step writes `Y=` to $GITHUB_OUTPUT).
 */

type Yaml = Record<string, unknown>;

/** Where an expression sits: a job, and within it a step (Infinity: the job's outputs, after all steps). */
interface Place {
  readonly job?: string;
  readonly step?: number;
  readonly path: string;
}

/** Outputs of the actions this repository's workflows use, from each action's action.yml. */
const ACTION_OUTPUTS: Readonly<Record<string, readonly string[]>> = {
  'actions/download-artifact': ['download-path'],
  'actions/upload-artifact': ['artifact-id', 'artifact-url', 'artifact-digest'],
  'actions/github-script': ['result'],
};

const REFERENCE = /(?<![\w.-])(inputs|needs|steps|env)\.([A-Za-z_][\w-]*)((?:\.[A-Za-z_][\w-]*)*)/g;

export function brokenReferences(workflow: Yaml): string[] {
  const problems: string[] = [];
  for (const { text, place } of expressions(workflow)) {
    for (const match of withoutStringLiterals(text).matchAll(REFERENCE)) {
      const problem = checkReference(workflow, place, match[1]!, match[2]!, match[3]!.split('.').filter(Boolean));
      if (problem !== undefined) problems.push(`${place.path}: ${match[0]}: ${problem}`);
    }
  }
  return problems;
}

function checkReference(workflow: Yaml, place: Place, context: string, name: string, rest: readonly string[]): string | undefined {
  const jobs = asYaml(workflow['jobs']);
  const job = place.job === undefined ? undefined : asYaml(jobs[place.job]);
  switch (context) {
    case 'inputs': {
      const on = asYaml(workflow['on']);
      const declared = [asYaml(asYaml(on['workflow_dispatch'])['inputs']), asYaml(asYaml(on['workflow_call'])['inputs'])];
      return declared.some((inputs) => name in inputs) ? undefined : 'no such input under on.workflow_dispatch or on.workflow_call';
    }
    case 'env': {
      const steps = asList(job?.['steps']);
      const step = place.step === undefined ? undefined : asYaml(steps[place.step]);
      const scopes = [workflow['env'], job?.['env'], step?.['env']].map(asYaml);
      return scopes.some((env) => name in env) ? undefined : 'not set in the workflow, job or step env';
    }
    case 'needs': {
      const needs = job?.['needs'];
      const listed = typeof needs === 'string' ? [needs] : asList(needs);
      if (!listed.includes(name)) return `job ${place.job ?? '(none)'} does not list ${name} in needs`;
      if (rest[0] !== 'outputs' || rest[1] === undefined) return undefined;
      return rest[1] in asYaml(asYaml(jobs[name])['outputs']) ? undefined : `job ${name} declares no output ${rest[1]}`;
    }
    default:
      return checkStepReference(asList(job?.['steps']), place, name, rest);
  }
}

function checkStepReference(steps: readonly unknown[], place: Place, id: string, rest: readonly string[]): string | undefined {
  const index = steps.findIndex((step) => asYaml(step)['id'] === id);
  if (index < 0) return `no step with id ${id} in job ${place.job ?? '(none)'}`;
  if (place.step === undefined || index >= place.step) return `step ${id} does not run before this point`;
  if (rest[0] !== 'outputs' || rest[1] === undefined) return undefined;
  return stepDeclaresOutput(asYaml(steps[index]), rest[1]) ? undefined : `step ${id} sets no output ${rest[1]}`;
}

function stepDeclaresOutput(step: Yaml, output: string): boolean {
  const run = step['run'];
  if (typeof run === 'string') return run.includes('GITHUB_OUTPUT') && new RegExp(`(^|[\\s"'])${output}=`).test(run);
  const action = String(step['uses'] ?? '').split('@')[0]!;
  const script = String(asYaml(step['with'])['script'] ?? '');
  return (ACTION_OUTPUTS[action] ?? []).includes(output) || script.includes(`setOutput('${output}'`);
}

/** Every expression in the workflow with its place: `${{ }}` in any string, and each bare `if:`. */
function* expressions(node: unknown, place: Place = { path: '' }, key = ''): Generator<{ text: string; place: Place }> {
  if (typeof node === 'string') {
    if (key === 'if' && !node.includes('${{')) yield { text: node, place };
    for (const match of node.matchAll(/\$\{\{(.*?)\}\}/gs)) yield { text: match[1]!, place };
    return;
  }
  const entries = Array.isArray(node) ? node.map((v, i) => [String(i), v] as const) : Object.entries(asYaml(node));
  for (const [childKey, child] of entries) {
    yield* expressions(child, placeOf(place, childKey), childKey);
  }
}

function placeOf(parent: Place, key: string): Place {
  const path = parent.path === '' ? key : `${parent.path}.${key}`;
  if (parent.path === 'jobs') return { job: key, path };
  if (parent.job === undefined) return { path };
  if (parent.path === `jobs.${parent.job}` && key === 'outputs') return { job: parent.job, step: Infinity, path };
  if (parent.path === `jobs.${parent.job}.steps`) return { job: parent.job, step: Number(key), path };
  return { ...parent, path };
}

function withoutStringLiterals(expression: string): string {
  return expression.replace(/'(?:[^']|'')*'/g, "''");
}

function asYaml(value: unknown): Yaml {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Yaml) : {};
}

function asList(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}
