import { z } from 'zod';

/**
 * MESH API (digital.nhs.uk/developer/api-catalogue/message-exchange-for-social-care-and-health-api).
 * v1 answers camelCase; clients that send `Accept: application/vnd.mesh.v2+json` get snake_case.
 */
export const MESH_V2_MEDIA_TYPE = 'application/vnd.mesh.v2+json';

export const meshStatuses = ['accepted', 'acknowledged', 'undeliverable', 'error', 'expired'] as const;

export const HandshakeResponse = z.object({ mailboxId: z.string() });

export const SendResponse = z.union([
  z.object({ messageID: z.string(), blockID: z.number().int().optional() }),
  z.object({ message_id: z.string() }),
]);
export type SendResponse = z.infer<typeof SendResponse>;

export const InboxResponse = z.union([
  z.object({ messages: z.array(z.string()) }).loose(),
  z.looseObject({
    messages: z.array(z.string()),
    links: z.looseObject({ self: z.string(), next: z.string().optional() }),
    approx_inbox_count: z.number().int().nonnegative(),
  }),
]);
export type InboxResponse = z.infer<typeof InboxResponse>;

export const AcknowledgeResponse = z.union([z.object({ messageId: z.string() }), z.object({ message_id: z.string() })]);
export type AcknowledgeResponse = z.infer<typeof AcknowledgeResponse>;

export const TrackingResponse = z.union([
  z.looseObject({ messageId: z.string(), workflowId: z.string(), status: z.string(), recipient: z.string() }),
  z.looseObject({ message_id: z.string(), workflow_id: z.string(), status: z.string(), recipient: z.string() }),
]);
export type TrackingResponse = z.infer<typeof TrackingResponse>;

/** MESH errors: v1 `{errorEvent, errorCode, errorDescription}`, v2 `{internal_id, detail: [{event, code, msg}]}`. */
export const MeshError = z.union([
  z.object({ errorEvent: z.string(), errorCode: z.string(), errorDescription: z.string() }),
  z.object({
    internal_id: z.string(),
    detail: z.array(z.object({ event: z.string(), code: z.string(), msg: z.string() })).min(1),
  }),
]);

/** Headers of a send (MESH API, send message): who to and which workflow. */
export const SendHeaders = z.looseObject({
  'mex-from': z.string().min(1).max(20),
  'mex-to': z.string().min(1).max(20),
  'mex-workflowid': z.string().min(1).max(300),
  'mex-filename': z.string().max(300).optional(),
  'mex-localid': z.string().max(300).optional(),
  'mex-chunk-range': z
    .string()
    .regex(/^\d+:\d+$/)
    .optional(),
});
