import type { ClinicalRecord, RecordEntry } from '../../domain/clinical-record';
import { SimError } from '../../domain/errors';
import { isShareableEntry } from '../../domain/patient-access';
import type { Engine } from '../../engine';
import type { IdKind } from '../../population/ids';
import type { SimRequest, SimResponse } from '../../transport/types';
import { maySeePatient } from './access-token';
import { auditAccess } from './audit-access';
import { pageOf, searchsetBundle } from './bundle';
import type { SearchParamDoc } from './capability-statement';
import {
  profiles,
  toAllergyIntolerance,
  toAppointment,
  toCondition,
  toDocumentReference,
  toEncounter,
  toImmunization,
  toMedicationStatement,
  toObservation,
} from './clinical-mappers';
import type { FhirResource } from './fhir-types';
import { fhirJsonResponse } from './operation-outcome';
import type { MappingContext } from './references';
import type { Paging } from './search-params';
import { nonEmpty, parsePaging, parsePatientReference, rejectModifiers } from './search-params';

/** A resource type served from a patient's record: how to search it and how to find one entry. */
export interface RecordResourceType {
  type: string;
  profile: string;
  search(record: ClinicalRecord, context: MappingContext, paging: Paging): { total: number; resources: FhirResource[] };
  read(record: ClinicalRecord, id: string, context: MappingContext): FhirResource | undefined;
}

type EntryOf<K extends keyof ClinicalRecord> = ClinicalRecord[K][number];

/** A resource type backed by one list of the record; confidential entries never leave it. */
function fromList<K extends keyof ClinicalRecord>(
  type: string,
  profile: string,
  list: K,
  map: (entry: EntryOf<K>, context: MappingContext) => FhirResource,
): RecordResourceType {
  const entries = (record: ClinicalRecord) => record[list] as readonly RecordEntry[] as readonly EntryOf<K>[];
  return {
    type,
    profile,
    search(record, context, paging) {
      const shareable = entries(record).filter(isShareableEntry);
      return { total: shareable.length, resources: pageOf(shareable, paging).map((entry) => map(entry, context)) };
    },
    read(record, id, context) {
      const entry = entries(record).find((candidate) => candidate.id === id);
      return entry && isShareableEntry(entry) ? map(entry, context) : undefined;
    },
  };
}

export const recordResourceTypes: readonly RecordResourceType[] = [
  fromList('Condition', profiles.condition, 'problems', toCondition),
  fromList('AllergyIntolerance', profiles.allergy, 'allergies', toAllergyIntolerance),
  fromList('MedicationStatement', profiles.medicationStatement, 'medications', toMedicationStatement),
  fromList('Observation', profiles.observation, 'observations', toObservation),
  fromList('Immunization', profiles.immunization, 'immunisations', toImmunization),
  fromList('Encounter', profiles.encounter, 'consultations', toEncounter),
  fromList('Appointment', profiles.appointment, 'appointments', toAppointment),
  fromList('DocumentReference', profiles.documentReference, 'documents', toDocumentReference),
];

export const recordSearchParams: readonly SearchParamDoc[] = [
  {
    name: 'patient',
    type: 'reference',
    documentation: 'Required: the Patient id (or Patient/{id}) whose record to search.',
  },
];

/** Id kinds minted for entries of a patient's record: their owner is the patient's ordinal. */
const recordIdKinds: ReadonlySet<IdKind> = new Set<IdKind>([
  'problem',
  'medication',
  'allergy',
  'observation',
  'immunisation',
  'consultation',
  'referral',
  'document',
  'appointment',
  'investigation',
  'diary',
  'write',
]);

/** GET /{type}?patient={id}: the patient's entries of that type, paged. */
export async function searchRecord(
  engine: Engine,
  request: SimRequest,
  type: RecordResourceType,
): Promise<SimResponse> {
  const { population } = engine;
  const { query } = request;
  rejectModifiers(query, ['patient']);
  const reference = nonEmpty(query, 'patient');
  if (reference === undefined) {
    throw new SimError(
      'invalid-parameter',
      `patient is required: search ${type.type}?patient={Patient id}. Records are not searched across patients.`,
      { field: 'patient' },
    );
  }
  const patientId = parsePatientReference(reference);
  const paging = parsePaging(query);
  const bundle = (total: number, resources: FhirResource[]) =>
    fhirJsonResponse(
      200,
      searchsetBundle({
        base: `${engine.baseUrl}/fhir/R4`,
        resourceType: type.type,
        params: [['patient', reference]],
        paging,
        total,
        resources,
      }),
    );

  const patient = population.patientById(patientId);
  // An unknown or sensitive patient has no entries here: the answer never reveals which it was.
  if (!patient) return bundle(0, []);
  if (!maySeePatient(request, patient)) {
    await auditAccess(engine, request, 'read-record', patient, 'refused');
    return bundle(0, []);
  }
  const practice = population.practiceOf(patient);
  request.annotations.ods = practice.ods;
  const record = await engine.records.record(patient);
  const { total, resources } = type.search(record, { population, patient, practice }, paging);
  await auditAccess(engine, request, 'read-record', patient);
  return bundle(total, resources);
}

/** GET /{type}/{id}: one entry, found through the patient its id decodes to. */
export async function readRecordEntry(
  engine: Engine,
  request: SimRequest,
  type: RecordResourceType,
): Promise<SimResponse> {
  const { population } = engine;
  const id = request.params['id'] ?? '';
  const notFound = new SimError(
    'not-found',
    `No ${type.type} with id "${id}". List a patient's with ${type.type}?patient={Patient id}.`,
  );
  const decoded = population.decodeId(id);
  const patient = decoded && recordIdKinds.has(decoded.kind) ? population.patient(decoded.owner) : undefined;
  if (!patient) throw notFound;
  if (!maySeePatient(request, patient)) {
    await auditAccess(engine, request, 'read-record', patient, 'refused');
    throw notFound;
  }
  const practice = population.practiceOf(patient);
  const record = await engine.records.record(patient);
  const resource = type.read(record, id, { population, patient, practice });
  if (!resource) throw notFound;
  request.annotations.ods = practice.ods;
  await auditAccess(engine, request, 'read-record', patient);
  return fhirJsonResponse(200, resource);
}
