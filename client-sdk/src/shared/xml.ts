/** A parsed XML element: enough of XML for the partner APIs' documents (no DTDs, no namespaces). */
export interface XmlElement {
  name: string;
  attributes: Record<string, string>;
  children: XmlElement[];
  /** The element's own text (trimmed), '' when it has only children. */
  text: string;
}

/**
 * A value to serialise: text, nested elements, repeated elements (arrays), attributes under
 * "@Name", and an element's own text beside attributes under "#text".
 */
export type XmlValue = string | number | boolean | undefined | XmlValue[] | { [name: string]: XmlValue };

const entities: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&${Object.keys(entities).find((name) => entities[name] === char)};`);
}

function decode(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|\w+);/gi, (whole, entity: string) => {
    if (entity.startsWith('#x') || entity.startsWith('#X')) return String.fromCodePoint(parseInt(entity.slice(2), 16));
    if (entity.startsWith('#')) return String.fromCodePoint(Number(entity.slice(1)));
    return entities[entity] ?? whole;
  });
}

/** Serialises `{ Name: value }` as elements; keys starting with "@" become attributes. */
export function toXml(name: string, value: XmlValue): string {
  if (value === undefined) return '';
  if (Array.isArray(value)) return value.map((item) => toXml(name, item)).join('');
  if (typeof value !== 'object') return `<${name}>${escapeXml(String(value))}</${name}>`;
  const attributes = Object.entries(value)
    .filter(([key, item]) => key.startsWith('@') && item !== undefined)
    .map(([key, item]) => ` ${key.slice(1)}="${escapeXml(String(item as string))}"`)
    .join('');
  const children = Object.entries(value)
    .filter(([key]) => !key.startsWith('@'))
    .map(([key, item]) => (key === '#text' ? escapeXml(String(item as string)) : toXml(key, item)))
    .join('');
  return `<${name}${attributes}>${children}</${name}>`;
}

/** Parses a document into its root element; throws SyntaxError on malformed input. */
export function parseXml(document: string): XmlElement {
  const stack: XmlElement[] = [{ name: '#document', attributes: {}, children: [], text: '' }];
  const tag =
    /<!--[\s\S]*?-->|<\?[\s\S]*?\?>|<!\[CDATA\[([\s\S]*?)\]\]>|<\/([\w:.-]+)\s*>|<([\w:.-]+)((?:\s+[\w:.-]+\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*(\/?)>|([^<]+)/g;
  for (let match = tag.exec(document); match; match = tag.exec(document)) {
    const [whole, cdata, closing, opening, attributeText, selfClosing, text] = match;
    const current = stack[stack.length - 1] as XmlElement;
    if (text !== undefined || cdata !== undefined) {
      current.text += text !== undefined ? decode(text) : cdata;
    } else if (closing !== undefined) {
      if (current.name !== closing) throw new SyntaxError(`Unexpected </${closing}> in <${current.name}>`);
      current.text = current.text.trim();
      stack.pop();
    } else if (opening !== undefined) {
      const attributes: Record<string, string> = {};
      for (const attribute of (attributeText ?? '').matchAll(/([\w:.-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g))
        attributes[attribute[1] as string] = decode(attribute[2] ?? attribute[3] ?? '');
      const element: XmlElement = { name: opening, attributes, children: [], text: '' };
      current.children.push(element);
      if (selfClosing !== '/') stack.push(element);
    } else if (whole.startsWith('<') && !whole.startsWith('<!--') && !whole.startsWith('<?')) {
      throw new SyntaxError('Malformed XML');
    }
  }
  if (stack.length !== 1) throw new SyntaxError(`Unclosed <${(stack[stack.length - 1] as XmlElement).name}>`);
  const root = (stack[0] as XmlElement).children[0];
  if (!root) throw new SyntaxError('The document has no root element');
  return root;
}

/** The first descendant along a path of element names. */
export function childAt(element: XmlElement | undefined, ...path: string[]): XmlElement | undefined {
  let current = element;
  for (const name of path) current = current?.children.find((child) => child.name === name);
  return current;
}

/**
 * An element in the plain form the contracts describe: a leaf without attributes is its text,
 * attributes are "@Name", the element's own text beside attributes or children is "#text", and an
 * element name repeated among siblings is an array.
 */
export type XmlObject = string | { [name: string]: XmlObject | XmlObject[] };

export function toXmlObject(element: XmlElement): XmlObject {
  const attributes = Object.entries(element.attributes);
  if (attributes.length === 0 && element.children.length === 0) return element.text;
  const object: { [name: string]: XmlObject | XmlObject[] } = {};
  for (const [name, value] of attributes) object[`@${name}`] = value;
  for (const child of element.children) {
    const value = toXmlObject(child);
    const existing = object[child.name];
    if (existing === undefined) object[child.name] = value;
    else if (Array.isArray(existing)) existing.push(value);
    else object[child.name] = [existing, value];
  }
  if (element.text !== '') object['#text'] = element.text;
  return object;
}
