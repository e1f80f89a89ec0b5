import type { ArchetypeKey } from './archetypes';
import type { Address } from './estate';

export type Sex = 'female' | 'male' | 'other' | 'unknown';

export interface PersonName {
  prefix?: string;
  given: string[];
  family: string;
}

export interface Telecom {
  system: 'phone' | 'email';
  value: string;
  use: 'home' | 'mobile' | 'work';
}

/**
 * GP registration types (CareConnect-RegistrationType-1): R regular (GMS), T temporary,
 * E emergency, IN immediately necessary, P private, O other, S synthetic.
 */
export type RegistrationType = 'R' | 'T' | 'E' | 'IN' | 'P' | 'O' | 'S';

/** Registration status (CareConnect-RegistrationStatus-1): A active, I inactive, D deduction pending, R pending. */
export type RegistrationStatus = 'A' | 'I' | 'D' | 'R';

export interface Registration {
  type: RegistrationType;
  status: RegistrationStatus;
  start: string;
  end?: string;
}

/**
 * NHS number verification status (England): 01 present and verified, 02 present but not traced,
 * 03 trace required, 04 no or multiple match, 05 trace needs resolving, 06 in progress,
 * 07 not present and trace not required, 08 trace postponed.
 */
export type NhsNumberStatus = '01' | '02' | '03' | '04' | '05' | '06' | '07' | '08';

/** The verification status displays, as the CareConnect and UK Core code systems word them. */
export const nhsNumberStatusDisplays: Readonly<Record<NhsNumberStatus, string>> = {
  '01': 'Number present and verified',
  '02': 'Number present but not traced',
  '03': 'Trace required',
  '04': 'Trace attempted - No match or multiple match found',
  '05': 'Trace needs to be resolved - (NHS number or patient detail conflict)',
  '06': 'Trace in progress',
  '07': 'Number not present and trace not required',
  '08': 'Trace postponed (baby under six weeks old)',
};

/** Long-term conditions the population model assigns; the record generator expands them into entries. */
export const conditionKeys = [
  'hypertension',
  'diabetes-type-2',
  'diabetes-type-1',
  'asthma',
  'copd',
  'depression',
  'anxiety',
  'ckd',
  'chd',
  'atrial-fibrillation',
  'heart-failure',
  'stroke-tia',
  'pad',
  'hypothyroidism',
  'obesity',
  'cancer',
  'severe-mental-illness',
  'epilepsy',
  'dementia',
  'rheumatoid-arthritis',
  'osteoarthritis',
  'osteoporosis',
  'gout',
  'learning-disability',
] as const;
export type ConditionKey = (typeof conditionKeys)[number];

/** A patient as the estate knows them: demographics, registration and record-level flags. */
export interface Patient {
  /** Position in the whole estate; the key every other lookup derives from. */
  ordinal: number;
  practiceIndex: number;
  /** Position in the practice list. */
  index: number;
  id: string;
  nhsNumber: string;
  nhsNumberStatus: NhsNumberStatus;
  archetype?: ArchetypeKey;
  name: PersonName;
  sex: Sex;
  birthDate: string;
  deceasedDate?: string;
  address: Address;
  telecom: Telecom[];
  language: { code: string; display: string; interpreterRequired: boolean };
  registration: Registration;
  /** Staff index of the usual GP at the registered practice. */
  usualGpIndex: number;
  /** PDS sensitive flag ("S"): address and contact details restricted. */
  sensitive: boolean;
  /** Patient has dissented from sharing their record. */
  dissent: boolean;
  /** Present on PDS (the unverified archetype is not). */
  onPds: boolean;
  /** Earlier NHS numbers that now resolve to this patient. */
  supersededNhsNumbers: string[];
  /** When set, a record transfer from the previous practice is incomplete since this date. */
  inTransitSince?: string;
  conditions: ConditionKey[];
}
