/**
 * GP Connect interaction ids (reference/domain.md §1.3, GPC pages/integration/integration_interaction_ids.md)
 * and the JWT scope each one needs (GPC development_api_security_guidance.md: /Patient, /Appointment,
 * /DocumentReference, /Binary ↔ patient/*.[read|write]; /metadata, /Organization, /Practitioner,
 * /Location, /Slot ↔ organization/*.read).
 */
const PREFIX = 'urn:nhs:names:services:gpconnect';

export const interactions = {
  metadata: `${PREFIX}:fhir:rest:read:metadata-1`,
  readPatient: `${PREFIX}:fhir:rest:read:patient-1`,
  searchPatient: `${PREFIX}:fhir:rest:search:patient-1`,
  readPractitioner: `${PREFIX}:fhir:rest:read:practitioner-1`,
  searchPractitioner: `${PREFIX}:fhir:rest:search:practitioner-1`,
  readOrganization: `${PREFIX}:fhir:rest:read:organization-1`,
  searchOrganization: `${PREFIX}:fhir:rest:search:organization-1`,
  readLocation: `${PREFIX}:fhir:rest:read:location-1`,
  registerPatient: `${PREFIX}:fhir:operation:gpc.registerpatient-1`,
  searchSlots: `${PREFIX}:fhir:rest:search:slot-1`,
  readAppointment: `${PREFIX}:fhir:rest:read:appointment-1`,
  bookAppointment: `${PREFIX}:fhir:rest:create:appointment-1`,
  amendAppointment: `${PREFIX}:fhir:rest:update:appointment-1`,
  cancelAppointment: `${PREFIX}:fhir:rest:cancel:appointment-1`,
  patientAppointments: `${PREFIX}:fhir:rest:search:patient_appointments-1`,
  structuredMetadata: `${PREFIX}:structured:fhir:rest:read:metadata-1`,
  getStructuredRecord: `${PREFIX}:fhir:operation:gpc.getstructuredrecord-1`,
  migrateStructuredRecord: `${PREFIX}:fhir:operation:gpc.migratestructuredrecord-1`,
  documentsMetadata: `${PREFIX}:documents:fhir:rest:read:metadata-1`,
  documentsSearchPatient: `${PREFIX}:documents:fhir:rest:search:patient-1`,
  searchDocuments: `${PREFIX}:documents:fhir:rest:search:documentreference-1`,
  readBinary: `${PREFIX}:documents:fhir:rest:read:binary-1`,
} as const;
export type InteractionName = keyof typeof interactions;

export type Scope = 'patient/*.read' | 'patient/*.write' | 'organization/*.read' | 'organization/*.write';
export const scopes: readonly Scope[] = [
  'patient/*.read',
  'patient/*.write',
  'organization/*.read',
  'organization/*.write',
];

export const interactionScope: Record<InteractionName, Scope> = {
  metadata: 'organization/*.read',
  readPatient: 'patient/*.read',
  searchPatient: 'patient/*.read',
  readPractitioner: 'organization/*.read',
  searchPractitioner: 'organization/*.read',
  readOrganization: 'organization/*.read',
  searchOrganization: 'organization/*.read',
  readLocation: 'organization/*.read',
  registerPatient: 'patient/*.write',
  searchSlots: 'organization/*.read',
  readAppointment: 'patient/*.read',
  bookAppointment: 'patient/*.write',
  amendAppointment: 'patient/*.write',
  cancelAppointment: 'patient/*.write',
  patientAppointments: 'patient/*.read',
  structuredMetadata: 'organization/*.read',
  getStructuredRecord: 'patient/*.read',
  migrateStructuredRecord: 'patient/*.read',
  documentsMetadata: 'organization/*.read',
  documentsSearchPatient: 'patient/*.read',
  searchDocuments: 'patient/*.read',
  readBinary: 'patient/*.read',
};

/** The GP Connect capabilities a practice can switch off one by one. */
export type Capability = 'foundations' | 'appointments' | 'structured' | 'documents';
