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
 * GetPatientRecord's Response element as a reader that keeps XML's shape sees it: an element that
 * occurs once is a value, not yet a one-item array (the schema's input side).
 */
export type GetPatientRecordResult = z.input<typeof GetPatientRecordResponse>['Response'];

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

export const GetTaskResponse = z.object({ ...Envelope, Response: z.object({ Task }) });
