import type { z } from 'zod';
import { Appointment, SlotSearchQuery } from '../gpconnect/appointments';
import { Binary } from '../gpconnect/documents';
import {
  Bundle,
  CapabilityStatement,
  Location,
  OperationOutcome,
  Organization,
  Parameters,
  Patient,
  PatientSearchQuery,
  Practitioner,
  SspHeaders,
} from '../gpconnect/foundations';
import { GetStructuredRecordRequest } from '../gpconnect/structured';
import type { OperationContract, ResponseContract, SurfaceContract } from './operation';

const FHIR_JSON = 'application/fhir+json';
const GPC = 'GP Connect 1.6 (developer.nhs.uk/apis/gpconnect-1-6-0)';

const ok = (schema: z.ZodType, description = 'Success'): ResponseContract => ({
  description,
  contentType: FHIR_JSON,
  schema,
});
const errors: ResponseContract = {
  description: 'Any error: a GPConnect-OperationOutcome-1 naming a Spine error code.',
  contentType: FHIR_JSON,
  schema: OperationOutcome,
};

type Capability = 'foundations' | 'appointments' | 'structured' | 'documents';
const roots: Record<Capability, string> = {
  foundations: '/{ods}/STU3/1/gpconnect',
  appointments: '/{ods}/STU3/1/gpconnect',
  structured: '/{ods}/STU3/1/gpconnect/structured',
  documents: '/{ods}/STU3/1/gpconnect/documents',
};

function op(
  capability: Capability,
  method: OperationContract['method'],
  path: string,
  operationId: string,
  summary: string,
  citation: string,
  responses: Record<string, ResponseContract>,
  extra: Partial<OperationContract> = {},
): OperationContract {
  return {
    method,
    path: `${roots[capability]}${path}`,
    operationId,
    summary,
    citation: `${GPC}: ${citation}`,
    tags: [capability],
    headers: SspHeaders,
    responses: { ...responses, default: errors },
    ...extra,
  };
}

const fhirBody = (schema: z.ZodType) => ({ contentType: FHIR_JSON, schema });

/** GP Connect per capability, as every simulated practice serves it under its ODS code. */
export const gpconnectContract: SurfaceContract = {
  surface: 'gpconnect',
  title: 'gpsim GP Connect (FHIR STU3)',
  description:
    'GP Connect Foundations, Appointment Management, Access Record Structured and Access Document, per practice ({ods}). ' +
    'Every request carries the SSP headers and an unsigned JWT; errors are GPConnect-OperationOutcome-1 with Spine codes.',
  operations: [
    op(
      'foundations',
      'get',
      '/metadata',
      'foundationsMetadata',
      'Foundations CapabilityStatement',
      'foundations_use_case_get_the_fhir_capability_statement',
      { 200: ok(CapabilityStatement) },
    ),
    op(
      'foundations',
      'get',
      '/Patient',
      'findPatient',
      'Find a patient by NHS number',
      'foundations_use_case_find_a_patient',
      { 200: ok(Bundle, 'A searchset Bundle of 0 or 1 Patient') },
      { query: PatientSearchQuery },
    ),
    op('foundations', 'get', '/Patient/{id}', 'readPatient', 'Read a patient', 'foundations_use_case_read_a_patient', {
      200: ok(Patient),
    }),
    op(
      'foundations',
      'post',
      '/Patient/$gpc.registerpatient',
      'registerPatient',
      'Register a patient (temporary)',
      'foundations_use_case_register_a_patient',
      { 200: ok(Bundle) },
      { body: fhirBody(Parameters) },
    ),
    op(
      'foundations',
      'get',
      '/Practitioner',
      'findPractitioner',
      'Find practitioners by SDS user id',
      'foundations_use_case_find_a_practitioner',
      { 200: ok(Bundle) },
    ),
    op(
      'foundations',
      'get',
      '/Practitioner/{id}',
      'readPractitioner',
      'Read a practitioner',
      'foundations_use_case_read_a_practitioner',
      { 200: ok(Practitioner) },
    ),
    op(
      'foundations',
      'get',
      '/Organization',
      'findOrganization',
      'Find an organisation by ODS code',
      'foundations_use_case_find_an_organisation',
      { 200: ok(Bundle) },
    ),
    op(
      'foundations',
      'get',
      '/Organization/{id}',
      'readOrganization',
      'Read an organisation',
      'foundations_use_case_read_an_organisation',
      { 200: ok(Organization) },
    ),
    op(
      'foundations',
      'get',
      '/Location/{id}',
      'readLocation',
      'Read a location',
      'foundations_use_case_read_a_location',
      { 200: ok(Location) },
    ),
    op(
      'appointments',
      'get',
      '/Slot',
      'searchSlots',
      'Search for free slots',
      'appointments_use_case_search_for_free_slots',
      { 200: ok(Bundle, 'A searchset Bundle of Slots with their Schedules, Practitioners and Locations') },
      { query: SlotSearchQuery },
    ),
    op(
      'appointments',
      'post',
      '/Appointment',
      'bookAppointment',
      'Book an appointment',
      'appointments_use_case_book_an_appointment',
      { 201: ok(Appointment, 'Booked') },
      { body: fhirBody(Appointment) },
    ),
    op(
      'appointments',
      'get',
      '/Appointment/{id}',
      'readAppointment',
      'Read an appointment',
      'appointments_use_case_read_an_appointment',
      { 200: ok(Appointment) },
    ),
    op(
      'appointments',
      'put',
      '/Appointment/{id}',
      'updateAppointment',
      'Amend or cancel an appointment',
      'appointments_use_case_amend_an_appointment, appointments_use_case_cancel_an_appointment',
      { 200: ok(Appointment) },
      { body: fhirBody(Appointment) },
    ),
    op(
      'appointments',
      'get',
      '/Patient/{id}/Appointment',
      'patientAppointments',
      "Retrieve a patient's appointments",
      'appointments_use_case_retrieve_a_patients_appointments',
      { 200: ok(Bundle) },
    ),
    op(
      'structured',
      'get',
      '/metadata',
      'structuredMetadata',
      'Access Record Structured CapabilityStatement',
      'accessrecord_structured_development_capability_statement',
      { 200: ok(CapabilityStatement) },
    ),
    op(
      'structured',
      'post',
      '/Patient/$gpc.getstructuredrecord',
      'getStructuredRecord',
      'Retrieve the structured record',
      'accessrecord_structured_development_retrieve_patient_record',
      { 200: ok(Bundle, 'A collection Bundle with the patient, the record and its Lists') },
      { body: fhirBody(GetStructuredRecordRequest) },
    ),
    op(
      'structured',
      'post',
      '/Patient/$gpc.migratestructuredrecord',
      'migrateStructuredRecord',
      'Migrate the structured record (GP2GP)',
      'accessrecord_structured_development_migrate_patient_record',
      { 200: ok(Bundle) },
      { body: fhirBody(GetStructuredRecordRequest) },
    ),
    op(
      'documents',
      'get',
      '/metadata',
      'documentsMetadata',
      'Access Document CapabilityStatement',
      'Access Document 1.2: documents_capability_statement',
      { 200: ok(CapabilityStatement) },
    ),
    op(
      'documents',
      'get',
      '/Patient',
      'documentsFindPatient',
      'Find a patient (Access Document)',
      'Access Document 1.2: find a patient',
      { 200: ok(Bundle) },
      { query: PatientSearchQuery },
    ),
    op(
      'documents',
      'get',
      '/Patient/{id}/DocumentReference',
      'searchDocuments',
      "Search a patient's documents",
      'Access Document 1.2: search for documents',
      { 200: ok(Bundle, 'A searchset Bundle of DocumentReferences') },
    ),
    op(
      'documents',
      'get',
      '/Binary/{id}',
      'readBinary',
      'Retrieve a document',
      'Access Document 1.2: retrieve a document',
      { 200: ok(Binary) },
    ),
  ],
};
