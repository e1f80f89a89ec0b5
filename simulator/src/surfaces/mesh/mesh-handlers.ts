import { SimError } from '../../domain/errors';
import type { Mailbox } from '../../domain/mesh/mailbox-directory';
import type { MeshMessage } from '../../domain/mesh/mesh-message';
import type { Engine } from '../../engine';
import { jsonResponse } from '../../transport/json';
import type { SimRequest, SimResponse } from '../../transport/types';
import { readSendHeaders } from './send-headers';
import { apiVersion, V2_MEDIA_TYPE } from './mesh-version';

export const MESH_ROOT = '/mesh/messageexchange';
const MAX_INBOX_RESULTS = 500;
const HANDSHAKE_HEADERS = ['mex-clientversion', 'mex-osname', 'mex-osversion'] as const;

/** Authenticates the caller and tells the journal who it is. */
async function caller(engine: Engine, request: SimRequest, interaction: string): Promise<Mailbox> {
  request.annotations.interaction = interaction;
  const mailbox = await engine.mesh.authenticate(request.params.mailbox ?? '', request.headers.authorization);
  request.annotations.clientId = mailbox.id;
  if (mailbox.ods) request.annotations.ods = mailbox.ods;
  return mailbox;
}

function versioned(request: SimRequest, status: number, v1: unknown, v2: unknown): SimResponse {
  if (apiVersion(request) === 2) {
    return v2 === undefined
      ? { status, headers: { 'Content-Type': V2_MEDIA_TYPE, 'Cache-Control': 'no-store' } }
      : jsonResponse(status, v2, { 'Content-Type': V2_MEDIA_TYPE });
  }
  return jsonResponse(status, v1);
}

/** POST /messageexchange/{mailbox}: handshake, with the client's version and OS headers required. */
export async function handshake(engine: Engine, request: SimRequest): Promise<SimResponse> {
  const mailbox = await caller(engine, request, 'mesh.handshake');
  const missing = HANDSHAKE_HEADERS.filter((name) => !request.headers[name]?.trim());
  if (missing.length > 0) {
    throw new SimError('invalid-request', `Handshake needs the ${missing.join(', ')} header(s).`, {
      field: missing[0] as string,
    });
  }
  return versioned(request, 200, { mailboxId: mailbox.id }, undefined);
}

/**
 * Streaming routes must read or discard the request body whatever happens, so a refused upload
 * never leaves the connection stalled.
 */
async function consumingBody<T>(request: SimRequest, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    request.bodyStream?.resume();
    throw error;
  }
}

function bodyOf(request: SimRequest): NonNullable<SimRequest['bodyStream']> {
  if (!request.bodyStream) throw new SimError('internal', 'The MESH upload routes stream their bodies.');
  return request.bodyStream;
}

/** POST outbox: a whole message, or chunk 1 of a chunked one (202 with the new message id). */
export function send(engine: Engine, request: SimRequest): Promise<SimResponse> {
  return consumingBody(request, async () => {
    const mailbox = await caller(engine, request, 'mesh.send');
    const headers = readSendHeaders(request);
    const from = request.headers['mex-from']?.trim();
    if (from && from.toUpperCase() !== mailbox.id) {
      throw new SimError(
        'forbidden',
        `Invalid From Address: mex-from ${from} is not the authenticated mailbox ${mailbox.id}.`,
        {
          field: 'mex-from',
          detail: { meshCode: '07', meshEvent: 'SEND' },
        },
      );
    }
    const message = await engine.mesh.send(mailbox, headers, bodyOf(request));
    return versioned(request, 202, { messageID: message.id }, { message_id: message.id });
  });
}

/** POST outbox/{id}/{n}: a further chunk (202). */
export function uploadChunk(engine: Engine, request: SimRequest): Promise<SimResponse> {
  return consumingBody(request, async () => {
    const mailbox = await caller(engine, request, 'mesh.send-chunk');
    const id = request.params.messageId ?? '';
    const chunk = request.params.chunk ?? '';
    await engine.mesh.uploadChunk(mailbox, id, chunk, request.headers['mex-chunk-range'], bodyOf(request));
    return versioned(request, 202, { messageID: id, blockID: Number(chunk) }, undefined);
  });
}

/** GET inbox: up to 500 message ids; v2 pages with links.next and says approx_inbox_count. */
export async function inbox(engine: Engine, request: SimRequest): Promise<SimResponse> {
  const mailbox = await caller(engine, request, 'mesh.inbox');
  await engine.workflowActor?.act();
  const maxText = request.query.get('max_results');
  const max = maxText === null ? MAX_INBOX_RESULTS : Number(maxText);
  if (!Number.isInteger(max) || max < 1 || max > MAX_INBOX_RESULTS) {
    throw new SimError('invalid-parameter', `max_results must be a whole number from 1 to ${MAX_INBOX_RESULTS}.`, {
      field: 'max_results',
    });
  }
  const continueFrom = request.query.get('continue_from');
  const after = continueFrom === null ? 0 : decodeContinuation(continueFrom);
  const page = await engine.mesh.inbox(mailbox, max, after);
  const self = `${MESH_ROOT}/${mailbox.id}/inbox?max_results=${max}`;
  return versioned(
    request,
    200,
    { messages: page.ids },
    {
      messages: page.ids,
      links: {
        self: continueFrom === null ? self : `${self}&continue_from=${encodeURIComponent(continueFrom)}`,
        ...(page.next !== undefined
          ? { next: `${self}&continue_from=${encodeURIComponent(encodeContinuation(page.next))}` }
          : {}),
      },
      approx_inbox_count: page.count,
    },
  );
}

function encodeContinuation(seq: number): string {
  return Buffer.from(JSON.stringify({ seq }), 'utf8').toString('base64');
}

function decodeContinuation(text: string): number {
  try {
    const value = JSON.parse(Buffer.from(text, 'base64').toString('utf8')) as { seq?: unknown };
    if (typeof value.seq === 'number' && Number.isInteger(value.seq) && value.seq >= 0) return value.seq;
  } catch {
    // Falls through to the error below.
  }
  throw new SimError('invalid-parameter', 'continue_from is not one this server issued; follow links.next as given.', {
    field: 'continue_from',
  });
}

/** GET inbox/{id}[/{n}]: the content of a chunk; 206 while further chunks remain, 200 for the last. */
export async function download(engine: Engine, request: SimRequest): Promise<SimResponse> {
  const mailbox = await caller(engine, request, 'mesh.download');
  const { message, chunk, content } = await engine.mesh.forDownload(
    mailbox,
    request.params.messageId ?? '',
    request.params.chunk ?? '1',
  );
  return {
    status: chunk < message.totalChunks ? 206 : 200,
    headers: { ...messageHeaders(message, chunk), 'Cache-Control': 'no-store' },
    body: content,
  };
}

/** The mex-* headers a recipient sees on download (MESH API spec, Download message; REPORT headers §2.4). */
function messageHeaders(message: MeshMessage, chunk: number): Record<string, string> {
  const headers: Record<string, string> = {
    'Content-Type': message.contentType ?? 'application/octet-stream',
    'mex-messageid': message.id,
    'mex-from': message.sender,
    'mex-to': message.messageType === 'REPORT' ? message.to : message.recipient,
    'mex-workflowid': message.workflowId,
    'mex-messagetype': message.messageType,
    'mex-chunk-range': `${chunk}:${message.totalChunks}`,
    'mex-total-chunks': String(message.totalChunks),
  };
  const optional: [string, string | undefined][] = [
    ['mex-localid', message.localId],
    ['mex-subject', message.subject],
    ['mex-filename', message.fileName],
    ['mex-content-checksum', message.checksum],
    ['mex-content-compressed', message.compressed ? 'Y' : undefined],
    ['mex-content-encrypted', message.encrypted ? 'Y' : undefined],
    ['content-encoding', message.contentEncoding],
    ['mex-linkedmsgid', message.linkedMessageId],
  ];
  if (message.messageType === 'REPORT') {
    optional.push(
      ['mex-statusevent', message.statusEvent],
      ['mex-statuscode', message.statusCode],
      ['mex-statussuccess', 'ERROR'],
      ['mex-statusdescription', message.statusDescription],
      ['mex-statustimestamp', compactTimestamp(message.createdAt)],
    );
  }
  for (const [name, value] of optional) if (value !== undefined) headers[name] = value;
  return headers;
}

/** PUT inbox/{id}/status/acknowledged: removes the message from the inbox. */
export async function acknowledge(engine: Engine, request: SimRequest): Promise<SimResponse> {
  const mailbox = await caller(engine, request, 'mesh.acknowledge');
  const message = await engine.mesh.acknowledge(mailbox, request.params.messageId ?? '');
  return versioned(request, 200, { messageId: message.id }, { message_id: message.id });
}

/** GET outbox/tracking?messageID=: where a sent message stands. */
export async function tracking(engine: Engine, request: SimRequest): Promise<SimResponse> {
  const mailbox = await caller(engine, request, 'mesh.tracking');
  await engine.workflowActor?.act();
  const messageId = request.query.get('messageID');
  if (!messageId) {
    throw new SimError('invalid-parameter', 'Give the message to track: ?messageID={message_id}.', {
      field: 'messageID',
    });
  }
  const message = await engine.mesh.track(mailbox, messageId);
  const recipient = engine.mesh.directory.get(message.recipient);
  const status = message.status === 'expired' ? 'undeliverable' : message.status;
  const v2 = {
    message_id: message.id,
    local_id: message.localId ?? null,
    workflow_id: message.workflowId,
    filename: message.fileName ?? null,
    expiry_time: message.expiresAt ?? null,
    upload_timestamp: message.acceptedAt ?? null,
    recipient: message.recipient,
    recipient_ods_code: recipient?.ods ?? null,
    status_success: message.status !== 'error' && message.status !== 'expired',
    status,
    status_event: message.statusEvent ?? null,
    status_timestamp: message.acknowledgedAt ?? message.acceptedAt ?? message.createdAt,
    status_description: message.statusDescription ?? null,
    status_code: message.statusCode ?? null,
  };
  const v1 = {
    messageId: message.id,
    dtsId: message.id,
    localId: message.localId ?? null,
    workflowId: message.workflowId,
    fileName: message.fileName ?? `${message.id}.dat`,
    fileSize: message.size,
    chunkCount: message.totalChunks,
    messageType: message.messageType === 'DATA' ? 'Data' : 'Report',
    sender: message.sender,
    recipient: message.recipient,
    status,
    statusCode: message.statusCode ?? null,
    statusDescription: message.statusDescription ?? null,
    statusSuccess: message.status === 'error' || message.status === 'expired' ? 'ERROR' : 'SUCCESS',
    uploadTimestamp: message.acceptedAt ? compactTimestamp(message.acceptedAt) : '',
    downloadTimestamp: message.acknowledgedAt ? compactTimestamp(message.acknowledgedAt) : '',
    expiryTime: message.expiresAt ? compactTimestamp(message.expiresAt) : '',
    version: '1.0',
  };
  return versioned(request, 200, v1, v2);
}

/**
 * GET /messageexchange/endpointlookup/{ods_code}/{workflow_id}: the mailboxes of an organisation
 * that receive a workflow (MESH API spec, Look up MESH address; no Authorization header there).
 */
export function endpointLookup(engine: Engine, request: SimRequest): SimResponse {
  request.annotations.interaction = 'mesh.endpoint-lookup';
  const ods = (request.params.ods ?? '').toUpperCase();
  const workflowId = request.params.workflowId ?? '';
  const mailbox = engine.mesh.directory.ofPractice(ods);
  const practice = engine.population.practice(ods);
  const found = mailbox && practice && mailbox.workflows.receive.includes(workflowId) ? [{ mailbox, practice }] : [];
  return versioned(
    request,
    200,
    {
      query_id: `${compactTimestamp(engine.clock.nowDate().toISOString())}_${ods}`,
      results: found.map(({ mailbox: box, practice: org }) => ({
        endpoint_type: 'MESH',
        description: org.name,
        address: box.id,
      })),
    },
    { results: found.map(({ mailbox: box, practice: org }) => ({ mailbox_id: box.id, mailbox_name: org.name })) },
  );
}

/** yyyyMMddHHmmss, the timestamp style of MESH's v1 shapes and status headers. */
function compactTimestamp(iso: string): string {
  return iso.replace(/[-:T]/g, '').slice(0, 14);
}
