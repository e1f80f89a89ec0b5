import { z } from 'zod';

/**
 * EMIS partner API requests (approximate, EMIS Open–style: the real schemas come with the pairing
 * pack). The XML form and the JSON form carry the same PascalCase fields; an XML element that
 * repeats becomes an array, a single one a value, so lists accept either.
 */
const text = (max: number) => z.string().trim().min(1).max(max);
const listOf = <T extends z.ZodType>(item: T) =>
  z
    .union([z.array(item).max(200), item])
    .transform((value) => (Array.isArray(value) ? value : [value]) as z.infer<T>[]);

export const InitializeWithId = z.object({
  ClientId: text(100),
  ClientSecret: text(200),
  OrganisationId: text(10).describe('The practice ODS code (gpsim uses it where EMIS uses the CDB number).'),
  UserName: text(64).optional(),
});
export type InitializeWithId = z.infer<typeof InitializeWithId>;

/**
 * A call names its session (legacy InitializeWithID logon), or, when it carries an OAuth bearer
 * token from /oauth/token, the practice it is for (OrganisationId) instead.
 */
const Session = { SessionId: text(100).optional(), OrganisationId: text(10).optional() };
const PatientRef = {
  PatientId: text(64).optional(),
  NhsNumber: z
    .string()
    .regex(/^\d{10}$/)
    .optional(),
};

export const GetMatchedPatient = z.object({
  ...Session,
  NhsNumber: z
    .string()
    .regex(/^\d{10}$/)
    .optional(),
  Surname: text(100).optional(),
  DateOfBirth: z.iso.date().optional(),
  Sex: z.enum(['M', 'F', 'I', 'U']).optional(),
  Postcode: text(10).optional(),
});

export const GetMedicalRecord = z.object({ ...Session, ...PatientRef });

export const FileRecordEntry = z.object({
  Code: z.string().regex(/^\d{6,18}$/, 'a SNOMED CT concept id'),
  Term: text(500),
  Type: z.enum(['Problem', 'Value']),
  Significance: z.enum(['Major', 'Minor']).optional(),
  Value: z.coerce.number().optional(),
  Unit: z.string().max(30).optional(),
});

export const FileRecord = z.object({
  ...Session,
  ...PatientRef,
  IdempotencyKey: text(100).optional(),
  Consultation: z.object({
    Date: z.string().max(40).optional(),
    Type: z.enum(['Surgery', 'Telephone', 'HomeVisit', 'Video']).optional(),
    Narrative: z.object({ Line: listOf(z.string().max(2000)) }).optional(),
    Entries: z.object({ Entry: listOf(FileRecordEntry) }).optional(),
  }),
});

export const GetFileStatus = z.object({ ...Session, FileRecordId: text(64) });

export const CreateTask = z.object({
  ...Session,
  ...PatientRef,
  IdempotencyKey: text(100).optional(),
  Title: text(500),
  Urgent: z.enum(['true', 'false']).optional(),
  Group: text(100).optional(),
});

/** Workflow Manager items of the practice, optionally one folder, one status or one patient's. */
export const GetWorkflowItems = z.object({
  ...Session,
  ...PatientRef,
  Folder: z.enum(['Document Management', 'Tasks']).optional(),
  Status: z.enum(['Awaiting Action', 'In Progress', 'Filed', 'Completed', 'Rejected', 'Cancelled']).optional(),
});

export const GetWorkflowItem = z.object({ ...Session, ItemId: text(64) });

export const GetAppointmentSessions = z.object({
  ...Session,
  DateFrom: z.iso.date(),
  DateTo: z.iso.date(),
});

export const BookAppointment = z.object({
  ...Session,
  ...PatientRef,
  IdempotencyKey: text(100).optional(),
  SlotId: text(64),
  Reason: z.string().max(100).optional(),
});

export const GetDocuments = z.object({ ...Session, ...PatientRef });

/** Content is base64; the request body limit (1 MB) bounds it. */
export const AddDocument = z.object({
  ...Session,
  ...PatientRef,
  IdempotencyKey: text(100).optional(),
  Document: z.object({
    Title: text(200),
    Description: z.string().max(1000).optional(),
    Code: z.string().regex(/^\d{6,18}$/, 'a SNOMED CT concept id for the document type'),
    Term: text(500),
    ContentType: z.enum(['application/pdf', 'text/plain', 'image/jpeg', 'image/png', 'text/html']),
    Content: z.base64().min(1),
    Date: z.string().max(40).optional(),
  }),
});
