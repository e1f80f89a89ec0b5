import { z } from 'zod';
import { CodeableConcept, Identifier, Reference } from '../fhir/datatypes';

/** GPConnect-DocumentReference-1 (Access Document 1.2, search for documents). */
export const DocumentReference = z.looseObject({
  resourceType: z.literal('DocumentReference'),
  id: z.string(),
  masterIdentifier: Identifier.optional(),
  identifier: z.array(Identifier).optional(),
  status: z.enum(['current', 'superseded', 'entered-in-error']),
  type: CodeableConcept,
  subject: Reference,
  indexed: z.string(),
  content: z
    .array(
      z.looseObject({
        attachment: z.looseObject({
          contentType: z.string(),
          url: z.string().optional(),
          size: z.number().int().optional(),
          title: z.string().optional(),
        }),
      }),
    )
    .min(1),
});
export type DocumentReference = z.infer<typeof DocumentReference>;

/** A document as Binary (Access Document retrieve): base64 content with its MIME type. */
export const Binary = z.looseObject({
  resourceType: z.literal('Binary'),
  id: z.string(),
  contentType: z.string(),
  content: z.string(),
});
export type Binary = z.infer<typeof Binary>;
