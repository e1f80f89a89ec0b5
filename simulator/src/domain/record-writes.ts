import type { Concept, Consultation, Observation, Problem, RecordDocument } from './clinical-record';
import type { Patient } from './patient';
import type { StaffRole } from './estate';
import { SimError } from './errors';
import type { SimClock } from './clock';
import type { IdCodec } from '../population/ids';
import type { RecordRepository } from '../store/store';

/** A coded entry a partner files: a problem (with significance) or an observation (optionally valued). */
export type CodedWrite =
  | { kind: 'problem'; concept: Concept; significance: 'major' | 'minor' }
  | { kind: 'observation'; concept: Concept; value?: number; unit?: string };

export interface ConsultationWrite {
  partner: string;
  surface: string;
  /** Staff index of the logged-in user filing it. */
  recorderIndex: number;
  recorderRole: StaffRole;
  /** When it happened; the simulated now when omitted. */
  date?: string;
  type: Consultation['type'];
  narrative: string[];
  entries: CodedWrite[];
}

/** A document a partner files into the record (letter, scan, report). */
export interface DocumentWrite {
  partner: string;
  surface: string;
  recorderIndex: number;
  /** When it was written; the simulated now when omitted. */
  date?: string;
  type: Concept;
  title: string;
  description: string;
  contentType: string;
  sizeBytes: number;
  author: { ods: string; name: string };
}

export const MAX_WRITTEN_ENTRIES = 50;
const MAX_NARRATIVE_LINES = 200;
const MAX_LINE_LENGTH = 2000;
/** Only clinicians file clinical content (national RBAC: clinical practitioner roles). */
const clinicalRoles: ReadonlySet<StaffRole> = new Set(['gp', 'nurse', 'hca', 'pharmacist']);

/**
 * Write-back shared by the partner APIs: one consultation holding the narrative and the coded
 * entries, stored as partner-written entries so every surface (GP Connect, UK Core R4, SystmOne,
 * EMIS) shows them afterwards. Writes to one patient are serialised so entry ids never collide.
 */
export class RecordWriter {
  private readonly queues = new Map<number, Promise<unknown>>();

  constructor(
    private readonly repository: RecordRepository,
    private readonly clock: SimClock,
    private readonly ids: () => IdCodec,
  ) {}

  async writeConsultation(
    patient: Patient,
    write: ConsultationWrite,
  ): Promise<{ consultationId: string; entryIds: string[] }> {
    validate(write);
    return this.serialised(patient.ordinal, async () => {
      const now = this.clock.nowDate().toISOString();
      let n = (await this.repository.entries(patient.ordinal)).length;
      const ids = this.ids();
      const newId = () => ids.encode('write', patient.ordinal, n++);
      const base = {
        date: write.date ?? now,
        recorded: now,
        recorderIndex: write.recorderIndex,
        writtenBy: { partner: write.partner, surface: write.surface, at: now },
      };
      const consultationId = newId();
      const entries = write.entries.map((entry): Problem | Observation =>
        entry.kind === 'problem'
          ? {
              ...base,
              id: newId(),
              kind: 'problem',
              consultationId,
              concept: entry.concept,
              status: 'active',
              significance: entry.significance,
              linkedIds: [],
            }
          : {
              ...base,
              id: newId(),
              kind: 'observation',
              consultationId,
              concept: entry.concept,
              category: 'examination',
              ...(entry.value !== undefined ? { value: entry.value, unit: entry.unit ?? '' } : {}),
            },
      );
      const consultation: Consultation = {
        ...base,
        id: consultationId,
        kind: 'consultation',
        type: write.type,
        narrative: write.narrative,
        entryIds: entries.map((entry) => entry.id),
        problemIds: entries.filter((entry) => entry.kind === 'problem').map((entry) => entry.id),
        durationMinutes: 10,
        locationIndex: 0,
      };
      for (const entry of [consultation, ...entries]) await this.repository.append(patient.ordinal, entry);
      return { consultationId, entryIds: entries.map((entry) => entry.id) };
    });
  }

  /** Files one document entry, shown afterwards as GP Connect and R4 DocumentReferences. */
  async writeDocument(patient: Patient, write: DocumentWrite): Promise<{ documentId: string }> {
    if (write.date !== undefined && Number.isNaN(Date.parse(write.date))) {
      throw new SimError('invalid-parameter', 'The document date must be an ISO 8601 date or date-time.', {
        field: 'Date',
      });
    }
    return this.serialised(patient.ordinal, async () => {
      const now = this.clock.nowDate().toISOString();
      const n = (await this.repository.entries(patient.ordinal)).length;
      const document: RecordDocument = {
        id: this.ids().encode('write', patient.ordinal, n),
        kind: 'document',
        date: write.date ?? now,
        recorded: now,
        recorderIndex: write.recorderIndex,
        writtenBy: { partner: write.partner, surface: write.surface, at: now },
        type: write.type,
        title: write.title,
        description: write.description,
        contentType: write.contentType,
        sizeBytes: write.sizeBytes,
        author: write.author,
        indexed: now,
      };
      await this.repository.append(patient.ordinal, document);
      return { documentId: document.id };
    });
  }

  private serialised<T>(ordinal: number, work: () => Promise<T>): Promise<T> {
    const previous = this.queues.get(ordinal) ?? Promise.resolve();
    const next = previous.then(work, work);
    const settled = next.catch(() => undefined);
    this.queues.set(ordinal, settled);
    void settled.then(() => {
      if (this.queues.get(ordinal) === settled) this.queues.delete(ordinal);
    });
    return next;
  }
}

function validate(write: ConsultationWrite): void {
  if (!clinicalRoles.has(write.recorderRole)) {
    throw new SimError('forbidden', `A ${write.recorderRole} cannot file clinical content; log in as a clinician.`, {
      detail: { reason: 'role', role: write.recorderRole },
    });
  }
  if (write.narrative.length + write.entries.length === 0) {
    throw new SimError('invalid-parameter', 'Nothing to file: send narrative lines or coded entries.');
  }
  if (write.entries.length > MAX_WRITTEN_ENTRIES) {
    throw new SimError('invalid-parameter', `At most ${MAX_WRITTEN_ENTRIES} coded entries per consultation.`);
  }
  if (write.narrative.length > MAX_NARRATIVE_LINES || write.narrative.some((line) => line.length > MAX_LINE_LENGTH)) {
    throw new SimError(
      'invalid-parameter',
      `Narrative is limited to ${MAX_NARRATIVE_LINES} lines of ${MAX_LINE_LENGTH} characters.`,
    );
  }
  if (write.date !== undefined && Number.isNaN(Date.parse(write.date))) {
    throw new SimError('invalid-parameter', 'The consultation date must be an ISO 8601 date or date-time.');
  }
  for (const entry of write.entries) {
    if (!/^\d{6,18}$/.test(entry.concept.code) || entry.concept.display.trim() === '') {
      throw new SimError(
        'invalid-parameter',
        'Each coded entry needs a SNOMED CT concept id (6-18 digits) and a term.',
      );
    }
  }
}
