import { archetypeKeys } from '../domain/archetypes';
import type { ClinicalRecord } from '../domain/clinical-record';
import type { Practice } from '../domain/estate';
import type { Patient } from '../domain/patient';
import type { DecodedId, IdKind } from './ids';
import type { Estate, EstateSpec } from './estate-generator';
import { buildEstate } from './estate-generator';
import { LruCache } from './lru-cache';
import { generatePatient } from './patient-generator';
import { generateRecord } from './record-generator';
import type { ReferenceData } from './reference-data';
import { loadReferenceData } from './reference-data';

export interface PopulationOptions {
  /** Patients kept computed in memory (least recently used are recomputed on demand). */
  patientCacheSize?: number;
  /** Clinical records kept computed in memory (records are far larger than demographics). */
  recordCacheSize?: number;
  /** Practices whose details and staff lists are kept computed in memory. */
  practiceCacheSize?: number;
  fixturesDir?: string;
}

export interface NhsNumberLookup {
  patient: Patient;
  /** True when the number asked for is a superseded number of this patient. */
  superseded: boolean;
}

/**
 * The baseline population: computed, never stored. Patient i of practice p is a pure function of
 * (seed, p, i); lookups by NHS number or logical id invert the seeded permutations that issued
 * them, so nothing is indexed up front and memory is bounded by the caches, whatever the estate.
 */
export class Population {
  readonly estate: Estate;
  readonly reference: ReferenceData;
  private readonly patients: LruCache<number, Patient>;
  private readonly records: LruCache<number, ClinicalRecord>;

  constructor(spec: EstateSpec, options: PopulationOptions = {}) {
    this.reference = loadReferenceData(options.fixturesDir);
    this.estate = buildEstate(spec, this.reference, options.practiceCacheSize);
    this.patients = new LruCache(options.patientCacheSize ?? 10_000);
    this.records = new LruCache(options.recordCacheSize ?? 1_000);
  }

  get practices(): readonly Practice[] {
    return this.estate.practices;
  }

  practice(ods: string): Practice | undefined {
    return this.estate.practiceByOds.get(ods);
  }

  practiceOf(patient: Patient): Practice {
    return this.estate.practices[patient.practiceIndex] as Practice;
  }

  /** The patient at an estate ordinal, or undefined outside the registered population. */
  patient(ordinal: number): Patient | undefined {
    if (!Number.isInteger(ordinal) || ordinal < 0 || ordinal >= this.estate.totalPatients) return undefined;
    return this.patients.getOrCreate(ordinal, () => {
      const practice = this.estate.practices[Math.floor(ordinal / this.estate.spec.patientsPerPractice)] as Practice;
      return generatePatient(this.estate, this.reference, practice, ordinal - practice.firstOrdinal);
    });
  }

  patientAt(practice: Practice, index: number): Patient | undefined {
    if (!Number.isInteger(index) || index < 0 || index >= practice.listSize) return undefined;
    return this.patient(practice.firstOrdinal + index);
  }

  byNhsNumber(nhsNumber: string): NhsNumberLookup | undefined {
    const ordinal = this.estate.nhsNumbers.ordinalFor(nhsNumber);
    if (ordinal === undefined) return undefined;
    const aliasOf = this.estate.practiceOfAliasOrdinal(ordinal);
    if (aliasOf !== undefined) {
      const practice = this.estate.practices[aliasOf] as Practice;
      const current = this.patientAt(practice, supersededArchetypeIndex);
      return current ? { patient: current, superseded: true } : undefined;
    }
    const patient = this.patient(ordinal);
    return patient ? { patient, superseded: false } : undefined;
  }

  /** Decodes a logical id minted for this estate, or undefined for ids it never issued. */
  decodeId(id: string, kind?: IdKind): DecodedId | undefined {
    const decoded = this.estate.ids.decode(id);
    if (!decoded || (kind !== undefined && decoded.kind !== kind)) return undefined;
    return decoded;
  }

  patientById(id: string): Patient | undefined {
    const decoded = this.decodeId(id, 'patient');
    return decoded ? this.patient(decoded.owner) : undefined;
  }

  /** The computed clinical record of a patient (baseline only; the store adds what changed). */
  record(patient: Patient): ClinicalRecord {
    return this.records.getOrCreate(patient.ordinal, () =>
      generateRecord(this.estate, this.reference, this.practiceOf(patient), patient),
    );
  }

  cacheSizes(): { patients: number; records: number; staffPractices: number } {
    return {
      patients: this.patients.size,
      records: this.records.size,
      staffPractices: this.estate.staff.cachedPractices,
    };
  }
}

const supersededArchetypeIndex = archetypeKeys.indexOf('superseded');
