import { gpconnectContract } from './gpconnect';
import type { SurfaceContract } from './operation';
import { controlContract } from './control';
import { emisContract } from './emis';
import { fhirR4Contract } from './fhir-r4';
import { meshContract } from './mesh';
import { pdsContract } from './pds';
import { smartContract } from './smart';
import { systmoneContract } from './systmone';

/** Every HTTP surface with a published contract, by the name used in /__sim/openapi/{surface}.json. */
export const surfaceContracts: Readonly<Record<string, SurfaceContract>> = {
  gpconnect: gpconnectContract,
  mesh: meshContract,
  smart: smartContract,
  'fhir-r4': fhirR4Contract,
  pds: pdsContract,
  emis: emisContract,
  systmone: systmoneContract,
  control: controlContract,
};
