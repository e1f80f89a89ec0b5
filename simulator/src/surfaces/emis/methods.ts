import { randomUUID } from 'node:crypto';
import { emis } from '@gpsim/contracts';
import type { z } from 'zod';
import type { EmisFunction } from '../../domain/partners';
import { assertUserMayCall } from '../../domain/partners';
import type { Patient } from '../../domain/patient';
import { searchPracticeList } from '../../domain/practice-patient-search';
import { isShareableEntry } from '../../domain/patient-access';
import { storeDocumentContent } from '../../domain/document-content';
import type { Engine } from '../../engine';
import type { SimRequest } from '../../transport/types';
import type { Plain } from './emis-codec';
import { readBody } from './emis-codec';
import { emisError } from './emis-errors';
import { bookPracticeSlot, dayRange, freePracticeSlots } from '../shared/partner-appointments';
import { matchedPatient, medicalRecord } from './medical-record-mapper';
import { partnerTask, partnerTasks } from '../shared/partner-tasks';
import type { Task } from '../../domain/tasks';
import { emisWorkflowView } from '../../domain/task-presentation';
import type { EmisSession } from './sessions';
import { assertActivated, session, tokenSession } from './sessions';
import { bearerToken } from '../oauth/bearer';

const MAX_MATCHES = 50;
const sexes = { M: 'male', F: 'female', I: 'other', U: 'unknown' } as const;
const consultationTypes = {
  Surgery: 'surgery',
  Telephone: 'telephone',
  HomeVisit: 'home-visit',
  Video: 'video',
} as const;

interface StoredFile {
  partner: string;
  ods: string;
  consultationId: string;
  entryIds: string[];
}

type MethodResult = Record<string, Plain>;
interface Method<S extends z.ZodType> {
  schema: S;
  /** Writes replay their first result for a repeated idempotency key. */
  write: boolean;
  run(engine: Engine, session: EmisSession, body: z.infer<S>, request: SimRequest): Promise<MethodResult>;
}

async function audit(
  engine: Engine,
  current: EmisSession,
  action: string,
  patient: Patient | undefined,
  outcome: 'allowed' | 'refused',
  traceId: string,
) {
  await engine.audit({
    surface: 'emis',
    action,
    ...(patient ? { nhsNumber: patient.nhsNumber } : {}),
    clientId: current.partner.name,
    user: current.user.username,
    role: current.user.role,
    organisation: current.practice.ods,
    traceId,
    outcome,
  });
}

/** The patient a request names (PatientId or NhsNumber), registered at the session's practice. */
async function patientOf(
  engine: Engine,
  current: EmisSession,
  ref: { PatientId?: string | undefined; NhsNumber?: string | undefined },
  action: string,
  traceId: string,
): Promise<Patient> {
  const { population } = engine;
  const patient =
    ref.PatientId !== undefined
      ? population.patientById(ref.PatientId)
      : ref.NhsNumber !== undefined
        ? population.byNhsNumber(ref.NhsNumber)?.patient
        : undefined;
  if (ref.PatientId === undefined && ref.NhsNumber === undefined) {
    throw emisError(
      'invalid-parameter',
      'InvalidParameter',
      'Name the patient with PatientId (from GetMatchedPatient) or NhsNumber.',
      'PatientId',
    );
  }
  if (!patient || patient.practiceIndex !== current.practice.index) {
    throw emisError(
      'patient-not-found',
      'PatientNotFound',
      `No such patient is registered at ${current.practice.ods}; find one with GetMatchedPatient.`,
    );
  }
  if (patient.sensitive) {
    await audit(engine, current, action, patient, 'refused', traceId);
    throw emisError(
      'consent-withheld',
      'SensitiveRecord',
      'This record is marked sensitive and is not released to partner applications.',
    );
  }
  return patient;
}

function matchedList(patients: Patient[]): Plain {
  return patients.length > 0 ? { Patient: patients.map(matchedPatient) } : {};
}

const getMatchedPatient: Method<typeof emis.GetMatchedPatient> = {
  schema: emis.GetMatchedPatient,
  write: false,
  async run(engine, current, body, request) {
    if (body.NhsNumber !== undefined) {
      const found = engine.population.byNhsNumber(body.NhsNumber)?.patient;
      const patients = found && found.practiceIndex === current.practice.index && !found.sensitive ? [found] : [];
      for (const patient of patients)
        await audit(engine, current, 'search-patient', patient, 'allowed', request.traceId);
      return { MatchedPatients: matchedList(patients) };
    }
    const given = [body.Surname, body.DateOfBirth, body.Sex, body.Postcode].filter(
      (value) => value !== undefined,
    ).length;
    if (given < 2) {
      throw emisError(
        'invalid-parameter',
        'InvalidParameter',
        'GetMatchedPatient needs NhsNumber, or two of Surname, DateOfBirth, Sex and Postcode.',
      );
    }
    const matches = searchPracticeList(
      engine.population,
      current.practice,
      {
        ...(body.Surname !== undefined ? { surname: body.Surname } : {}),
        ...(body.DateOfBirth !== undefined ? { dateOfBirth: body.DateOfBirth } : {}),
        ...(body.Postcode !== undefined ? { postcode: body.Postcode } : {}),
        ...(body.Sex !== undefined ? { sex: sexes[body.Sex] } : {}),
      },
      MAX_MATCHES,
    );
    for (const patient of matches) await audit(engine, current, 'search-patient', patient, 'allowed', request.traceId);
    return { MatchedPatients: matchedList(matches) };
  },
};

const getMedicalRecord: Method<typeof emis.GetMedicalRecord> = {
  schema: emis.GetMedicalRecord,
  write: false,
  async run(engine, current, body, request) {
    const patient = await patientOf(engine, current, body, 'read-record', request.traceId);
    await audit(engine, current, 'read-record', patient, 'allowed', request.traceId);
    return { MedicalRecord: medicalRecord(patient, current.practice, await engine.records.record(patient)) };
  },
};

const fileRecord: Method<typeof emis.FileRecord> = {
  schema: emis.FileRecord,
  write: true,
  async run(engine, current, body, request) {
    const patient = await patientOf(engine, current, body, 'write-record', request.traceId);
    const consultation = body.Consultation;
    const written = await engine.recordWriter.writeConsultation(patient, {
      partner: current.partner.name,
      surface: 'emis',
      recorderIndex: current.user.index,
      recorderRole: current.user.role,
      ...(consultation.Date !== undefined ? { date: consultation.Date } : {}),
      type: consultationTypes[consultation.Type ?? 'Surgery'],
      narrative: consultation.Narrative?.Line ?? [],
      entries: (consultation.Entries?.Entry ?? []).map((entry) =>
        entry.Type === 'Problem'
          ? {
              kind: 'problem' as const,
              concept: { code: entry.Code, display: entry.Term },
              significance: entry.Significance === 'Major' ? ('major' as const) : ('minor' as const),
            }
          : {
              kind: 'observation' as const,
              concept: { code: entry.Code, display: entry.Term },
              ...(entry.Value !== undefined ? { value: entry.Value, unit: entry.Unit ?? '' } : {}),
            },
      ),
    });
    const fileRecordId = randomUUID();
    await engine.store.settings.put(`emis-file:${fileRecordId}`, {
      partner: current.partner.name,
      ods: current.practice.ods,
      consultationId: written.consultationId,
      entryIds: written.entryIds,
    } satisfies StoredFile);
    await audit(engine, current, 'write-record', patient, 'allowed', request.traceId);
    // The real API accepts a filing and reports completion through a FileStatus follow-up.
    return { FileRecordId: fileRecordId, FileStatus: 'Accepted' };
  },
};

const getFileStatus: Method<typeof emis.GetFileStatus> = {
  schema: emis.GetFileStatus,
  write: false,
  async run(engine, current, body) {
    const stored = await engine.store.settings.get<StoredFile>(`emis-file:${body.FileRecordId}`);
    if (!stored || stored.partner !== current.partner.name || stored.ods !== current.practice.ods) {
      throw emisError(
        'not-found',
        'NotFound',
        `No filing ${body.FileRecordId} by this partner at ${current.practice.ods}.`,
        'FileRecordId',
      );
    }
    return {
      FileRecordId: body.FileRecordId,
      FileStatus: 'Filed',
      ConsultationId: stored.consultationId,
      ...(stored.entryIds.length > 0 ? { EntryIds: { Id: stored.entryIds } } : {}),
    };
  },
};

const createTask: Method<typeof emis.CreateTask> = {
  schema: emis.CreateTask,
  write: true,
  async run(engine, current, body, request) {
    const named = body.PatientId !== undefined || body.NhsNumber !== undefined;
    const patient = named ? await patientOf(engine, current, body, 'create-task', request.traceId) : undefined;
    const { task } = await engine.tasks.create({
      ods: current.practice.ods,
      type: 'partner-task',
      title: body.Title,
      urgency: body.Urgent === 'true' ? 'urgent' : 'routine',
      ...(patient ? { nhsNumber: patient.nhsNumber } : {}),
      assignee: { kind: 'team', id: body.Group ?? 'Doctors' },
      source: { surface: 'emis', sender: current.partner.name, reference: body.IdempotencyKey ?? request.traceId },
    });
    await audit(engine, current, 'create-task', patient, 'allowed', request.traceId);
    return { TaskId: task.id };
  },
};

function workflowItem(task: Task, detailed: boolean): Plain {
  const view = emisWorkflowView(task);
  return {
    ItemId: task.id,
    Folder: view.folder,
    Category: view.category,
    Subject: task.title,
    Priority: view.priority,
    Status: view.status,
    AssignedTo: { Kind: view.assignedTo.kind, Name: view.assignedTo.name },
    ...(task.nhsNumber !== undefined ? { NhsNumber: task.nhsNumber } : {}),
    ...(view.linkedDocument !== undefined ? { LinkedDocument: view.linkedDocument } : {}),
    ...(task.dueDate !== undefined ? { DueDate: task.dueDate } : {}),
    Sender: task.source.sender,
    Received: task.createdAt,
    Updated: task.updatedAt,
    Version: String(task.version),
    ...(detailed && task.reason !== undefined ? { Reason: task.reason } : {}),
    ...(detailed && task.comments.length > 0
      ? {
          Comments: {
            Comment: task.comments.map((comment) => ({ At: comment.at, By: comment.by, Text: comment.text })),
          },
        }
      : {}),
  };
}

/** Workflow Manager items of the practice, narrowed by folder, status or patient. */
const getWorkflowItems: Method<typeof emis.GetWorkflowItems> = {
  schema: emis.GetWorkflowItems,
  write: false,
  async run(engine, current, body, request) {
    const named = body.PatientId !== undefined || body.NhsNumber !== undefined;
    const patient = named ? await patientOf(engine, current, body, 'read-tasks', request.traceId) : undefined;
    const tasks = await partnerTasks(engine, current.practice, patient ? { nhsNumber: patient.nhsNumber } : {});
    const items: Plain[] = tasks
      .filter((task) => {
        const view = emisWorkflowView(task);
        return (
          (body.Folder === undefined || view.folder === body.Folder) &&
          (body.Status === undefined || view.status === body.Status)
        );
      })
      .map((task) => workflowItem(task, false));
    const found: Plain = items.length > 0 ? { Item: items } : {};
    await audit(engine, current, 'read-tasks', patient, 'allowed', request.traceId);
    return { WorkflowItems: found };
  },
};

const getWorkflowItem: Method<typeof emis.GetWorkflowItem> = {
  schema: emis.GetWorkflowItem,
  write: false,
  async run(engine, current, body, request) {
    const task = await partnerTask(engine, current.practice, body.ItemId);
    const patient = task.nhsNumber === undefined ? undefined : engine.population.byNhsNumber(task.nhsNumber)?.patient;
    await audit(engine, current, 'read-task', patient, 'allowed', request.traceId);
    return { WorkflowItem: workflowItem(task, true) };
  },
};

/** Free slots grouped by session (one clinician's morning or afternoon surgery), over at most two weeks. */
const getAppointmentSessions: Method<typeof emis.GetAppointmentSessions> = {
  schema: emis.GetAppointmentSessions,
  write: false,
  async run(engine, current, body, request) {
    const slots = await freePracticeSlots(engine, current.practice, dayRange(body.DateFrom, body.DateTo));
    const sessions = new Map<
      string,
      { SessionName: string; Clinician: string; Date: string; Slots: { Slot: Plain[] } }
    >();
    for (const slot of slots) {
      const key = `${slot.scheduleId}:${slot.session}`;
      let entry = sessions.get(key);
      if (!entry) {
        entry = {
          SessionName: slot.session,
          Clinician: `${slot.clinician.given} ${slot.clinician.family}`,
          Date: slot.start.slice(0, 10),
          Slots: { Slot: [] },
        };
        sessions.set(key, entry);
      }
      entry.Slots.Slot.push({
        SlotId: slot.id,
        Start: slot.start,
        End: slot.end,
        ServiceType: slot.serviceType,
        DeliveryChannel: slot.deliveryChannel,
      });
    }
    await audit(engine, current, 'read-slots', undefined, 'allowed', request.traceId);
    const found: Plain = sessions.size > 0 ? { Session: [...sessions.values()] } : {};
    return { Sessions: found };
  },
};

const bookAppointment: Method<typeof emis.BookAppointment> = {
  schema: emis.BookAppointment,
  write: true,
  async run(engine, current, body, request) {
    const patient = await patientOf(engine, current, body, 'book-appointment', request.traceId);
    const booking = await bookPracticeSlot(engine, current.practice, body.SlotId, patient, body.Reason, {
      emis: 'SlotUnavailable',
    });
    await audit(engine, current, 'book-appointment', patient, 'allowed', request.traceId);
    return { AppointmentId: booking.id, SlotId: booking.slotId, Start: booking.start, End: booking.end };
  },
};

/** Documents in the record the partner may see (confidential ones withheld), newest first. */
const getDocuments: Method<typeof emis.GetDocuments> = {
  schema: emis.GetDocuments,
  write: false,
  async run(engine, current, body, request) {
    const patient = await patientOf(engine, current, body, 'read-documents', request.traceId);
    const documents = (await engine.records.record(patient)).documents
      .filter(isShareableEntry)
      .sort((a, b) => b.indexed.localeCompare(a.indexed))
      .map((document): Plain => ({
        DocumentId: document.id,
        Title: document.title,
        Description: document.description,
        Code: document.type.code,
        Term: document.type.display,
        ContentType: document.contentType,
        SizeBytes: String(document.sizeBytes),
        Date: document.date,
        Filed: document.indexed,
        Author: document.author.name,
      }));
    await audit(engine, current, 'read-documents', patient, 'allowed', request.traceId);
    const found: Plain = documents.length > 0 ? { Document: documents } : {};
    return { Documents: found };
  },
};

/**
 * Files a document into the record through the shared write path, authored by the practice; its
 * bytes are kept so GP Connect Binary returns what the partner sent.
 */
const addDocument: Method<typeof emis.AddDocument> = {
  schema: emis.AddDocument,
  write: true,
  async run(engine, current, body, request) {
    const patient = await patientOf(engine, current, body, 'add-document', request.traceId);
    const document = body.Document;
    const content = Buffer.from(document.Content, 'base64');
    const { documentId } = await engine.recordWriter.writeDocument(patient, {
      partner: current.partner.name,
      surface: 'emis',
      recorderIndex: current.user.index,
      ...(document.Date !== undefined ? { date: document.Date } : {}),
      type: { code: document.Code, display: document.Term },
      title: document.Title,
      description: document.Description ?? document.Title,
      contentType: document.ContentType,
      sizeBytes: content.length,
      author: { ods: current.practice.ods, name: current.practice.name },
    });
    await storeDocumentContent(engine.store.settings, documentId, content);
    await audit(engine, current, 'add-document', patient, 'allowed', request.traceId);
    return { DocumentId: documentId, SizeBytes: String(content.length) };
  },
};

export const emisMethods: Record<EmisFunction, Method<z.ZodType>> = {
  GetMatchedPatient: getMatchedPatient as Method<z.ZodType>,
  GetMedicalRecord: getMedicalRecord as Method<z.ZodType>,
  FileRecord: fileRecord as Method<z.ZodType>,
  GetFileStatus: getFileStatus as Method<z.ZodType>,
  CreateTask: createTask as Method<z.ZodType>,
  GetWorkflowItems: getWorkflowItems as Method<z.ZodType>,
  GetWorkflowItem: getWorkflowItem as Method<z.ZodType>,
  GetAppointmentSessions: getAppointmentSessions as Method<z.ZodType>,
  BookAppointment: bookAppointment as Method<z.ZodType>,
  GetDocuments: getDocuments as Method<z.ZodType>,
  AddDocument: addDocument as Method<z.ZodType>,
};

/** A call is authorised by an OAuth bearer token (with OrganisationId) or by a legacy SessionId. */
async function callerSession(
  engine: Engine,
  request: SimRequest,
  body: { SessionId?: string; OrganisationId?: string },
): Promise<EmisSession> {
  if (request.headers['authorization'] !== undefined) {
    return tokenSession(engine, bearerToken(request), body.OrganisationId);
  }
  if (body.SessionId === undefined) {
    throw emisError(
      'unauthorised',
      'SessionInvalid',
      'Send a SessionId from InitializeWithID, or an "Authorization: Bearer" token from /oauth/token with OrganisationId.',
      'SessionId',
    );
  }
  return session(engine, body.SessionId);
}

/** Runs one method call: body, session and activation, idempotent replay for writes. */
export async function callMethod(engine: Engine, name: EmisFunction, request: SimRequest): Promise<MethodResult> {
  const method = emisMethods[name];
  const body = readBody(request, name, method.schema) as {
    SessionId?: string;
    OrganisationId?: string;
    IdempotencyKey?: string;
  };
  const current = await callerSession(engine, request, body);
  request.annotations.clientId = current.partner.name;
  request.annotations.ods = current.practice.ods;
  // Checked on every call: a practice may deactivate a partner or a feature mid-session.
  await assertActivated(engine, current.practice, current.partner.name, name);
  assertUserMayCall(current.user, name);
  const idempotencyKey = body.IdempotencyKey ?? request.headers['idempotency-key'];
  const replayKey = idempotencyKey ? `emis:${current.partner.name}:${name}:${idempotencyKey}` : undefined;
  const run = () => method.run(engine, current, body, request);
  return method.write && replayKey ? engine.idempotentReplies.once(replayKey, run) : run();
}
