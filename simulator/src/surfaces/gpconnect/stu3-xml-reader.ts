import { SimError } from '../../domain/errors';
import { parseXml, type XmlElement } from '../shared/xml';

/**
 * Reads the FHIR STU3 XML form (hl7.org/fhir/STU3/xml.html) of the request bodies this face
 * accepts — Parameters (getstructuredrecord, registerpatient with its Patient) and Appointment —
 * into their JSON form, so the JSON readers apply the same rules to both. XML does not say which
 * elements repeat or which primitives are numbers or booleans, so the tables below name those of
 * the request resources; anything outside them reads as a single string, which the JSON readers
 * then refuse with their usual message.
 */
const FHIR_NS = 'http://hl7.org/fhir';

const repeating = new Set([
  'parameter',
  'part',
  'extension',
  'modifierExtension',
  'identifier',
  'coding',
  'given',
  'prefix',
  'suffix',
  'line',
  'telecom',
  'address',
  'contact',
  'slot',
  'participant',
  'reason',
  'serviceType',
  'specialty',
  'indication',
  'supportingInformation',
  'incomingReferral',
  'requestedPeriod',
  'profile',
  'security',
  'tag',
  'contained',
  'generalPractitioner',
  'communication',
  'link',
]);

/** Elements that repeat only under some parents (Patient.name, but Parameters.parameter.name is a string). */
const repeatingUnder: Record<string, Set<string>> = {
  name: new Set(['Patient', 'Practitioner', 'RelatedPerson']),
  type: new Set(['participant', 'Organization']),
};

const booleans = new Set(['valueBoolean', 'active', 'deceasedBoolean', 'multipleBirthBoolean', 'userSelected']);
const numbers = new Set([
  'valueInteger',
  'valueDecimal',
  'valuePositiveInt',
  'valueUnsignedInt',
  'minutesDuration',
  'priority',
  'multipleBirthInteger',
  'rank',
]);

type Json = string | number | boolean | Json[] | { [key: string]: Json };

function invalid(message: string): SimError {
  return new SimError('invalid-resource', `The XML request body is not valid FHIR STU3: ${message}`);
}

function localName(name: string): string {
  const colon = name.indexOf(':');
  return colon === -1 ? name : name.slice(colon + 1);
}

function primitive(name: string, value: string): Json {
  if (booleans.has(name)) {
    if (value !== 'true' && value !== 'false') throw invalid(`${name} must be true or false, not "${value}".`);
    return value === 'true';
  }
  if (numbers.has(name)) {
    const parsed = Number(value);
    if (value.trim() === '' || !Number.isFinite(parsed)) throw invalid(`${name} must be a number, not "${value}".`);
    return parsed;
  }
  return value;
}

function isResource(element: XmlElement): boolean {
  return /^[A-Z]/.test(localName(element.name));
}

function readResource(element: XmlElement): { [key: string]: Json } {
  const type = localName(element.name);
  const namespace = element.attributes['xmlns'];
  if (namespace !== undefined && namespace !== FHIR_NS) throw invalid(`${type} must be in the ${FHIR_NS} namespace.`);
  return { resourceType: type, ...readChildren(element, type) };
}

function readChildren(element: XmlElement, parent: string): { [key: string]: Json } {
  const out: { [key: string]: Json } = {};
  const extras: { [key: string]: Json } = {};
  for (const child of element.children) {
    const name = localName(child.name);
    if (name === 'div') throw invalid('narrative (text.div) is not accepted in requests; leave it out.');
    const many = repeating.has(name) || (repeatingUnder[name]?.has(parent) ?? false);
    const value = readElement(name, child);
    const extension = child.attributes['value'] !== undefined ? readPrimitiveExtras(child) : undefined;
    if (many) {
      const list = (out[name] ??= []) as Json[];
      list.push(value);
    } else {
      if (name in out) throw invalid(`${parent}.${name} may appear only once.`);
      out[name] = value;
    }
    if (extension !== undefined) extras[`_${name}`] = extension;
  }
  return { ...out, ...extras };
}

function readPrimitiveExtras(element: XmlElement): Json | undefined {
  const id = element.attributes['id'];
  const extensions = element.children.filter((child) => localName(child.name) === 'extension');
  if (id === undefined && extensions.length === 0) return undefined;
  return {
    ...(id === undefined ? {} : { id }),
    ...(extensions.length === 0 ? {} : { extension: extensions.map((child) => readElement('extension', child)) }),
  };
}

function readElement(name: string, element: XmlElement): Json {
  const value = element.attributes['value'];
  if (value !== undefined) return primitive(name, value);
  const only = element.children[0];
  if (element.children.length === 1 && only !== undefined && isResource(only)) return readResource(only);
  const attributes: { [key: string]: Json } = {};
  if (element.attributes['id'] !== undefined) attributes['id'] = element.attributes['id'];
  if (element.attributes['url'] !== undefined) attributes['url'] = element.attributes['url'];
  if (element.text.trim() !== '') throw invalid(`${name} has text content; FHIR XML carries values in value="…".`);
  return { ...attributes, ...readChildren(element, name) };
}

/** The JSON form of an STU3 resource sent as XML; 422 INVALID_RESOURCE when it is not FHIR XML. */
export function readStu3Xml(body: Buffer): Record<string, unknown> {
  const root = parseXml(body);
  if (!isResource(root)) throw invalid(`the root element <${root.name}> is not a FHIR resource.`);
  return readResource(root);
}
