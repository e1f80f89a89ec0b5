import { SimError } from '../../domain/errors';

/**
 * A strict, bounded XML reader for the partner APIs' small request documents. It accepts elements,
 * attributes, text, CDATA, comments and the XML declaration, and refuses what partner requests never
 * need and attackers love: DOCTYPE (so no DTD, no entity definitions, no XXE, no "billion laughs"),
 * processing instructions, and entity references beyond the five predefined ones and numeric
 * character references. Size, depth and element count are capped so a hostile document costs little.
 */
export interface XmlElement {
  name: string;
  attributes: Record<string, string>;
  children: XmlElement[];
  /** Concatenated text content directly inside this element (untrimmed). */
  text: string;
}

export interface XmlLimits {
  maxBytes: number;
  maxDepth: number;
  maxElements: number;
}

export const defaultXmlLimits: XmlLimits = { maxBytes: 1024 * 1024, maxDepth: 32, maxElements: 20_000 };

const NAME = /^[A-Za-z_][A-Za-z0-9_.:-]*/;
const predefined: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

function malformed(message: string): SimError {
  return new SimError('invalid-request', `Malformed XML: ${message}`);
}

function decodeEntities(text: string): string {
  return text.replace(/&([^;&\s]{0,10});?/g, (whole, name: string) => {
    if (!whole.endsWith(';')) throw malformed('a bare "&" must be written as &amp;.');
    if (name in predefined) return predefined[name] as string;
    const numeric = /^#(x[0-9a-fA-F]{1,6}|[0-9]{1,7})$/.exec(name);
    if (numeric?.[1]) {
      const code = numeric[1].startsWith('x') ? parseInt(numeric[1].slice(1), 16) : Number(numeric[1]);
      if (code > 0x10ffff || code === 0) throw malformed(`character reference &${name}; is out of range.`);
      return String.fromCodePoint(code);
    }
    throw malformed(`entity &${name}; is not allowed (only the five predefined entities and character references).`);
  });
}

export function parseXml(input: string | Buffer, limits: XmlLimits = defaultXmlLimits): XmlElement {
  const size = typeof input === 'string' ? Buffer.byteLength(input) : input.length;
  if (size > limits.maxBytes) {
    throw new SimError('payload-too-large', `The XML document is ${size} bytes; the limit is ${limits.maxBytes}.`);
  }
  const source = (typeof input === 'string' ? input : input.toString('utf8')).replace(/^\uFEFF/, '');
  let position = 0;
  let elements = 0;
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;

  const startsWith = (token: string) => source.startsWith(token, position);
  const skipSpace = () => {
    while (position < source.length && /\s/.test(source[position] as string)) position++;
  };

  while (position < source.length) {
    const current = stack[stack.length - 1];
    if (!startsWith('<')) {
      const next = source.indexOf('<', position);
      const end = next === -1 ? source.length : next;
      const text = source.slice(position, end);
      if (current) current.text += decodeEntities(text);
      else if (text.trim() !== '') throw malformed('text outside the root element.');
      position = end;
      continue;
    }
    if (startsWith('<?')) {
      const end = source.indexOf('?>', position);
      if (end === -1) throw malformed('unterminated <? ... ?>.');
      const body = source.slice(position + 2, end);
      if (!/^xml(\s|$)/.test(body) || position !== source.search(/\S/) || root) {
        throw malformed('processing instructions are not allowed (only the XML declaration, first).');
      }
      position = end + 2;
      continue;
    }
    if (startsWith('<!--')) {
      const end = source.indexOf('-->', position + 4);
      if (end === -1) throw malformed('unterminated comment.');
      position = end + 3;
      continue;
    }
    if (startsWith('<![CDATA[')) {
      const end = source.indexOf(']]>', position);
      if (end === -1 || !current) throw malformed('CDATA outside an element or unterminated.');
      current.text += source.slice(position + 9, end);
      position = end + 3;
      continue;
    }
    if (startsWith('<!')) {
      throw malformed('DOCTYPE and other declarations are refused (no DTDs, no external or custom entities).');
    }
    if (startsWith('</')) {
      position += 2;
      const name = NAME.exec(source.slice(position, position + 256))?.[0];
      if (!name || !current || current.name !== name) {
        throw malformed(`closing tag </${name ?? ''}> does not match <${current?.name ?? 'nothing'}>.`);
      }
      position += name.length;
      skipSpace();
      if (!startsWith('>')) throw malformed(`expected ">" to close </${name}>.`);
      position++;
      stack.pop();
      continue;
    }
    position++;
    const name = NAME.exec(source.slice(position, position + 256))?.[0];
    if (!name) throw malformed(`expected an element name at offset ${position}.`);
    if (root && stack.length === 0) throw malformed('more than one root element.');
    position += name.length;
    const element: XmlElement = { name, attributes: {}, children: [], text: '' };
    elements++;
    if (elements > limits.maxElements) throw malformed(`more than ${limits.maxElements} elements.`);
    if (stack.length + 1 > limits.maxDepth) throw malformed(`nesting deeper than ${limits.maxDepth} levels.`);
    for (;;) {
      skipSpace();
      if (startsWith('/>') || startsWith('>')) break;
      const attribute = NAME.exec(source.slice(position, position + 256))?.[0];
      if (!attribute) throw malformed(`bad attribute in <${name}>.`);
      position += attribute.length;
      skipSpace();
      if (!startsWith('=')) throw malformed(`attribute ${attribute} in <${name}> needs a value.`);
      position++;
      skipSpace();
      const quote = source[position];
      if (quote !== '"' && quote !== "'") throw malformed(`attribute ${attribute} in <${name}> must be quoted.`);
      const end = source.indexOf(quote, position + 1);
      if (end === -1) throw malformed(`unterminated attribute ${attribute} in <${name}>.`);
      const raw = source.slice(position + 1, end);
      if (raw.includes('<')) throw malformed(`"<" inside attribute ${attribute}.`);
      if (attribute in element.attributes) throw malformed(`attribute ${attribute} repeated in <${name}>.`);
      element.attributes[attribute] = decodeEntities(raw);
      position = end + 1;
    }
    if (current) current.children.push(element);
    else root = element;
    if (startsWith('/>')) {
      position += 2;
    } else {
      position++;
      stack.push(element);
    }
  }
  if (stack.length > 0) throw malformed(`<${stack[stack.length - 1]?.name ?? ''}> is never closed.`);
  if (!root) throw malformed('the document is empty.');
  return root;
}

/**
 * An element as plain data, the form the contracts' schemas describe: a leaf without attributes is
 * its text; otherwise an object of children (repeated names become arrays), attributes as "@name"
 * and any text as "#text". With `dropEmpty`, empty leaves are left out (absent fields).
 */
export type XmlPlain = string | XmlPlain[] | { [name: string]: XmlPlain };

export function xmlToPlain(element: XmlElement, options: { dropEmpty: boolean }): XmlPlain | undefined {
  const text = element.text.trim();
  const attributes = Object.entries(element.attributes);
  if (element.children.length === 0 && attributes.length === 0) {
    return text === '' && options.dropEmpty ? undefined : text;
  }
  const result: Record<string, XmlPlain> = {};
  for (const [name, value] of attributes) result[`@${name}`] = value;
  if (text !== '') result['#text'] = text;
  for (const childElement of element.children) {
    const value = xmlToPlain(childElement, options);
    if (value === undefined) continue;
    const existing = result[childElement.name];
    if (existing === undefined) result[childElement.name] = value;
    else result[childElement.name] = Array.isArray(existing) ? [...existing, value] : [existing, value];
  }
  return result;
}

/** The first child element with this name. */
export function child(element: XmlElement | undefined, name: string): XmlElement | undefined {
  return element?.children.find((candidate) => candidate.name === name);
}

/** The trimmed text of a child element, or undefined when absent or empty. */
export function childText(element: XmlElement | undefined, name: string): string | undefined {
  const text = child(element, name)?.text.trim();
  return text === undefined || text === '' ? undefined : text;
}

export function escapeXml(text: string): string {
  return text.replace(
    /[<>&"']/g,
    (character) => `&${{ '<': 'lt', '>': 'gt', '&': 'amp', '"': 'quot', "'": 'apos' }[character] as string};`,
  );
}

/** A tiny writer: element name, attributes (undefined ones dropped), then children or text. */
export type XmlNode = string | XmlNode[] | { xml: string };

export function el(
  name: string,
  attributes: Record<string, string | undefined> | null,
  ...content: (XmlNode | undefined)[]
): { xml: string } {
  const attrs = Object.entries(attributes ?? {})
    .filter((entry): entry is [string, string] => entry[1] !== undefined)
    .map(([key, value]) => ` ${key}="${escapeXml(value)}"`)
    .join('');
  const inner = content.map(render).join('');
  return { xml: inner === '' ? `<${name}${attrs}/>` : `<${name}${attrs}>${inner}</${name}>` };
}

function render(node: XmlNode | undefined): string {
  if (node === undefined) return '';
  if (typeof node === 'string') return escapeXml(node);
  if (Array.isArray(node)) return node.map(render).join('');
  return node.xml;
}
