import { z } from 'zod';

/**
 * EMIS partner API responses over their parsed form (XML read into PascalCase fields, or the JSON
 * variant). Approximate, EMIS Open–style. Every response says Outcome, then Result or Error, after
 * the legacy calling convention `(sessionID, ..., out error, out outcome)` (reference/domain.md §2.3).
 */
const one = <T extends z.ZodType>(item: T) =>
  z.union([z.array(item), item]).transform((value) => (Array.isArray(value) ? value : [value]) as z.infer<T>[]);

export const EmisError = z.object({
  Outcome: z.literal('Failure'),
  Error: z.object({ Code: z.string(), Description: z.string() }),
});

export const SessionResult = z.object({
  SessionId: z.string(),
  ExpiresAt: z.string(),
  OrganisationId: z.string(),
  UserName: z.string(),
});

export const MatchedPatient = z.object({
  PatientId: z.string(),
  NhsNumber: z.string().regex(/^\d{10}$/),
  Title: z.string().optional(),
  Forenames: z.string(),
  Surname: z.string(),
  DateOfBirth: z.string(),
  Sex: z.enum(['M', 'F', 'I', 'U']),
  Postcode: z.string().optional(),
});

const Coded = { Code: z.string(), Term: z.string() };

export const MedicalRecord = z.object({
  Registration: MatchedPatient.extend({ RegistrationDate: z.string(), UsualGp: z.string().optional() }),
  ProblemList: z
    .object({
      Problem: one(
        z.object({ Id: z.string(), ...Coded, Date: z.string(), Status: z.string(), Significance: z.string() }),
      ),
    })
    .optional(),
  MedicationList: z
    .object({
      Medication: one(
        z.object({
          Id: z.string(),
          ...Coded,
          Date: z.string(),
          Dosage: z.string(),
          Quantity: z.string(),
          Type: z.string(),
          Status: z.string(),
        }),
      ),
    })
    .optional(),
  AllergyList: z
    .object({ Allergy: one(z.object({ Id: z.string(), ...Coded, Date: z.string(), Status: z.string() })) })
    .optional(),
  ConsultationList: z
    .object({
      Consultation: one(
        z.object({
          Id: z.string(),
          Date: z.string(),
          Type: z.string(),
          Clinician: z.string(),
          Narrative: z.object({ Line: one(z.string()) }).optional(),
        }),
      ),
    })
    .optional(),
  ValueList: z
    .object({
      Value: one(
        z.object({
          Id: z.string(),
          ...Coded,
          Date: z.string(),
          Result: z.string().optional(),
          Unit: z.string().optional(),
        }),
      ),
    })
    .optional(),
});

export const MedicalRecordResult = z.object({ MedicalRecord });

export const FileStatus = z.object({
  FileRecordId: z.string(),
  FileStatus: z.enum(['Accepted', 'Filed']),
  ConsultationId: z.string().optional(),
  EntryIds: z.object({ Id: one(z.string()) }).optional(),
});

export const success = <T extends z.ZodType>(result: T) => z.object({ Outcome: z.literal('Success'), Result: result });

/** One Workflow Manager item (approximate: folder, category and statuses as EMIS Web shows them). */
export const WorkflowItem = z.object({
  ItemId: z.string(),
  Folder: z.enum(['Document Management', 'Tasks']),
  Category: z.string(),
  Subject: z.string(),
  Priority: z.enum(['Urgent', 'Normal']),
  Status: z.enum(['Awaiting Action', 'In Progress', 'Filed', 'Completed', 'Rejected', 'Cancelled']),
  AssignedTo: z.object({ Kind: z.enum(['User', 'Team', 'Role']), Name: z.string() }),
  NhsNumber: z
    .string()
    .regex(/^\d{10}$/)
    .optional(),
  LinkedDocument: z.string().optional(),
  DueDate: z.string().optional(),
  Sender: z.string(),
  Received: z.string(),
  Updated: z.string(),
  Version: z.string(),
  Reason: z.string().optional(),
  Comments: z.object({ Comment: one(z.object({ At: z.string(), By: z.string(), Text: z.string() })) }).optional(),
});

export const WorkflowItemsResult = z.object({
  // An empty list is an empty element in XML ('') and an empty object in JSON.
  WorkflowItems: z.union([z.literal(''), z.object({ Item: one(WorkflowItem).optional() })]),
});

export const WorkflowItemResult = z.object({ WorkflowItem: WorkflowItem });
