import { SimError } from '../../domain/errors';
import { escapeXml } from '../shared/xml';

/**
 * A small, strict FHIR STU3 JSON→XML serializer for the resources this face emits, following the
 * STU3 XML representation (hl7.org/fhir/STU3/xml.html): the root element is the resource type in
 * the http://hl7.org/fhir namespace; primitives are `<name value=".."/>`; arrays repeat the element;
 * `_name` carries a primitive's id/extensions; an element's `id` and an extension's `url` are
 * attributes; a nested resource is wrapped (`<resource><Patient>..</Patient></resource>`); the
 * narrative `div` is XHTML. Element order follows the JSON, except that Element/Resource header
 * elements (id, meta, …, extension, modifierExtension) come first as the schemas require.
 * The `fhir` npm package was tried first: its bundled definitions are R4 only, so it drops STU3
 * elements (AllergyIntolerance.assertedDate) and rejects STU3 resources (ReferralRequest).
 */
const FHIR_NS = 'http://hl7.org/fhir';
const XHTML_NS = 'http://www.w3.org/1999/xhtml';
const resourceHeader = [
  'id',
  'meta',
  'implicitRules',
  'language',
  'text',
  'contained',
  'extension',
  'modifierExtension',
];
const elementHeader = ['extension', 'modifierExtension'];

type Primitive = string | number | boolean;
type Json = Primitive | Json[] | { [key: string]: Json };

/** XML 1.0 cannot carry these control characters at all, even escaped. */
function escape(text: string): string {
  let clean = '';
  for (const character of text) {
    const code = character.codePointAt(0) ?? 0;
    if (code >= 0x20 || code === 0x09 || code === 0x0a || code === 0x0d) clean += character;
  }
  return escapeXml(clean);
}

function invalid(path: string, why: string): SimError {
  return new SimError('internal', `Cannot write ${path} as FHIR XML: ${why}.`);
}

function isPrimitive(value: unknown): value is Primitive {
  return (
    typeof value === 'string' || typeof value === 'boolean' || (typeof value === 'number' && Number.isFinite(value))
  );
}

function isObject(value: unknown): value is Record<string, Json> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Property names in write order; a `_name` without `name` is a primitive with no value. */
function ordered(keys: string[], header: string[]): string[] {
  const first = header.filter((key) => keys.includes(key));
  const rest = keys.filter((key) => !header.includes(key) && !key.startsWith('_'));
  const valueless = keys
    .filter((key) => key.startsWith('_') && !keys.includes(key.slice(1)))
    .map((key) => key.slice(1));
  return [...first, ...rest, ...valueless];
}

function primitiveExtras(extra: Json | undefined, path: string): { attributes: string; children: string } {
  if (extra === undefined) return { attributes: '', children: '' };
  if (!isObject(extra)) throw invalid(path, 'a primitive extension must be an object');
  const id = extra['id'];
  const attributes = typeof id === 'string' ? ` id="${escape(id)}"` : '';
  return { attributes, children: elementChildren(extra, path, ['id']) };
}

function writePrimitive(name: string, value: Primitive, extra: Json | undefined, path: string): string {
  const { attributes, children } = primitiveExtras(extra, path);
  const valueAttribute = ` value="${escape(String(value))}"`;
  return children === ''
    ? `<${name}${attributes}${valueAttribute}/>`
    : `<${name}${attributes}${valueAttribute}>${children}</${name}>`;
}

function writeDiv(value: Json, path: string): string {
  if (typeof value !== 'string' || !value.trimStart().startsWith('<div')) throw invalid(path, 'div must be XHTML');
  return value.includes('xmlns=') ? value : value.replace(/^\s*<div/, `<div xmlns="${XHTML_NS}"`);
}

function writeValue(name: string, value: Json, extra: Json | undefined, path: string): string {
  if (name === 'div') return writeDiv(value, path);
  if (isPrimitive(value)) return writePrimitive(name, value, extra, path);
  if (!isObject(value)) throw invalid(path, 'null and nested arrays have no FHIR form');
  if (typeof value['resourceType'] === 'string') return `<${name}>${writeResource(value, path)}</${name}>`;
  const id = value['id'];
  const url = name === 'extension' || name === 'modifierExtension' ? value['url'] : undefined;
  let attributes = typeof id === 'string' ? ` id="${escape(id)}"` : '';
  if (typeof url === 'string') attributes += ` url="${escape(url)}"`;
  const children = elementChildren(value, path, url === undefined ? ['id'] : ['id', 'url']);
  return children === '' ? `<${name}${attributes}/>` : `<${name}${attributes}>${children}</${name}>`;
}

function writeProperty(name: string, value: Json | undefined, extra: Json | undefined, path: string): string {
  if (value === undefined) {
    // A primitive with only an id/extension and no value.
    return extra === undefined ? '' : writeValue(name, '', extra, path).replace(' value=""', '');
  }
  if (Array.isArray(value)) {
    const extras = Array.isArray(extra) ? extra : [];
    return value
      .map((item, index) => {
        if (item === null) throw invalid(`${path}[${index}]`, 'null is not allowed');
        return writeValue(name, item, extras[index] ?? undefined, `${path}[${index}]`);
      })
      .join('');
  }
  return writeValue(name, value, extra, path);
}

function elementChildren(value: Record<string, Json>, path: string, skip: string[]): string {
  const keys = Object.keys(value).filter((key) => !skip.includes(key));
  return ordered(keys, elementHeader)
    .map((key) => writeProperty(key, value[key], value[`_${key}`], `${path}.${key}`))
    .join('');
}

function writeResource(resource: Record<string, Json>, path: string): string {
  const type = resource['resourceType'];
  if (typeof type !== 'string' || !/^[A-Z][A-Za-z]+$/.test(type)) throw invalid(path, 'resourceType is missing');
  const keys = Object.keys(resource).filter((key) => key !== 'resourceType');
  const body = ordered(keys, resourceHeader)
    .map((key) => writeProperty(key, resource[key], resource[`_${key}`], `${type}.${key}`))
    .join('');
  return `<${type} xmlns="${FHIR_NS}">${body}</${type}>`;
}

/** Serialises one STU3 resource (JSON form) to its XML form; throws on values FHIR cannot carry. */
export function toStu3Xml(resource: unknown): string {
  if (!isObject(resource)) throw invalid('the body', 'it is not a FHIR resource');
  return `<?xml version="1.0" encoding="UTF-8"?>${writeResource(JSON.parse(JSON.stringify(resource)) as Record<string, Json>, 'resource')}`;
}
