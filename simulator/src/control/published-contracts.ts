import { control, fhirR4, gpconnect, mesh, oauth, openapi, pds } from '@gpsim/contracts';
import type { Estate } from '../population/estate-generator';
import { gpcCapabilityStatement } from '../surfaces/gpconnect/capability-statement';
import type { Capability } from '../surfaces/gpconnect/interactions';

const capabilities: readonly Capability[] = ['foundations', 'appointments', 'structured', 'documents'];
const schemaModules: Readonly<Record<string, Record<string, unknown>>> = {
  gpconnect,
  mesh,
  oauth,
  'fhir-r4': fhirR4,
  pds,
  control,
};

/** The names served at /__sim/openapi/{surface}.json and /__sim/docs/{surface}. */
export const publishedSurfaces = Object.keys(openapi.surfaceContracts);

export function openApiFor(surface: string, version: string): Record<string, unknown> | undefined {
  const contract = openapi.surfaceContracts[surface];
  return contract ? openapi.openApiDocument(contract, version) : undefined;
}

/**
 * Every published artefact, by path under contracts/generated: OpenAPI 3.1 per surface, JSON
 * Schemas per contracts module, and the GP Connect CapabilityStatement of each capability for the
 * first practice on each GP system of the estate. Deterministic, so drift is a plain file compare.
 */
export function publishedArtefacts(version: string, estate: Estate): Record<string, unknown> {
  const artefacts: Record<string, unknown> = {};
  for (const surface of publishedSurfaces) artefacts[`openapi/${surface}.json`] = openApiFor(surface, version);
  for (const [name, module] of Object.entries(schemaModules)) {
    artefacts[`json-schema/${name}.json`] = openapi.jsonSchemas(module);
  }
  for (const system of ['systmone', 'emis'] as const) {
    const practice = estate.practices.find((candidate) => candidate.system === system);
    if (!practice) continue;
    for (const capability of capabilities) {
      artefacts[`capability-statements/${system}-${capability}.json`] = gpcCapabilityStatement(
        practice,
        capability,
        estate.spec.populationDate,
      );
    }
  }
  return artefacts;
}

/** The text an artefact is committed as. */
export function artefactText(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}
