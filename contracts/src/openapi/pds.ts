import { z } from 'zod';
import { PdsHeaders, PdsOperationOutcome, PdsPatient, PdsSearchBundle, PdsSearchQuery } from '../pds/pds';
import type { SurfaceContract } from './operation';
import { FHIR_JSON, json } from './response';

const PDS = 'PDS FHIR API (digital.nhs.uk/developer/api-catalogue/personal-demographics-service-fhir)';
export const pdsContract: SurfaceContract = {
  surface: 'pds',
  title: 'gpsim PDS-like demographics',
  description:
    'Personal Demographics Service lookups over the estate: read by NHS number and application-restricted search.',
  operations: [
    {
      method: 'get',
      path: '/spine/pds/FHIR/R4/Patient',
      operationId: 'pdsSearch',
      summary: 'Search for a patient',
      citation: `${PDS}: search for a patient`,
      tags: ['pds'],
      query: PdsSearchQuery,
      headers: PdsHeaders,
      responses: {
        200: json(
          z.union([PdsSearchBundle, PdsOperationOutcome]),
          'Searchset, or an information OperationOutcome TOO_MANY_MATCHES',
          FHIR_JSON,
        ),
        default: json(PdsOperationOutcome, 'Error', FHIR_JSON),
      },
    },
    {
      method: 'get',
      path: '/spine/pds/FHIR/R4/Patient/{id}',
      operationId: 'pdsRead',
      summary: 'Get patient details',
      citation: `${PDS}: get patient details`,
      tags: ['pds'],
      headers: PdsHeaders,
      responses: {
        200: json(PdsPatient, 'Patient', FHIR_JSON),
        default: json(PdsOperationOutcome, 'Error', FHIR_JSON),
      },
    },
  ],
};
