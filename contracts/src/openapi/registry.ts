import { gpconnectContract } from './gpconnect';
import type { SurfaceContract } from './operation';
import {
  controlContract,
  emisContract,
  fhirR4Contract,
  meshContract,
  pdsContract,
  smartContract,
  systmoneContract,
} from './others';

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
