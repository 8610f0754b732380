/**
 * The `template` protocol: any JSON service described in the workload. The body is a JSON
 * template with {{text}} (one JSON string) or {{texts}} (a JSON array); the response must hold a
 * value at `outputPath`, and may report its own processing time at `serverTime.path`.
 */
import type { ProtocolOptions } from '../../../core/workload.js';
import type { Decoded, Protocol, ProtocolFactory, ProtocolRequest, ResponseDecoder } from '../protocol.js';

type TemplateOptions = Extract<ProtocolOptions, { protocol: 'template' }>;

/** Texts per request when the body carries {{texts}}: a sanity cap, the server may accept fewer. */
export const TEMPLATE_MAX_TEXTS = 1000;

const PLACEHOLDER = /\{\{(texts?)\}\}/g;

/** A pre-split template: literal parts alternate with placeholders, so a send is a few joins. */
interface CompiledTemplate {
  readonly literals: readonly string[];
  readonly slots: readonly ('text' | 'texts')[];
}

export const templateProtocol: ProtocolFactory<'template'> = (options) => new TemplateProtocol(options);

class TemplateProtocol implements Protocol {
  readonly name = 'template' as const;
  private readonly template: CompiledTemplate;
  private readonly maxItems: number;
  private readonly outputPath: readonly string[];
  private readonly serverTimePath: readonly string[] | null;
  private readonly serverTimeToMs: number;

  constructor(private readonly options: TemplateOptions) {
    this.template = compileTemplate(options.body);
    this.maxItems = this.template.slots.includes('texts') ? TEMPLATE_MAX_TEXTS : 1;
    this.outputPath = splitPath(options.outputPath);
    this.serverTimePath = options.serverTime === null ? null : splitPath(options.serverTime.path);
    this.serverTimeToMs = options.serverTime?.unit === 's' ? 1000 : 1;
  }

  maxItemsPerRequest(): number {
    return this.maxItems;
  }

  request(_stage: unknown, texts: readonly string[]): ProtocolRequest {
    const { literals, slots } = this.template;
    let body = literals[0] as string;
    for (let i = 0; i < slots.length; i += 1) {
      body += (slots[i] === 'texts' ? JSON.stringify(texts) : JSON.stringify(texts[0] ?? '')) + (literals[i + 1] as string);
    }
    return { method: this.options.method, path: '', body };
  }

  decoder(_stage: unknown, items: number): ResponseDecoder {
    return new TemplateDecoder(this, items);
  }

  /** Reads a whole body; used by the decoder once the last chunk is in. */
  decode(text: string, items: number): Decoded {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      // The body whole: the target redacts it before it shortens it.
      return { ok: false, errorClass: 'malformed_body', detail: `response is not JSON: ${text}` };
    }
    const output = readPath(parsed, this.outputPath);
    if (output === undefined) {
      return { ok: false, errorClass: 'protocol_mismatch', detail: `response has no value at "${this.options.outputPath}"` };
    }
    if (this.maxItems > 1 && Array.isArray(output) && output.length !== items) {
      return {
        ok: false,
        errorClass: 'protocol_mismatch',
        detail: `"${this.options.outputPath}" holds ${output.length} results for ${items} texts`,
      };
    }
    return { ok: true, serverMs: this.serverMs(parsed) };
  }

  private serverMs(parsed: unknown): number | null {
    if (this.serverTimePath === null) return null;
    const value = readPath(parsed, this.serverTimePath);
    return typeof value === 'number' && Number.isFinite(value) ? value * this.serverTimeToMs : null;
  }
}

class TemplateDecoder implements ResponseDecoder {
  private readonly chunks: Buffer[] = [];

  constructor(
    private readonly protocol: TemplateProtocol,
    private readonly items: number,
  ) {}

  onData(chunk: Buffer): void {
    this.chunks.push(chunk);
  }

  finish(): Decoded {
    const text = this.chunks.length === 1 ? (this.chunks[0] as Buffer).toString('utf8') : Buffer.concat(this.chunks).toString('utf8');
    return this.protocol.decode(text, this.items);
  }
}

export function compileTemplate(body: string): CompiledTemplate {
  const literals: string[] = [];
  const slots: ('text' | 'texts')[] = [];
  let last = 0;
  for (const match of body.matchAll(PLACEHOLDER)) {
    literals.push(body.slice(last, match.index));
    slots.push(match[1] === 'texts' ? 'texts' : 'text');
    last = match.index + match[0].length;
  }
  literals.push(body.slice(last));
  return { literals, slots };
}

function splitPath(path: string): readonly string[] {
  return path === '' ? [] : path.split('.');
}

/** Dotted path; numeric segments index arrays. undefined when any step is missing. */
export function readPath(value: unknown, segments: readonly string[]): unknown {
  let current = value;
  for (const segment of segments) {
    if (Array.isArray(current) && /^\d+$/.test(segment)) current = current[Number(segment)];
    else if (typeof current === 'object' && current !== null && !Array.isArray(current)) {
      current = Object.prototype.hasOwnProperty.call(current, segment) ? (current as Record<string, unknown>)[segment] : undefined;
    } else return undefined;
  }
  return current;
}
