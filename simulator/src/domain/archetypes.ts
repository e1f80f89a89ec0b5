import { control } from '@gpsim/contracts';

/**
 * Named patients every practice has at fixed positions of its list, for the situations
 * integrations must handle (reference/domain.md §1.12 and §4.6). The key order is the index order:
 * archetype k is patient k of every practice.
 */
export const archetypeKeys = control.archetypeKeys;
export type ArchetypeKey = (typeof archetypeKeys)[number];

export const archetypeDescriptions: Record<ArchetypeKey, string> = {
  standard:
    'Normal full record: problems, medication, allergies, observations, immunisations, consultations, documents.',
  'no-allergies': 'No allergy information recorded at all (not even "No known allergy").',
  sensitive: 'Sensitive (S-flag) on PDS: GP Connect answers PATIENT_NOT_FOUND; PDS returns restricted fields removed.',
  deceased: 'Deceased: not returned by find-patient; registering them fails with INVALID_PATIENT_DEMOGRAPHICS.',
  dissent: 'Dissented from record sharing: structured record and documents answer 403 NO_PATIENT_CONSENT.',
  inactive: 'Left the practice (inactive registration): not returned as an active patient.',
  'temporary-resident': 'Temporary resident (non-GMS registration): structured record answers PATIENT_NOT_FOUND.',
  unverified: 'NHS number not traced/verified on PDS (status 02) and absent from PDS.',
  'in-transit':
    'Record transfer from the previous practice not complete: structured lists carry the data-in-transit warning.',
  'confidential-items':
    'Has items marked confidential: they are withheld and lists carry the confidential-items warning.',
  superseded: 'Has a superseded (old) NHS number that PDS resolves to the current one.',
  'large-record': 'Very large record: thousands of entries over decades of care.',
  'large-document': 'Has a document over 5 MB: GP Connect Binary retrieval answers 404 NO_RECORD_FOUND.',
  'duplicate-demographics':
    'Same name, sex and date of birth as the standard patient of the same practice (matching tests).',
};

export const ARCHETYPE_COUNT = archetypeKeys.length;

export function archetypeAt(index: number): ArchetypeKey | undefined {
  return archetypeKeys[index];
}
