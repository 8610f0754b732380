/**
 * A tiny XML reader for `nvidia-smi -q -x`: elements, attributes, text and the five predefined
 * entities. No namespaces, CDATA or DTD processing (nvidia-smi uses none of them).
 */

export interface XmlElement {
  readonly name: string;
  readonly attributes: Readonly<Record<string, string>>;
  readonly children: readonly XmlElement[];
  /** Text directly inside this element, trimmed and unescaped. */
  readonly text: string;
}

interface OpenElement {
  name: string;
  attributes: Record<string, string>;
  children: XmlElement[];
  text: string;
}

const TOKEN =
  /<!--[\s\S]*?-->|<\?[\s\S]*?\?>|<!DOCTYPE[^>]*>|<(\/?)([A-Za-z_][\w.:-]*)((?:\s+[\w.:-]+\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*(\/?)>/g;
const ATTRIBUTE = /([\w.:-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g;
const ENTITIES: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/** The root element, or null when the text is not well-formed enough to read. */
export function parseXml(text: string): XmlElement | null {
  const root: OpenElement = { name: '#document', attributes: {}, children: [], text: '' };
  const stack: OpenElement[] = [root];
  let last = 0;
  for (const match of text.matchAll(TOKEN)) {
    stack.at(-1)!.text += text.slice(last, match.index);
    last = match.index + match[0].length;
    const [, closing, name, attributeText, selfClosing] = match;
    if (name === undefined) continue; // comment, declaration, doctype
    if (closing === '/') {
      const open = stack.pop();
      if (open === undefined || open.name !== name || stack.length === 0) return null;
      stack.at(-1)!.children.push(freeze(open));
      continue;
    }
    const element: OpenElement = { name, attributes: parseAttributes(attributeText ?? ''), children: [], text: '' };
    if (selfClosing === '/') stack.at(-1)!.children.push(freeze(element));
    else stack.push(element);
  }
  if (stack.length !== 1) return null;
  return root.children.length === 1 ? root.children[0]! : null;
}

function parseAttributes(text: string): Record<string, string> {
  const attributes: Record<string, string> = {};
  for (const match of text.matchAll(ATTRIBUTE)) attributes[match[1]!] = unescape(match[2] ?? match[3] ?? '');
  return attributes;
}

function freeze(open: OpenElement): XmlElement {
  return { name: open.name, attributes: open.attributes, children: open.children, text: unescape(open.text.trim()) };
}

function unescape(text: string): string {
  return text.replace(/&(amp|lt|gt|quot|apos|#\d+|#x[0-9a-f]+);/gi, (whole, entity: string) => {
    if (entity.startsWith('#x') || entity.startsWith('#X')) return String.fromCodePoint(parseInt(entity.slice(2), 16));
    if (entity.startsWith('#')) return String.fromCodePoint(Number(entity.slice(1)));
    return ENTITIES[entity.toLowerCase()] ?? whole;
  });
}

/** The first element along a path of child names (`fb_memory_usage/total`). */
export function childAt(element: XmlElement, path: string): XmlElement | undefined {
  let current: XmlElement | undefined = element;
  for (const name of path.split('/')) {
    current = current?.children.find((child) => child.name === name);
    if (current === undefined) return undefined;
  }
  return current;
}

/** Text at a path, or null when absent or `N/A`. */
export function textAt(element: XmlElement, path: string): string | null {
  const text = childAt(element, path)?.text;
  return text === undefined || text === '' || text === 'N/A' ? null : text;
}
