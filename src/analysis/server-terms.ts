/**
 * The chosen configuration in the server's own terms (issue 15): a Triton config.pbtxt fragment for
 * a Triton sweep, TorchServe config.properties lines for a launch whose program is `torchserve`, else
 * the launch command line (with {port} kept). Pure: the spec and the values in, the text out.
 */
import {
  renderLaunchCommand,
  serverConfigLabel,
  type LaunchServerSpec,
  type ServerParams,
  type ServerSpec,
} from '../core/server-config.js';
import type { ServerTermsKind } from '../core/report/server-sweep.js';
import { tritonModelConfig } from '../core/triton-config.js';

export interface ServerTerms {
  readonly kind: ServerTermsKind;
  readonly text: string;
}

export function serverTerms(spec: ServerSpec | undefined, params: ServerParams): ServerTerms {
  if (spec === undefined) return { kind: 'command', text: serverConfigLabel(params) };
  if (spec.kind === 'triton') return { kind: 'config.pbtxt', text: tritonPbtxt(spec.baseConfig, params) };
  const torchserve = torchserveModel(spec.command);
  if (torchserve !== null) return { kind: 'config.properties', text: torchserveProperties(torchserve, params) };
  return { kind: 'command', text: renderLaunchCommand(spec.command, null, params) };
}

/**
 * The batching fields of the model config, in protobuf text format: max_batch_size,
 * dynamic_batching's queue delay and preferred sizes, the first instance group's count and kind
 * (the base config's kind, else KIND_GPU). Fields neither swept nor in the base config are left out.
 */
function tritonPbtxt(base: Readonly<Record<string, unknown>>, params: ServerParams): string {
  const config = tritonModelConfig(base, params);
  const lines: string[] = [];
  if (config.max_batch_size !== undefined) lines.push(`max_batch_size: ${config.max_batch_size}`);
  const batching = config.dynamic_batching;
  if (batching !== undefined) {
    lines.push('dynamic_batching {');
    if (batching.max_queue_delay_microseconds !== undefined)
      lines.push(`  max_queue_delay_microseconds: ${batching.max_queue_delay_microseconds}`);
    if (batching.preferred_batch_size !== undefined) lines.push(`  preferred_batch_size: [ ${batching.preferred_batch_size.join(', ')} ]`);
    lines.push('}');
  }
  const group = config.instance_group?.[0];
  if (group?.count !== undefined) {
    const kind = typeof group.kind === 'string' ? group.kind : 'KIND_GPU';
    lines.push('instance_group [', '  {', `    count: ${group.count}`, `    kind: ${kind}`, '  }', ']');
  }
  return lines.join('\n');
}

interface TorchserveModel {
  readonly name: string;
  readonly marName: string;
}

/** TorchServe's model from a launch command whose program is `torchserve`: `--models NAME=FILE.mar` (or FILE.mar); null for other programs. */
export function torchserveModel(command: LaunchServerSpec['command']): TorchserveModel | null {
  const words = command.trim().split(/\s+/);
  const program = words.find((word) => !/^[A-Za-z_][A-Za-z0-9_]*=/.test(word)) ?? '';
  if (program.split('/').at(-1) !== 'torchserve') return null;
  const models = words[words.indexOf('--models') + 1];
  const first = words.includes('--models') && models !== undefined ? (models.split(/[\s,]/)[0] ?? '') : '';
  const [named, file] = first.includes('=') ? first.split('=', 2) : [undefined, first];
  const marName = file?.split('/').at(-1) ?? '';
  const name = named ?? marName.replace(/\.mar$/, '');
  return name === '' || marName === '' ? { name: '<model>', marName: '<model>.mar' } : { name, marName };
}

/** TorchServe's version key for the model; the archive's own version is not known from the command. */
const TORCHSERVE_VERSION = '1.0';

/**
 * The `models=` line of config.properties with TorchServe's own keys: batchSize (maxBatchSize),
 * maxBatchDelay in ms (maxQueueDelayMs), minWorkers and maxWorkers (instances).
 */
function torchserveProperties(model: TorchserveModel, params: ServerParams): string {
  const settings: Record<string, unknown> = { defaultVersion: true, marName: model.marName };
  if (params.instances !== undefined) Object.assign(settings, { minWorkers: params.instances, maxWorkers: params.instances });
  if (params.maxBatchSize !== undefined) settings.batchSize = params.maxBatchSize;
  if (params.maxQueueDelayMs !== undefined) settings.maxBatchDelay = params.maxQueueDelayMs;
  return `models=${JSON.stringify({ [model.name]: { [TORCHSERVE_VERSION]: settings } })}`;
}
