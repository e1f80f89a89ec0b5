import { z } from 'zod';

/**
 * SystmOne Client Integration documents over their parsed form (see the XML reader: a plain leaf is
 * its text, attributes are "@Name", repeated elements arrays). The envelope and the GetPatientRecord
 * shape follow the public example (reference/domain.md §2.2); everything else is approximate.
 */
const many = <T extends z.ZodType>(item: T) =>
  z.union([z.array(item), item]).transform((value) => (Array.isArray(value) ? value : [value]) as z.infer<T>[]);

export const ClientIntegrationRequest = z.object({
  RequestUID: z.string().min(1),
  Function: z.string().min(1),
  APIKey: z.string().min(1),
  DeviceID: z.string().min(1),
  DeviceVersion: z.string(),
  FunctionVersion: z.string().min(1),
  FunctionParameters: z.union([z.string(), z.record(z.string(), z.unknown())]),
});

const Envelope = {
  DeviceID: z.string(),
  RequestUID: z.string(),
  Function: z.string(),
  FunctionVersion: z.string(),
  ResponseUID: z.string().min(1),
};

export const ClientIntegrationError = z.object({
  ...Envelope,
  Error: z.object({ Code: z.string(), Message: z.string(), Field: z.string().optional() }),
});

export const Code = z.object({ '@Code': z.string(), '@Scheme': z.string(), '@Term': z.string() });

export const ClinicalEvent = z.object({
  '@DateTime': z.string(),
  '@DoneAt': z.string(),
  '@DoneBy': z.string(),
  '@EventUID': z.string(),
  '@UserName': z.string(),
  Narrative: z.object({ Line: many(z.string()) }).optional(),
  ClinicalCode: many(
    z.object({
      Code,
      ProblemUID: z.string().optional(),
      ProblemSeverity: z.enum(['Major', 'Minor']).optional(),
      ProblemStatus: z.string().optional(),
    }),
  ).optional(),
  Medication: many(
    z.object({
      MedicationType: z.string(),
      Drug: z.object({ '@Name': z.string(), '@ProductID': z.string(), '@Scheme': z.string() }),
      Dose: z.string(),
      Quantity: z.string(),
      StartDate: z.string(),
    }),
  ).optional(),
  Attachment: many(z.object({ FileName: z.string(), FileSize: z.string(), DocumentUID: z.string() })).optional(),
});

export const Demographics = z.object({
  FirstName: z.string(),
  Surname: z.string(),
  DateOfBirth: z.string(),
  Sex: z.enum(['M', 'F', 'I', 'U']),
  Address: z.object({ Postcode: z.string() }),
  UsualGPUserName: z.string(),
});

export const GetPatientRecordResponse = z.object({
  ...Envelope,
  Response: z.object({
    Identity: z.object({ NHSNumber: z.string().regex(/^\d{10}$/) }),
    Demographics,
    Clinical: z.union([z.literal(''), z.object({ Event: many(ClinicalEvent) })]).optional(),
    RecordState: z.enum(['Open', 'Closed']),
  }),
});

/**
 * A function's Response element as a reader that keeps XML's shape sees it: an element that occurs
 * once is a value, not yet a one-item array (the schema's input side).
 */
type ResultOf<Reply extends z.ZodType> = z.input<Reply> extends { Response: infer Result } ? Result : never;

export type GetPatientRecordResult = ResultOf<typeof GetPatientRecordResponse>;

/** A patient as GetCurrentSelection and PatientSearch list one: Identity and Demographics. */
export const PatientSummary = z.object({
  Identity: z.object({ NHSNumber: z.string().regex(/^\d{10}$/) }),
  Demographics,
});

/** The desktop's user, and the patient open on it or an empty NoPatientSelected (gpsim's shape). */
export const GetCurrentSelectionResponse = z.object({
  ...Envelope,
  Response: z.union([
    z.object({ User: z.object({ UserName: z.string(), Role: z.string() }), Patient: PatientSummary }),
    z.object({ User: z.object({ UserName: z.string(), Role: z.string() }), NoPatientSelected: z.literal('') }),
  ]),
});
export type GetCurrentSelectionResult = ResultOf<typeof GetCurrentSelectionResponse>;

/** Matching patients at the practice; an empty Patients element when none match. */
export const PatientSearchResponse = z.object({
  ...Envelope,
  Response: z.object({ Patients: z.union([z.literal(''), z.object({ Patient: many(PatientSummary) })]) }),
});
export type PatientSearchResult = ResultOf<typeof PatientSearchResponse>;

/** The written Event's UID and one EntryUID per ClinicalCode written (gpsim's shape). */
export const UpdatePatientRecordResponse = z.object({
  ...Envelope,
  Response: z.object({
    Identity: z.object({ NHSNumber: z.string().regex(/^\d{10}$/) }),
    EventUID: z.string().min(1),
    EntryUID: many(z.string().min(1)).optional(),
  }),
});
export type UpdatePatientRecordResult = ResultOf<typeof UpdatePatientRecordResponse>;

/** The screen the desktop was asked to open. */
export const LaunchFunctionalityResponse = z.object({ ...Envelope, Response: z.object({ Launched: z.string() }) });
export type LaunchFunctionalityResult = ResultOf<typeof LaunchFunctionalityResponse>;

/** The created Task's UID (read it back with GetTask). */
export const CreateTaskResponse = z.object({ ...Envelope, Response: z.object({ TaskUID: z.string().min(1) }) });
export type CreateTaskResult = ResultOf<typeof CreateTaskResponse>;

/** One free slot (gpsim's attribute names). */
export const Slot = z.object({
  '@SlotUID': z.string(),
  '@Start': z.string(),
  '@End': z.string(),
  '@Clinician': z.string(),
  '@SessionName': z.string(),
  '@ServiceType': z.string(),
  '@DeliveryChannel': z.string(),
});

/** The practice's free slots in DateFrom..DateTo; an empty Slots element when none are free. */
export const GetAppointmentSlotsResponse = z.object({
  ...Envelope,
  Response: z.object({ Slots: z.union([z.literal(''), z.object({ Slot: many(Slot) })]) }),
});
export type GetAppointmentSlotsResult = ResultOf<typeof GetAppointmentSlotsResponse>;

/** The booked patient and the Appointment made from the slot. */
export const BookAppointmentResponse = z.object({
  ...Envelope,
  Response: z.object({
    Identity: z.object({ NHSNumber: z.string().regex(/^\d{10}$/) }),
    Appointment: z.object({
      '@AppointmentUID': z.string(),
      '@SlotUID': z.string(),
      '@Start': z.string(),
      '@End': z.string(),
    }),
  }),
});
export type BookAppointmentResult = ResultOf<typeof BookAppointmentResponse>;

/** One Task as SystmOne shows it (approximate: task types, statuses and groups are gpsim's names). */
export const Task = z.object({
  '@TaskUID': z.string(),
  '@TaskType': z.string(),
  '@Urgency': z.enum(['Urgent', 'Normal']),
  '@Status': z.enum(['Outstanding', 'Started', 'Completed', 'Rejected', 'Cancelled']),
  '@Created': z.string(),
  '@Updated': z.string(),
  '@Version': z.string(),
  Subject: z.string(),
  AssignedTo: z.object({ '@Kind': z.enum(['User', 'Group', 'Role']), '#text': z.string() }),
  Identity: z.object({ NhsNumber: z.string().regex(/^\d{10}$/) }).optional(),
  LinkedDocument: z.string().optional(),
  DueDate: z.string().optional(),
  Source: z.object({ '@Sender': z.string(), '@Channel': z.string() }),
  Reason: z.string().optional(),
  Notes: z
    .union([
      z.literal(''),
      z.object({ Note: many(z.object({ '@DateTime': z.string(), '@UserName': z.string(), '#text': z.string() })) }),
    ])
    .optional(),
});

export const GetTasksResponse = z.object({
  ...Envelope,
  Response: z.object({ Tasks: z.union([z.literal(''), z.object({ Task: many(Task) })]) }),
});
export type GetTasksResult = ResultOf<typeof GetTasksResponse>;

export const GetTaskResponse = z.object({ ...Envelope, Response: z.object({ Task }) });
export type GetTaskResult = ResultOf<typeof GetTaskResponse>;

/** Each Client Integration function's reply schema, by function name. */
export const ClientIntegrationReplies = {
  GetCurrentSelection: GetCurrentSelectionResponse,
  PatientSearch: PatientSearchResponse,
  GetPatientRecord: GetPatientRecordResponse,
  UpdatePatientRecord: UpdatePatientRecordResponse,
  LaunchFunctionality: LaunchFunctionalityResponse,
  CreateTask: CreateTaskResponse,
  GetAppointmentSlots: GetAppointmentSlotsResponse,
  BookAppointment: BookAppointmentResponse,
  GetTasks: GetTasksResponse,
  GetTask: GetTaskResponse,
} as const;
