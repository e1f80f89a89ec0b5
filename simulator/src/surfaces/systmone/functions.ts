import { SimError } from '../../domain/errors';
import { normaliseNhsNumber } from '../../domain/nhs-number';
import type { CodedWrite } from '../../domain/record-writes';
import { MAX_WRITTEN_ENTRIES } from '../../domain/record-writes';
import type { SystmOneFunction } from '../../domain/partners';
import type { Patient } from '../../domain/patient';
import { searchPracticeList } from '../../domain/practice-patient-search';
import { bookPracticeSlot, dayRange, freePracticeSlots } from '../shared/partner-appointments';
import { partnerTask, partnerTasks } from '../shared/partner-tasks';
import type { Task, TaskStatus } from '../../domain/tasks';
import { systmOneTaskView } from '../../domain/task-presentation';
import type { Engine } from '../../engine';
import type { FunctionContext } from './client-integration';
import { selectedNhsNumber } from './desktops';
import { clinicalXml, demographicsXml, identityXml, recordStateOf } from './record-mapper';
import { systmOneError } from './systmone-errors';
import type { XmlElement } from '../shared/xml';
import { child, childText, el } from '../shared/xml';

type FunctionHandler = (context: FunctionContext) => Promise<{ xml: string }[]>;

/** TPP throttles GetPatientRecord to once every 30 s per patient (reference/domain.md §2.2, §5.4). */
export const RECORD_THROTTLE_MS = 30_000;
const MAX_SEARCH_RESULTS = 50;
const lastRecordRead = new WeakMap<Engine, Map<string, number>>();

async function audit(
  context: FunctionContext,
  action: string,
  patient: Patient | undefined,
  outcome: 'allowed' | 'refused',
) {
  await context.engine.audit({
    surface: 'systmone',
    action,
    ...(patient ? { nhsNumber: patient.nhsNumber } : {}),
    clientId: context.partner.name,
    user: context.user.username,
    role: context.user.role,
    organisation: context.practice.ods,
    traceId: context.requestUid,
    outcome,
  });
}

/** The patient named in FunctionParameters/Identity, registered at this practice and not sensitive. */
async function identifiedPatient(context: FunctionContext, action: string): Promise<Patient> {
  const identity = child(context.parameters, 'Identity');
  const raw = childText(identity, 'NhsNumber') ?? childText(identity, 'NHSNumber');
  if (raw === undefined) {
    throw systmOneError(
      'invalid-parameter',
      'InvalidParameter',
      'Send FunctionParameters/Identity/NhsNumber.',
      'NhsNumber',
    );
  }
  return patientByNhsNumber(context, raw, action);
}

async function patientByNhsNumber(context: FunctionContext, raw: string, action: string): Promise<Patient> {
  const nhsNumber = normaliseNhsNumber(raw);
  if (nhsNumber === undefined) {
    throw systmOneError('invalid-nhs-number', 'InvalidParameter', `${raw} is not a valid NHS number.`, 'NhsNumber');
  }
  const found = context.engine.population.byNhsNumber(nhsNumber);
  const patient = found?.patient;
  if (!patient || patient.practiceIndex !== context.practice.index) {
    throw systmOneError(
      'patient-not-found',
      'PatientNotFound',
      `No patient with NHS number ${nhsNumber} is registered at ${context.practice.ods}; pick one from GET /__sim/fixtures.`,
      'NhsNumber',
    );
  }
  if (patient.sensitive) {
    await audit(context, action, patient, 'refused');
    throw systmOneError(
      'consent-withheld',
      'SensitiveRecord',
      'This record is marked sensitive and is not released to partner applications.',
    );
  }
  return patient;
}

function patientSummary(context: FunctionContext, patient: Patient): { xml: string } {
  return el('Patient', null, identityXml(patient), demographicsXml(patient, context.practice));
}

async function getCurrentSelection(context: FunctionContext) {
  const nhsNumber = await selectedNhsNumber(context.engine, context.practice, context.user);
  const user = el(
    'User',
    null,
    el('UserName', null, context.user.username),
    el('Role', null, context.user.jobRole.display),
  );
  if (nhsNumber === undefined) return [user, el('NoPatientSelected', null)];
  const patient = await patientByNhsNumber(context, nhsNumber, 'read-selection');
  await audit(context, 'read-selection', patient, 'allowed');
  return [user, patientSummary(context, patient)];
}

const sexes: Record<string, Patient['sex']> = { M: 'male', F: 'female', I: 'other', U: 'unknown' };

async function patientSearch(context: FunctionContext) {
  const nhsNumber = childText(context.parameters, 'NhsNumber') ?? childText(context.parameters, 'NHSNumber');
  if (nhsNumber !== undefined) {
    const patient = await patientByNhsNumber(context, nhsNumber, 'search-patient').catch((error: unknown) => {
      if (error instanceof SimError && error.code === 'patient-not-found') return undefined;
      throw error;
    });
    if (patient) await audit(context, 'search-patient', patient, 'allowed');
    return [el('Patients', null, ...(patient ? [patientSummary(context, patient)] : []))];
  }
  const criteria = {
    surname: childText(context.parameters, 'Surname'),
    dateOfBirth: childText(context.parameters, 'DateOfBirth'),
    postcode: childText(context.parameters, 'Postcode'),
    sex: childText(context.parameters, 'Sex')?.toUpperCase(),
  };
  const given = Object.values(criteria).filter((value) => value !== undefined).length;
  if (given < 2) {
    throw systmOneError(
      'invalid-parameter',
      'InvalidParameter',
      'PatientSearch needs an NhsNumber, or at least two of Surname, DateOfBirth, Postcode and Sex.',
    );
  }
  if (criteria.sex !== undefined && !(criteria.sex in sexes)) {
    throw systmOneError('invalid-parameter', 'InvalidParameter', 'Sex must be M, F, I or U.', 'Sex');
  }
  if (criteria.dateOfBirth !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(criteria.dateOfBirth)) {
    throw systmOneError('invalid-parameter', 'InvalidParameter', 'DateOfBirth must be YYYY-MM-DD.', 'DateOfBirth');
  }
  const matches = searchPracticeList(
    context.engine.population,
    context.practice,
    {
      ...(criteria.surname !== undefined ? { surname: criteria.surname } : {}),
      ...(criteria.dateOfBirth !== undefined ? { dateOfBirth: criteria.dateOfBirth } : {}),
      ...(criteria.postcode !== undefined ? { postcode: criteria.postcode } : {}),
      ...(criteria.sex !== undefined ? { sex: sexes[criteria.sex] as Patient['sex'] } : {}),
    },
    MAX_SEARCH_RESULTS,
  );
  for (const patient of matches) await audit(context, 'search-patient', patient, 'allowed');
  return [el('Patients', null, ...matches.map((patient) => patientSummary(context, patient)))];
}

async function getPatientRecord(context: FunctionContext) {
  const patient = await identifiedPatient(context, 'read-record');
  const demographicsOnly = childText(context.parameters, 'DemographicsOnly')?.toLowerCase() === 'true';
  if (!demographicsOnly) {
    let reads = lastRecordRead.get(context.engine);
    if (!reads) lastRecordRead.set(context.engine, (reads = new Map()));
    const key = `${context.deviceId}:${patient.nhsNumber}`;
    const now = context.engine.clock.now();
    const last = reads.get(key);
    if (last !== undefined && now >= last && now - last < RECORD_THROTTLE_MS) {
      const wait = Math.ceil((RECORD_THROTTLE_MS - (now - last)) / 1000);
      await audit(context, 'read-record', patient, 'refused');
      throw new SimError(
        'rate-limited',
        `GetPatientRecord is limited to once every 30 seconds per patient; retry in ${wait} s, or ask for DemographicsOnly.`,
        { detail: { systmone: 'Throttled', retryAfterS: wait } },
      );
    }
    reads.set(key, now);
  }
  await audit(context, 'read-record', patient, 'allowed');
  const content = [identityXml(patient), demographicsXml(patient, context.practice)];
  if (!demographicsOnly) {
    content.push(clinicalXml(await context.engine.records.record(patient), context.practice));
  }
  content.push(el('RecordState', null, recordStateOf(patient)));
  return content;
}

function codedWrite(element: XmlElement): CodedWrite {
  const code = child(element, 'Code');
  const scheme = code?.attributes['Scheme'] ?? 'SNOMED';
  if (scheme !== 'SNOMED') {
    throw systmOneError(
      'invalid-parameter',
      'InvalidParameter',
      `gpsim records SNOMED CT codes; send Scheme="SNOMED", not ${scheme}.`,
      'Scheme',
    );
  }
  const concept = { code: code?.attributes['Code'] ?? '', display: code?.attributes['Term'] ?? '' };
  const severity = childText(element, 'ProblemSeverity');
  if (severity !== undefined) {
    return { kind: 'problem', concept, significance: severity.toLowerCase() === 'major' ? 'major' : 'minor' };
  }
  const value = child(element, 'Value');
  const numeric = value ? Number(value.text.trim()) : Number.NaN;
  return Number.isFinite(numeric)
    ? { kind: 'observation', concept, value: numeric, unit: value?.attributes['Units'] ?? '' }
    : { kind: 'observation', concept };
}

/**
 * Write-back: one Event with narrative lines and clinical codes becomes a consultation with coded
 * entries (a ClinicalCode with ProblemSeverity becomes a problem, one without an observation),
 * visible afterwards on every surface.
 */
async function updatePatientRecord(context: FunctionContext) {
  const patient = await identifiedPatient(context, 'write-record');
  const event = child(context.parameters, 'Event');
  if (!event) {
    throw systmOneError(
      'invalid-parameter',
      'InvalidParameter',
      'Send FunctionParameters/Event with Narrative lines and/or ClinicalCode entries.',
      'Event',
    );
  }
  const codes = event.children.filter((element) => element.name === 'ClinicalCode');
  if (codes.length > MAX_WRITTEN_ENTRIES) {
    throw systmOneError(
      'invalid-parameter',
      'InvalidParameter',
      `At most ${MAX_WRITTEN_ENTRIES} ClinicalCode entries per Event.`,
      'ClinicalCode',
    );
  }
  const narrative = (child(event, 'Narrative')?.children ?? [])
    .filter((line) => line.name === 'Line')
    .map((line) => line.text.trim());
  const date = event.attributes['DateTime'];
  const ids = await context.engine.recordWriter.writeConsultation(patient, {
    partner: context.partner.name,
    surface: 'systmone',
    recorderIndex: context.user.index,
    recorderRole: context.user.role,
    ...(date !== undefined ? { date } : {}),
    type: 'surgery',
    narrative,
    entries: codes.map(codedWrite),
  });
  await audit(context, 'write-record', patient, 'allowed');
  return [
    identityXml(patient),
    el('EventUID', null, ids.consultationId),
    ...ids.entryIds.map((id) => el('EntryUID', null, id)),
  ];
}

/** Third-party services hosted on HSCN that launched functionality reaches (Internet SystmOne guide). */
const HSCN_SERVICES = ['ICE', 'OptimiseRx'] as const;

async function launchFunctionality(context: FunctionContext) {
  const screen = childText(context.parameters, 'Functionality');
  if (screen === undefined) {
    throw systmOneError(
      'invalid-parameter',
      'InvalidParameter',
      'Send FunctionParameters/Functionality naming the screen to open.',
      'Functionality',
    );
  }
  const service = HSCN_SERVICES.find((name) => screen.toLowerCase().includes(name.toLowerCase()));
  if (service !== undefined && context.engine.faults.isHscnUnreachable(context.practice.ods, context.practice.system)) {
    await audit(context, `launch:${screen}`, undefined, 'refused');
    throw systmOneError(
      'unavailable',
      'Unavailable',
      `${service} is unreachable from Internet SystmOne: it is hosted on the private HSCN network (Internet SystmOne guide, ` +
        '"Local Pathology Systems" and "OptimiseRx"). The service must be reconfigured to be Internet facing.',
      'Functionality',
    );
  }
  context.engine.logger.info(
    { ods: context.practice.ods, user: context.user.username, screen, partner: context.partner.name },
    'SystmOne desktop asked to open a screen',
  );
  await audit(context, `launch:${screen}`, undefined, 'allowed');
  return [el('Launched', null, screen)];
}

async function createTask(context: FunctionContext) {
  const title = childText(context.parameters, 'Title') ?? childText(context.parameters, 'Description');
  if (title === undefined) {
    throw systmOneError(
      'invalid-parameter',
      'InvalidParameter',
      'Send FunctionParameters/Title for the task.',
      'Title',
    );
  }
  const nhsRaw = childText(child(context.parameters, 'Identity'), 'NhsNumber');
  const patient = nhsRaw === undefined ? undefined : await patientByNhsNumber(context, nhsRaw, 'create-task');
  const urgent = childText(context.parameters, 'Urgent')?.toLowerCase() === 'true';
  const { task } = await context.engine.tasks.create({
    ods: context.practice.ods,
    type: childText(context.parameters, 'TaskType') ?? 'partner-task',
    title,
    urgency: urgent ? 'urgent' : 'routine',
    ...(patient ? { nhsNumber: patient.nhsNumber } : {}),
    assignee: { kind: 'team', id: childText(context.parameters, 'Group') ?? 'Doctors' },
    source: { surface: 'systmone', sender: context.partner.name, reference: context.requestUid },
  });
  await audit(context, 'create-task', patient, 'allowed');
  return [el('TaskUID', null, task.id)];
}

/** SystmOne task statuses a partner may filter on, and the lifecycle state each names. */
const taskStatusFilters: Record<string, TaskStatus> = {
  Outstanding: 'new',
  Started: 'in-progress',
  Completed: 'completed',
  Rejected: 'rejected',
  Cancelled: 'cancelled',
};

function taskXml(task: Task, detailed: boolean): { xml: string } {
  const view = systmOneTaskView(task);
  return el(
    'Task',
    {
      TaskUID: task.id,
      TaskType: view.taskType,
      Urgency: view.urgency,
      Status: view.status,
      Created: task.createdAt,
      Updated: task.updatedAt,
      Version: String(task.version),
    },
    el('Subject', null, task.title),
    el('AssignedTo', { Kind: view.assignedTo.kind }, view.assignedTo.name),
    task.nhsNumber !== undefined ? el('Identity', null, el('NhsNumber', null, task.nhsNumber)) : undefined,
    view.linkedDocument !== undefined ? el('LinkedDocument', null, view.linkedDocument) : undefined,
    task.dueDate !== undefined ? el('DueDate', null, task.dueDate) : undefined,
    el('Source', { Sender: task.source.sender, Channel: task.source.surface }),
    detailed && task.reason !== undefined ? el('Reason', null, task.reason) : undefined,
    detailed
      ? el(
          'Notes',
          null,
          ...task.comments.map((comment) => el('Note', { DateTime: comment.at, UserName: comment.by }, comment.text)),
        )
      : undefined,
  );
}

/** The practice's Tasks, optionally only one Status or one patient's (Identity/NhsNumber). */
async function getTasks(context: FunctionContext) {
  const statusName = childText(context.parameters, 'Status');
  const status = statusName === undefined ? undefined : taskStatusFilters[statusName];
  if (statusName !== undefined && status === undefined) {
    throw systmOneError(
      'invalid-parameter',
      'InvalidParameter',
      `Status must be one of ${Object.keys(taskStatusFilters).join(', ')}.`,
      'Status',
    );
  }
  const nhsRaw = childText(child(context.parameters, 'Identity'), 'NhsNumber');
  const patient = nhsRaw === undefined ? undefined : await patientByNhsNumber(context, nhsRaw, 'read-tasks');
  const tasks = await partnerTasks(context.engine, context.practice, {
    ...(status !== undefined ? { status } : {}),
    ...(patient ? { nhsNumber: patient.nhsNumber } : {}),
  });
  await audit(context, 'read-tasks', patient, 'allowed');
  return [el('Tasks', null, ...tasks.map((task) => taskXml(task, false)))];
}

async function getTask(context: FunctionContext) {
  const id = childText(context.parameters, 'TaskUID');
  if (id === undefined) {
    throw systmOneError(
      'invalid-parameter',
      'InvalidParameter',
      'Send FunctionParameters/TaskUID from GetTasks.',
      'TaskUID',
    );
  }
  const task = await partnerTask(context.engine, context.practice, id);
  const patient =
    task.nhsNumber === undefined ? undefined : context.engine.population.byNhsNumber(task.nhsNumber)?.patient;
  await audit(context, 'read-task', patient, 'allowed');
  return [taskXml(task, true)];
}

/** The practice's free future slots over at most two weeks (DateFrom..DateTo), from the diary GP Connect shares. */
async function getAppointmentSlots(context: FunctionContext) {
  const range = dayRange(childText(context.parameters, 'DateFrom'), childText(context.parameters, 'DateTo'));
  const slots = await freePracticeSlots(context.engine, context.practice, range);
  await audit(context, 'read-slots', undefined, 'allowed');
  return [
    el(
      'Slots',
      null,
      ...slots.map((slot) =>
        el('Slot', {
          SlotUID: slot.id,
          Start: slot.start,
          End: slot.end,
          Clinician: `${slot.clinician.given} ${slot.clinician.family}`,
          SessionName: slot.session,
          ServiceType: slot.serviceType,
          DeliveryChannel: slot.deliveryChannel,
        }),
      ),
    ),
  ];
}

/** Books one free slot for the identified patient; a slot taken through any face is SlotAlreadyBooked. */
async function bookAppointment(context: FunctionContext) {
  const patient = await identifiedPatient(context, 'book-appointment');
  const slotId = childText(context.parameters, 'SlotUID');
  if (slotId === undefined) {
    throw systmOneError(
      'invalid-parameter',
      'InvalidParameter',
      'Send FunctionParameters/SlotUID from GetAppointmentSlots.',
      'SlotUID',
    );
  }
  const booking = await bookPracticeSlot(
    context.engine,
    context.practice,
    slotId,
    patient,
    childText(context.parameters, 'Reason'),
    { systmone: 'SlotAlreadyBooked' },
  );
  await audit(context, 'book-appointment', patient, 'allowed');
  return [
    identityXml(patient),
    el('Appointment', { AppointmentUID: booking.id, SlotUID: booking.slotId, Start: booking.start, End: booking.end }),
  ];
}

export const systmOneFunctionHandlers: Record<SystmOneFunction, FunctionHandler> = {
  GetCurrentSelection: getCurrentSelection,
  PatientSearch: patientSearch,
  GetPatientRecord: getPatientRecord,
  UpdatePatientRecord: updatePatientRecord,
  LaunchFunctionality: launchFunctionality,
  CreateTask: createTask,
  GetTasks: getTasks,
  GetTask: getTask,
  GetAppointmentSlots: getAppointmentSlots,
  BookAppointment: bookAppointment,
};
