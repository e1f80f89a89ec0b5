import type { RecordDocument } from '../../domain/clinical-record';
import { dateOfDay, dateTimeOfDay } from '../dates';
import type { RecordContext } from './record-context';

/**
 * Correspondence filed in the record: hospital discharge letters and clinical encounter reports
 * (document types from the GP Connect examples). Content is rendered on demand from this metadata,
 * so even the large-document archetype's 6 MB file is never stored.
 */

/** Fictitious organisations that write to practices; codes in the X range, names marked simulated. */
export const correspondents: readonly { ods: string; name: string }[] = [
  { ods: 'X8H01', name: 'Northmoor Hospitals NHS Trust (simulated)' },
  { ods: 'X8H02', name: 'Eastvale Teaching Hospitals NHS Foundation Trust (simulated)' },
  { ods: 'X8H03', name: 'Westbrook Community Health Services (simulated)' },
  { ods: 'X8H04', name: 'Southmere Urgent Care Centre (simulated)' },
];

const DISCHARGE_LETTER = '824331000000106';
const ENCOUNTER_REPORT = '371531000';

/** Size above which GP Connect Access Document refuses retrieval (404 NO_RECORD_FOUND). */
export const GP_CONNECT_DOCUMENT_LIMIT_BYTES = 5 * 1024 * 1024;

export function addDocuments(context: RecordContext): void {
  const { rng } = context;
  const expected = context.age >= 65 ? 3 : context.age >= 18 ? 1.2 : 0.4;
  const count =
    context.archetype === 'standard' || context.archetype === 'large-document'
      ? 2
      : Math.floor(expected + rng.fraction());
  for (let i = 0; i < count; i++) {
    const day = context.weekday(Math.max(context.windowStartDay, context.endDay - 5 * 365), context.endDay);
    addDocument(context, day, rng.chance(0.5) ? DISCHARGE_LETTER : ENCOUNTER_REPORT, rng.between(18_000, 420_000));
  }
  if (context.archetype === 'large-document') {
    const day = context.weekday(context.endDay - 200, context.endDay - 20);
    addDocument(context, day, DISCHARGE_LETTER, rng.between(6 * 1024 * 1024, 8 * 1024 * 1024));
  }
}

/**
 * Each referral's letter, written by the practice and filed with the referral (GPC
 * referralrequest.md, supportingInfo: "Reference to the referral letter(s)"). Added after every other
 * entry, so the rest of the record keeps its ids.
 */
export function addReferralLetters(context: RecordContext): void {
  const { rng, practice } = context;
  for (const referral of context.record.referrals) {
    const title = `Referral letter: ${referral.service}`;
    const letter: RecordDocument = {
      kind: 'document',
      id: context.id('document'),
      date: referral.date,
      recorded: referral.recorded,
      recorderIndex: referral.recorderIndex,
      ...(referral.consultationId ? { consultationId: referral.consultationId } : {}),
      type: context.concept('recordStructure', ENCOUNTER_REPORT),
      title,
      description: `${title}, ${referral.date.slice(0, 10)}`,
      contentType: 'application/pdf',
      sizeBytes: rng.between(18_000, 90_000),
      author: { ods: practice.ods, name: practice.name },
      indexed: referral.recorded,
    };
    context.record.documents.push(letter);
    referral.letterId = letter.id;
  }
}

function addDocument(context: RecordContext, day: number, typeCode: string, sizeBytes: number): void {
  const { rng } = context;
  const author = rng.pick(correspondents);
  const created = dateTimeOfDay(day, 9 * 60 + rng.int(480));
  const indexedDay = day + rng.between(1, 9);
  const type = context.concept('recordStructure', typeCode);
  const title =
    typeCode === DISCHARGE_LETTER
      ? 'Discharge summary'
      : rng.pick(['Outpatient clinic letter', 'Urgent care attendance report', 'Community nursing report']);
  const document: RecordDocument = {
    kind: 'document',
    id: context.id('document'),
    date: created,
    recorded: dateTimeOfDay(indexedDay, 10 * 60 + rng.int(360)),
    recorderIndex: context.clinician('gp'),
    type,
    title,
    description: `${title} from ${author.name}, ${dateOfDay(day)}`,
    contentType: 'application/pdf',
    sizeBytes,
    author,
    indexed: dateTimeOfDay(indexedDay, 10 * 60),
  };
  context.record.documents.push(document);
}

/** Recalls: a medication review falls due for everyone on repeat medicines. */
export function addDiary(context: RecordContext): void {
  const hasRepeats = context.record.medications.some(
    (medication) => medication.prescriptionType === 'repeat' && medication.status === 'active',
  );
  if (!hasRepeats) return;
  const due = context.endDay + context.rng.between(20, 330);
  const recorded = dateTimeOfDay(
    context.weekday(Math.max(context.historyStartDay, context.endDay - 330), context.endDay),
    12 * 60,
  );
  context.record.diary.push({
    kind: 'diary',
    id: context.id('diary'),
    date: recorded,
    recorded,
    recorderIndex: context.clinician('pharmacist'),
    concept: context.concept('recordStructure', '314529007'),
    dueDate: dateOfDay(due),
  });
}
