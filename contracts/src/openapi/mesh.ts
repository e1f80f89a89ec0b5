import { z } from 'zod';
import * as mesh from '../mesh/mesh';
import type { OperationContract, ResponseContract, SurfaceContract } from './operation';
import { described, json } from './response';

const MESH = 'MESH API (digital.nhs.uk/developer/api-catalogue/message-exchange-for-social-care-and-health-api)';
const meshRoot = '/mesh/messageexchange/{mailbox}';
const meshHeaders = z.looseObject({
  authorization: z
    .string()
    .startsWith('NHSMESH ')
    .describe('NHSMESH {mailbox}:{nonce}:{count}:{timestamp}:{HMAC-SHA256}'),
});
const meshErrors = json(mesh.MeshError, 'Any error, v1 or v2 shape');
const meshOp = (
  method: OperationContract['method'],
  path: string,
  operationId: string,
  summary: string,
  responses: Record<string, ResponseContract>,
  extra: Partial<OperationContract> = {},
): OperationContract => ({
  method,
  path: `${meshRoot}${path}`,
  operationId,
  summary,
  citation: `${MESH}: ${summary.toLowerCase()}`,
  tags: ['mesh'],
  headers: meshHeaders,
  responses: { ...responses, default: meshErrors },
  ...extra,
});

export const meshContract: SurfaceContract = {
  surface: 'mesh',
  title: 'gpsim MESH API',
  description:
    'MESH mailboxes of the estate: handshake, send (chunked), inbox, download, acknowledge, tracking. v1 and v2 media types.',
  operations: [
    meshOp('post', '', 'handshake', 'Handshake (validate mailbox)', { 200: json(mesh.HandshakeResponse) }),
    meshOp('get', '/inbox', 'inbox', 'Check an inbox', { 200: json(mesh.InboxResponse) }),
    meshOp('get', '/inbox/{messageId}', 'download', 'Download a message', {
      200: described('Message content (first chunk)'),
      206: described('First chunk; more remain'),
    }),
    meshOp('get', '/inbox/{messageId}/{chunk}', 'downloadChunk', 'Download a chunk', {
      200: described('Last chunk'),
      206: described('A chunk; more remain'),
    }),
    meshOp('put', '/inbox/{messageId}/status/acknowledged', 'acknowledge', 'Acknowledge a message', {
      200: json(mesh.AcknowledgeResponse),
    }),
    meshOp(
      'get',
      '/outbox/tracking',
      'tracking',
      'Track an outbox message',
      { 200: json(mesh.TrackingResponse) },
      { query: z.object({ messageID: z.string().max(100) }) },
    ),
    meshOp(
      'post',
      '/outbox',
      'send',
      'Send a message',
      { 202: json(mesh.SendResponse) },
      { headers: meshHeaders.extend(mesh.SendHeaders.shape) },
    ),
    meshOp('post', '/outbox/{messageId}/{chunk}', 'sendChunk', 'Send a further chunk', {
      202: json(mesh.SendResponse),
    }),
  ],
};
