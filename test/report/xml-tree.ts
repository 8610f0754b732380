/**
 * A strict little XML reader for tests (no XML package is installed): elements, attributes,
 * text, the five entities and numeric references. Throws on anything not well-formed, so a
 * renderer that forgets to escape fails the test instead of passing a string match.
 */
export interface XmlElement {
  readonly name: string;
  readonly attrs: Readonly<Record<string, string>>;
  readonly children: XmlElement[];
  text: string;
}

const NAME = '[A-Za-z_][\\w.-]*';
const ATTR = new RegExp(`\\s+(${NAME})="([^"<]*)"`, 'y');

function decode(text: string, at: number): string {
  return text.replace(/&([^;]*);/g, (_, entity: string) => {
    const named: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
    if (entity in named) return named[entity]!;
    const numeric = /^#(x[0-9a-fA-F]+|\d+)$/.exec(entity);
    if (numeric) return String.fromCodePoint(entity[1] === 'x' ? parseInt(entity.slice(2), 16) : Number(entity.slice(1)));
    throw new Error(`unknown entity &${entity}; near ${at}`);
  });
}

function checkText(raw: string, at: number): string {
  if (/&(?![a-z]+;|#x?[0-9a-fA-F]+;)/.test(raw)) throw new Error(`bare & near ${at}`);
  if (raw.includes('>') && raw.includes(']]>')) throw new Error(`]]> in text near ${at}`);
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u0008\u000B\u000C\u000E-\u001F]/.test(raw)) throw new Error(`control character near ${at}`);
  return decode(raw, at);
}

export function parseXml(doc: string): XmlElement {
  let pos = 0;
  const declaration = /^<\?xml[^?]*\?>\s*/.exec(doc);
  if (declaration) pos = declaration[0].length;
  const root: XmlElement = { name: '#document', attrs: {}, children: [], text: '' };
  const stack: XmlElement[] = [root];
  while (pos < doc.length) {
    const lt = doc.indexOf('<', pos);
    const textEnd = lt < 0 ? doc.length : lt;
    const text = checkText(doc.slice(pos, textEnd), pos);
    stack[stack.length - 1]!.text += text;
    if (lt < 0) break;
    pos = lt;
    const close = new RegExp(`</(${NAME})\\s*>`, 'y');
    close.lastIndex = pos;
    const closing = close.exec(doc);
    if (closing) {
      const open = stack.pop();
      if (!open || open.name !== closing[1]) throw new Error(`</${closing[1]}> closes <${open?.name}> at ${pos}`);
      pos = close.lastIndex;
      continue;
    }
    const openTag = new RegExp(`<(${NAME})`, 'y');
    openTag.lastIndex = pos;
    const opening = openTag.exec(doc);
    if (!opening) throw new Error(`not a tag at ${pos}: ${doc.slice(pos, pos + 30)}`);
    pos = openTag.lastIndex;
    const attrs: Record<string, string> = {};
    for (;;) {
      ATTR.lastIndex = pos;
      const attr = ATTR.exec(doc);
      if (!attr) break;
      if (attr[1]! in attrs) throw new Error(`duplicate attribute ${attr[1]} at ${pos}`);
      attrs[attr[1]!] = checkText(attr[2]!, pos);
      pos = ATTR.lastIndex;
    }
    const end = /\s*(\/?)>/y;
    end.lastIndex = pos;
    const ending = end.exec(doc);
    if (!ending) throw new Error(`bad tag end at ${pos}: ${doc.slice(pos, pos + 30)}`);
    pos = end.lastIndex;
    const element: XmlElement = { name: opening[1]!, attrs, children: [], text: '' };
    stack[stack.length - 1]!.children.push(element);
    if (ending[1] !== '/') stack.push(element);
  }
  if (stack.length !== 1) throw new Error(`unclosed <${stack[stack.length - 1]!.name}>`);
  if (root.children.length !== 1 || root.text.trim() !== '') throw new Error('expected exactly one root element');
  return root.children[0]!;
}

export function childrenNamed(element: XmlElement, name: string): XmlElement[] {
  return element.children.filter((child) => child.name === name);
}
