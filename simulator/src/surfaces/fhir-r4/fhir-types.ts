/** The few FHIR R4 JSON shapes the mappers build; everything else stays loosely typed. */

export interface Coding {
  system: string;
  version?: string;
  code: string;
  display?: string;
}

export interface CodeableConcept {
  coding?: Coding[];
  text?: string;
}

export interface Extension {
  url: string;
  valueBoolean?: boolean;
  valueCode?: string;
  valueDateTime?: string;
  valueCodeableConcept?: CodeableConcept;
  extension?: Extension[];
}

export interface Identifier {
  extension?: Extension[];
  use?: string;
  system: string;
  value: string;
}

export interface Reference {
  reference?: string;
  identifier?: Identifier;
  display?: string;
}

export interface Quantity {
  value: number;
  unit: string;
  system?: string;
  code?: string;
}

export interface FhirResource {
  resourceType: string;
  id: string;
  meta?: { versionId?: string; profile?: string[] };
  [element: string]: unknown;
}

export const SNOMED = 'http://snomed.info/sct';

export function snomed(concept: { code: string; display: string }): CodeableConcept {
  return { coding: [{ system: SNOMED, code: concept.code, display: concept.display }] };
}

export function ukCoreProfile(name: string): string {
  return `https://fhir.hl7.org.uk/StructureDefinition/${name}`;
}
