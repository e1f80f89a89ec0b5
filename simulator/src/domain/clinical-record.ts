/**
 * A patient's coded GP record, vendor-neutral. Every surface maps from these shapes: GP Connect
 * (STU3 CareConnect-GPC), UK Core R4, SystmOne's Event list and EMIS's medical record.
 *
 * Dates: `date` fields are ISO 8601 dates or date-times; historical entries may carry a partial
 * date ("1998" or "1998-04") as real GP records do.
 */

/** A SNOMED CT concept (dm+d concepts for medicines are SNOMED identifiers too). */
export interface Concept {
  code: string;
  display: string;
}

export interface EntryBase {
  id: string;
  /** When the thing happened (clinically effective). */
  date: string;
  /** When it was entered into the record (date-time). */
  recorded: string;
  /** Staff index (at the registered practice) of who recorded it. */
  recorderIndex: number;
  /** The consultation that recorded it, if any. */
  consultationId?: string;
  /** Marked confidential: withheld from record sharing, with the confidential-items warning. */
  confidential?: boolean;
  /** Set for entries a partner wrote back through an API (not part of the computed baseline). */
  writtenBy?: { partner: string; surface: string; at: string };
}

export interface Problem extends EntryBase {
  kind: 'problem';
  concept: Concept;
  status: 'active' | 'inactive';
  significance: 'major' | 'minor';
  /** End date for inactive (past) problems. */
  endDate?: string;
  /** Ids of entries linked to the problem (medication, observations, referrals, ...). */
  linkedIds: string[];
}

export interface MedicationIssue {
  id: string;
  date: string;
  quantityText: string;
  durationDays: number;
}

export interface Medication extends EntryBase {
  kind: 'medication';
  concept: Concept;
  form: string;
  dosageText: string;
  quantityText: string;
  durationDays: number;
  prescriptionType: 'acute' | 'repeat';
  status: 'active' | 'completed' | 'stopped';
  /** Authorisation start; `date` equals it. */
  endDate?: string;
  issues: MedicationIssue[];
  problemId?: string;
  /** Repeat authorisations: how many issues are authorised before review. */
  repeatsAllowed?: number;
}

export interface Allergy extends EntryBase {
  kind: 'allergy';
  concept: Concept;
  category: 'medication' | 'food' | 'environment';
  type: 'allergy' | 'intolerance';
  clinicalStatus: 'active' | 'resolved';
  endDate?: string;
  reaction?: Concept;
  /** True for the "no known allergy" family of codes (716186003 and relatives). */
  noKnownAllergy: boolean;
}

export interface ObservationComponent {
  concept: Concept;
  value: number;
  unit: string;
}

export interface Observation extends EntryBase {
  kind: 'observation';
  concept: Concept;
  category: 'vital-signs' | 'laboratory' | 'social-history' | 'examination';
  value?: number;
  unit?: string;
  /** Blood pressure carries systolic and diastolic as components. */
  components?: ObservationComponent[];
  referenceRange?: { low: number; high: number };
  /** Lab results belong to an investigation report. */
  reportId?: string;
  problemId?: string;
  /**
   * Consent or dissent for immunisation: the practice files it with immunisations, so record
   * sharing returns it with them and never as uncategorised data.
   */
  immunisationStatus?: true;
}

export interface InvestigationReport extends EntryBase {
  kind: 'investigation';
  concept: Concept;
  /** Ids of the result observations. */
  resultIds: string[];
  specimen: Concept;
  issued: string;
}

export interface Immunisation extends EntryBase {
  kind: 'immunisation';
  concept: Concept;
  status: 'completed' | 'not-done';
  doseNumber?: number;
  notGivenReason?: Concept;
}

export interface Consultation extends EntryBase {
  kind: 'consultation';
  type: 'surgery' | 'telephone' | 'home-visit' | 'video';
  /** Free-text lines as the clinician typed them. */
  narrative: string[];
  /** Entries recorded in this consultation. */
  entryIds: string[];
  /** Problems discussed (consultation topics). */
  problemIds: string[];
  durationMinutes: number;
  locationIndex: number;
}

export interface Referral extends EntryBase {
  kind: 'referral';
  concept: Concept;
  priority: 'routine' | 'urgent' | 'two-week-wait';
  service: string;
  reasonText: string;
  problemId?: string;
  /** The organisation the patient is referred to (it provides `service`). */
  recipient?: { ods: string; name: string };
  /** The referral letter filed in the record's documents. */
  letterId?: string;
}

export interface RecordDocument extends EntryBase {
  kind: 'document';
  type: Concept;
  title: string;
  description: string;
  contentType: string;
  sizeBytes: number;
  /** Who wrote it: the practice itself or an external organisation. */
  author: { ods: string; name: string };
  /** When the practice filed it (indexed). */
  indexed: string;
}

export interface DiaryEntry extends EntryBase {
  kind: 'diary';
  concept: Concept;
  /** When the recall is due. */
  dueDate: string;
  problemId?: string;
}

/** A booked slot with a clinician: attended (with its consultation), missed, or still to come. */
export interface Appointment extends EntryBase {
  kind: 'appointment';
  /** `date` is the start; `end` when the slot finishes. */
  end: string;
  status: 'booked' | 'fulfilled' | 'noshow' | 'cancelled';
  /** Staff index of the clinician the appointment was with. */
  practitionerIndex: number;
  locationIndex: number;
  deliveryChannel: 'In-person' | 'Telephone' | 'Video';
  serviceType: string;
}

export type RecordEntry =
  | Appointment
  | Problem
  | Medication
  | Allergy
  | Observation
  | InvestigationReport
  | Immunisation
  | Consultation
  | Referral
  | RecordDocument
  | DiaryEntry;

export type RecordEntryKind = RecordEntry['kind'];

export interface ClinicalRecord {
  appointments: Appointment[];
  problems: Problem[];
  medications: Medication[];
  allergies: Allergy[];
  observations: Observation[];
  investigations: InvestigationReport[];
  immunisations: Immunisation[];
  consultations: Consultation[];
  referrals: Referral[];
  documents: RecordDocument[];
  diary: DiaryEntry[];
}

export function emptyRecord(): ClinicalRecord {
  return {
    appointments: [],
    problems: [],
    medications: [],
    allergies: [],
    observations: [],
    investigations: [],
    immunisations: [],
    consultations: [],
    referrals: [],
    documents: [],
    diary: [],
  };
}

export function countEntries(record: ClinicalRecord): number {
  let total = 0;
  for (const entries of Object.values(record)) total += (entries as unknown[]).length;
  return total;
}
