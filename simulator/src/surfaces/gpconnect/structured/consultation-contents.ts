import type {
  ClinicalRecord,
  Observation,
  RecordDocument,
  RecordEntry,
  Referral,
} from '../../../domain/clinical-record';
import { isShareableEntry } from '../../../domain/patient-access';
import { toGpcAllergy } from './allergy-mapper';
import type { BundleBuilder } from './bundle-builder';
import { toGpcMedication } from './medication-mapper';
import { toGpcInvestigation, toGpcObservation } from './observation-mapper';
import { toGpcDiaryEntry, toGpcImmunisation, toGpcReferral } from './other-mappers';
import { toGpcProblem } from './problem-mapper';

interface RecordIndex {
  byId: ReadonlyMap<string, RecordEntry>;
  results: ReadonlyMap<string, Observation>;
}

/**
 * Id indexes of a record, built once per record object: records are cached per patient version, so
 * this serves every consultation of a request and later requests too (it was rebuilt per
 * consultation, quadratic in record size: 74% of the CPU for the large-record archetype).
 */
const indexes = new WeakMap<ClinicalRecord, RecordIndex>();

function indexOf(record: ClinicalRecord): RecordIndex {
  const known = indexes.get(record);
  if (known) return known;
  const byId = new Map<string, RecordEntry>();
  for (const entries of Object.values(record) as RecordEntry[][])
    for (const entry of entries) byId.set(entry.id, entry);
  const results = new Map(record.observations.map((observation) => [observation.id, observation]));
  const index = { byId, results };
  indexes.set(record, index);
  return index;
}

/** The record entries with these ids, in order (ids the record does not hold are skipped). */
export function recordEntries(record: ClinicalRecord, ids: readonly string[]): RecordEntry[] {
  const { byId } = indexOf(record);
  return ids.flatMap((id) => {
    const entry = byId.get(id);
    return entry ? [entry] : [];
  });
}

/**
 * A consultation brings everything recorded in it and a problem everything linked to it (GPC
 * retrieve_patient_record, consultations and problems): items not already in the Bundle are mapped
 * and added, so the Lists referencing them resolve. Confidential items stay out.
 */
export function addRecordEntries(
  builder: BundleBuilder,
  record: ClinicalRecord,
  entryIds: readonly string[],
  carried: Map<string, string>,
): void {
  const index = indexOf(record);
  for (const id of entryIds) {
    const entry = index.byId.get(id);
    if (!entry || carried.has(id) || !isShareableEntry(entry)) continue;
    const reference = mapEntry(builder, entry, index, carried);
    if (reference !== undefined) carried.set(id, reference);
  }
}

/** A referral's letter, which shares the referral's confidentiality (population/record/documents.ts). */
function referralLetter(byId: ReadonlyMap<string, RecordEntry>, referral: Referral): RecordDocument | undefined {
  const letter = referral.letterId === undefined ? undefined : byId.get(referral.letterId);
  return letter?.kind === 'document' ? letter : undefined;
}

/** The letter of a referral in this record, if it has one. */
export function letterOf(record: ClinicalRecord, referral: Referral): RecordDocument | undefined {
  return referralLetter(indexOf(record).byId, referral);
}

function mapEntry(
  builder: BundleBuilder,
  entry: RecordEntry,
  { byId, results }: RecordIndex,
  carried: ReadonlyMap<string, string>,
): string | undefined {
  switch (entry.kind) {
    case 'allergy':
      builder.add(toGpcAllergy(builder, entry));
      return `AllergyIntolerance/${entry.id}`;
    case 'medication':
      return toGpcMedication(builder, builder.population, entry, true);
    case 'observation':
      builder.add(toGpcObservation(builder, entry));
      return `Observation/${entry.id}`;
    case 'immunisation':
      builder.add(toGpcImmunisation(builder, entry));
      return `Immunization/${entry.id}`;
    case 'referral':
      builder.add(toGpcReferral(builder, entry, referralLetter(byId, entry)));
      return `ReferralRequest/${entry.id}`;
    case 'diary':
      builder.add(toGpcDiaryEntry(builder, entry));
      return `ProcedureRequest/${entry.id}`;
    case 'problem':
      builder.add(toGpcProblem(builder, entry, carried));
      return `Condition/${entry.id}`;
    case 'investigation': {
      const reportResults = entry.resultIds.flatMap((resultId) => {
        const result = results.get(resultId);
        return result && isShareableEntry(result) ? [result] : [];
      });
      return toGpcInvestigation(builder, entry, reportResults);
    }
    case 'consultation':
    case 'document':
    case 'appointment':
      return undefined;
  }
}
