import type { ClinicalRecord, RecordEntry } from './clinical-record';
import type { Patient } from './patient';
import type { Population } from '../population/population';
import type { RecordRepository } from '../store/store';

const listOf: Record<RecordEntry['kind'], keyof ClinicalRecord> = {
  appointment: 'appointments',
  problem: 'problems',
  medication: 'medications',
  allergy: 'allergies',
  observation: 'observations',
  investigation: 'investigations',
  immunisation: 'immunisations',
  consultation: 'consultations',
  referral: 'referrals',
  document: 'documents',
  diary: 'diary',
};

/**
 * A patient's record as every surface must show it: the computed baseline plus whatever partners
 * have written back since, so a write through one face is visible through all of them.
 */
export class PatientRecords {
  constructor(
    private readonly population: () => Population,
    private readonly written: RecordRepository,
  ) {}

  async record(patient: Patient): Promise<ClinicalRecord> {
    const baseline = this.population().record(patient);
    const written = await this.written.entries(patient.ordinal);
    if (written.length === 0) return baseline;
    const merged = { ...baseline } as Record<keyof ClinicalRecord, RecordEntry[]>;
    const touched = new Set<keyof ClinicalRecord>();
    for (const entry of written) {
      const list = listOf[entry.kind];
      if (!touched.has(list)) {
        merged[list] = [...(baseline[list] as RecordEntry[])];
        touched.add(list);
      }
      merged[list].push(entry);
    }
    for (const list of touched) merged[list].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
    return merged as unknown as ClinicalRecord;
  }
}
