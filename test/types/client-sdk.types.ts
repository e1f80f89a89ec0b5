/**
 * Type tests for @gpsim/client, checked by `npm run typecheck` (tsc): every `@ts-expect-error` line
 * must fail to compile, so a signature that loosens fails the build. Nothing here runs.
 */
import type {
  GpsimApiError,
  StructuredRecordQuery,
  SystmOneClient,
  Versioned,
  Appointment,
  Patient,
  InboxPage,
} from '@gpsim/client';
import type { gpconnect, mesh } from '@gpsim/contracts';
import { migrateRecordParameters, structuredRecordParameters } from '@gpsim/client';

const nhsNumber = '9990000018';

// A broad query may filter every clinical area (GPC accessrecord_structured_development_retrieve_patient_record.md).
structuredRecordParameters({
  nhsNumber,
  allergies: { includeResolved: false },
  medication: { includeIssues: true, fromDate: '2024-01-01' },
  immunisations: { includeNotGiven: true, includeStatus: true },
  uncategorised: { period: { start: '2024-01-01' } },
  referrals: { period: { end: '2024-06-30' } },
  diary: { onOrBefore: '2025-01-01' },
});

// Consultations with a period, or with a most-recent count, and unfiltered areas alongside.
structuredRecordParameters({
  nhsNumber,
  consultations: { period: { start: '2024-01-01' } },
  allergies: { includeResolved: true },
});
structuredRecordParameters({ nhsNumber, consultations: { mostRecent: 3 }, medication: { includeIssues: false } });
structuredRecordParameters({
  nhsNumber,
  problems: { status: 'active' },
  investigations: { period: { start: '2023-01-01' } },
});

// @ts-expect-error consultationSearchPeriod and includeNumberOfMostRecent cannot be sent together
structuredRecordParameters({ nhsNumber, consultations: { period: { start: '2024-01-01' }, mostRecent: 3 } });

// @ts-expect-error medicationSearchFromDate is banned with includeConsultations
structuredRecordParameters({ nhsNumber, consultations: {}, medication: { fromDate: '2024-01-01' } });

// @ts-expect-error uncategorisedDataSearchPeriod is banned with includeProblems
structuredRecordParameters({ nhsNumber, problems: {}, uncategorised: { period: { start: '2024-01-01' } } });

// @ts-expect-error filterStatus is banned with includeConsultations
structuredRecordParameters({ nhsNumber, consultations: {}, problems: { status: 'active' } });

// @ts-expect-error includeNotGiven is banned with includeProblems
structuredRecordParameters({ nhsNumber, problems: {}, immunisations: { includeNotGiven: true } });

// @ts-expect-error diaryEntriesSearchDate is banned with includeConsultations
structuredRecordParameters({ nhsNumber, consultations: { mostRecent: 1 }, diary: { onOrBefore: '2025-01-01' } });

// @ts-expect-error a period needs a start or an end
structuredRecordParameters({ nhsNumber, referrals: { period: {} } });

// @ts-expect-error the patient's NHS number is mandatory
const withoutPatient: StructuredRecordQuery = { allergies: { includeResolved: true } };
void withoutPatient;

// @ts-expect-error filterStatus is active or inactive
structuredRecordParameters({ nhsNumber, problems: { status: 'resolved' } });

// SystmOne functions take their own typed parameters.
declare const systmOne: SystmOneClient;
void systmOne.call('BookAppointment', { Identity: { NhsNumber: nhsNumber }, SlotUID: 'slot-1' });
// @ts-expect-error BookAppointment needs the SlotUID
void systmOne.call('BookAppointment', { Identity: { NhsNumber: nhsNumber } });
// @ts-expect-error no such Client Integration function
void systmOne.call('DeletePatient', {});

// GetPatientRecord's result is typed from the contracts' GetPatientRecordResponse.
export async function readSystmOneRecord(): Promise<string> {
  const record = await systmOne.getPatientRecord(nhsNumber);
  const state: 'Open' | 'Closed' = record.result.RecordState;
  // @ts-expect-error the contract spells it NHSNumber
  void record.result.Identity.NhsNumber;
  // @ts-expect-error RecordState is Open or Closed
  const archived: 'Archived' = record.result.RecordState;
  // @ts-expect-error the NHS number is a string of ten digits, not a number
  void systmOne.getPatientRecord(9990000018);
  void [state, archived];
  return record.result.Identity.NHSNumber;
}

// Every other function's result is typed from its contract too.
export async function systmOneResults(): Promise<string> {
  const created = await systmOne.createTask({ Title: 'Call back' });
  // @ts-expect-error CreateTask answers a TaskUID, not a TaskId
  void created.result.TaskId;
  const task = await systmOne.getTask(created.result.TaskUID);
  // @ts-expect-error a Task's Status is one of SystmOne's task statuses
  const status: 'Open' = task.result.Task['@Status'];
  // @ts-expect-error GetTasks filters on a SystmOne task status
  void systmOne.getTasks({ Status: 'Open' });
  const slots = await systmOne.getAppointmentSlots({ DateFrom: '2026-01-05', DateTo: '2026-01-09' });
  // @ts-expect-error no free slots is an empty Slots element, so narrow before reading Slot
  void slots.result.Slots.Slot;
  void status;
  return task.result.Task.Subject;
}

// Errors are discriminated by surface and expose what a caller branches on.
declare const error: GpsimApiError;
const surface: 'control' | 'gpconnect' | 'fhir-r4' | 'pds' | 'mesh' | 'systmone' | 'emis' | 'oauth' | 'unknown' =
  error.surface;
const retryable: boolean = error.retryable;
void [surface, retryable];

// Amending needs the versioned appointment (its ETag), not a bare resource.
declare const appointment: Appointment;
const versioned: Versioned<Appointment> = { resource: appointment, etag: 'W/"1"' };
void versioned;

// The wire types are the contracts' own: a contract Patient is a client Patient and back.
declare const contractPatient: gpconnect.Patient;
const clientPatient: Patient = contractPatient;
const backToContract: gpconnect.Patient = clientPatient;
void backToContract;
// The STU3 value sets come through: Appointment.status is the appointment status code.
// @ts-expect-error "done" is not an STU3 appointment status
const badStatus: Appointment['status'] = 'done';
void badStatus;
// The inbox page is the MESH v2 member of the contract's inbox response.
declare const page: InboxPage;
const contractPage: mesh.InboxResponse = page;
const inboxCount: number = page.approx_inbox_count;
void [contractPage, inboxCount];

// Migration: includeFullRecord always says whether sensitive items are wanted (GPC migrate patient record).
migrateRecordParameters({ nhsNumber, fullRecord: { includeSensitive: true } });
// @ts-expect-error includeSensitiveInformation is a mandatory part of includeFullRecord
migrateRecordParameters({ nhsNumber, fullRecord: {} });
