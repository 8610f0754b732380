/**
 * The protocol registry: one factory per ProtocolName. A new name in core/workload.ts does not
 * compile until it has a factory here.
 */
import type { ProtocolName, ProtocolOptions } from '../../../core/workload.js';
import type { Protocol, ProtocolFactory } from '../protocol.js';
import { betterpromptsProtocol } from './betterprompts.js';
import { kserveV2Protocol } from './kserve-v2.js';
import { openaiProtocol } from './openai.js';
import { templateProtocol } from './template.js';

const FACTORIES = {
  betterprompts: betterpromptsProtocol,
  'kserve-v2': kserveV2Protocol,
  openai: openaiProtocol,
  template: templateProtocol,
} as const satisfies { readonly [P in ProtocolName]: ProtocolFactory<P> };

export function createProtocol(options: ProtocolOptions): Protocol {
  // Each factory takes its own options member; the table's key ties the two together.
  const factory = FACTORIES[options.protocol] as (options: ProtocolOptions) => Protocol;
  return factory(options);
}
