import type { mesh } from '@gpsim/contracts';

/**
 * MESH API v2 wire shapes (the client sends `Accept: application/vnd.mesh.v2+json`, so replies are
 * snake_case), derived from the gpsim contracts. Type-only: the built client loads no schema.
 */
export type SendResult = Extract<mesh.SendResponse, { message_id: string }>;
export type InboxPage = Extract<mesh.InboxResponse, { approx_inbox_count: number }>;
export type AcknowledgeResult = Extract<mesh.AcknowledgeResponse, { message_id: string }>;
export type TrackingResult = Extract<mesh.TrackingResponse, { message_id: string }>;
