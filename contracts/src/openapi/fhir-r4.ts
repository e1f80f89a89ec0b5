import type { z } from 'zod';
import {
  R4Bundle,
  R4CapabilityStatement,
  R4OperationOutcome,
  R4Patient,
  R4PatientSearchQuery,
} from '../fhir-r4/resources';
import { AnyResource } from '../fhir/datatypes';
import type { OperationContract, SurfaceContract } from './operation';
import { FHIR_JSON, json } from './response';

const r4Errors = json(R4OperationOutcome, 'UKCore-OperationOutcome', FHIR_JSON);
const r4 = (
  path: string,
  operationId: string,
  summary: string,
  schema: z.ZodType,
  extra: Partial<OperationContract> = {},
): OperationContract => ({
  method: 'get',
  path: `/fhir/R4${path}`,
  operationId,
  summary,
  citation: 'FHIR R4 RESTful API; UK Core STU2 profiles (simplifier.net/hl7fhirukcorer4)',
  tags: ['fhir-r4'],
  responses: { 200: json(schema, 'Success', FHIR_JSON), default: r4Errors },
  ...extra,
});
export const fhirR4Contract: SurfaceContract = {
  surface: 'fhir-r4',
  title: 'gpsim UK Core R4 read API',
  description:
    'The FHIR R4 server launched apps read (their iss): Patient, Practitioner, Organization and the coded record, behind SMART tokens.',
  operations: [
    r4('/metadata', 'r4Metadata', 'CapabilityStatement', R4CapabilityStatement),
    r4('/Patient', 'r4SearchPatient', 'Search patients', R4Bundle, { query: R4PatientSearchQuery }),
    r4('/Patient/{id}', 'r4ReadPatient', 'Read a patient', R4Patient),
    r4('/{resourceType}', 'r4Search', 'Search any served resource type', R4Bundle),
    r4('/{resourceType}/{id}', 'r4Read', 'Read any served resource', AnyResource),
  ],
};
