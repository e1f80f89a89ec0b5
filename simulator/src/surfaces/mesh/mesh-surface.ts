import type { Engine } from '../../engine';
import type { Surface } from '../../transport/types';
import { renderMeshError } from './mesh-errors';
import {
  MESH_ROOT,
  acknowledge,
  download,
  endpointLookup,
  handshake,
  inbox,
  send,
  tracking,
  uploadChunk,
} from './mesh-handlers';

/** MESH allows at most 100 MB in one request (MESH API spec, Outbox workflow). */
const MAX_REQUEST_BYTES = 100 * 1024 * 1024;

/** The MESH REST API at /mesh/messageexchange/{mailbox}/... over the simulated mailboxes. */
export function createMeshSurface(engine: Engine): Surface {
  const root = `${MESH_ROOT}/:mailbox`;
  return {
    name: 'mesh',
    prefixes: ['/mesh'],
    routes: [
      { method: 'POST', path: root, handler: (request) => handshake(engine, request) },
      {
        method: 'GET',
        path: `${MESH_ROOT}/endpointlookup/:ods/:workflowId`,
        handler: (request) => endpointLookup(engine, request),
      },
      { method: 'GET', path: `${root}/inbox`, handler: (request) => inbox(engine, request) },
      { method: ['GET', 'HEAD'], path: `${root}/inbox/:messageId`, handler: (request) => download(engine, request) },
      {
        method: ['GET', 'HEAD'],
        path: `${root}/inbox/:messageId/:chunk`,
        handler: (request) => download(engine, request),
      },
      {
        method: 'PUT',
        path: `${root}/inbox/:messageId/status/acknowledged`,
        handler: (request) => acknowledge(engine, request),
      },
      { method: 'GET', path: `${root}/outbox/tracking`, handler: (request) => tracking(engine, request) },
      {
        method: 'POST',
        path: `${root}/outbox`,
        handler: (request) => send(engine, request),
        streamBody: true,
        maxBodyBytes: MAX_REQUEST_BYTES,
      },
      {
        method: 'POST',
        path: `${root}/outbox/:messageId/:chunk`,
        handler: (request) => uploadChunk(engine, request),
        streamBody: true,
        maxBodyBytes: MAX_REQUEST_BYTES,
      },
    ],
    renderError: renderMeshError,
    maxBodyBytes: 64 * 1024,
  };
}
