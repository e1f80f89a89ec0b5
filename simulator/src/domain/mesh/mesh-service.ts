import { Readable } from 'node:stream';
import { gunzipSync } from 'node:zlib';
import type { SimClock } from '../clock';
import { SimError } from '../errors';
import type { Task } from '../tasks';
import type { TaskService } from '../task-service';
import type { Population } from '../../population/population';
import type { InboxPage, MeshRepository, RecordRepository } from '../../store/store';
import type { RecordDocument } from '../clinical-record';
import type { AuthToken } from './auth-token';
import { MAX_TOKEN_SKEW_MS, hmacMatches, parseAuthToken, tokenHmac, tokenTime } from './auth-token';
import { isGpRoutingAddress, resolveGpRouting, routingErrors } from './gp-routing';
import type { ItkResponseCode } from './itk3';
import { buildItkResponse, readItkMessage } from './itk3';
import type { Mailbox } from './mailbox-directory';
import { MailboxDirectory } from './mailbox-directory';
import type { MeshMessage } from './mesh-message';
import { newMessageId } from './message-id';
import { SEND_DOCUMENT_WORKFLOW, practiceWorkflows } from './workflows';

/** Content is stored in parts of this size, so memory stays bounded whatever the message size. */
const PART_BYTES = 1024 * 1024;
/** Uncollected messages leave the inbox five days after delivery (MESH API spec, Message expiration). */
export const INBOX_RETENTION_MS = 5 * 24 * 60 * 60 * 1000;
const DAY_MS = 24 * 60 * 60 * 1000;
/** How many expired messages one request sweeps. */
const EXPIRY_BATCH = 100;
/** The most an ITK3 message taken into practice workflow may be; larger ones are unreadable to the practice. */
const MAX_ITK_BYTES = 20 * 1024 * 1024;

export interface SendRequest {
  to: string;
  workflowId: string;
  chunkRange?: string;
  subject?: string;
  localId?: string;
  fileName?: string;
  checksum?: string;
  compressed?: boolean;
  encrypted?: boolean;
  contentType?: string;
  contentEncoding?: string;
}

/** Raises a MESH error: `meshCode` is the spec's error code (02, 06, 07, 08, 12, 17...). */
export function meshError(
  code: 'invalid-request' | 'forbidden' | 'not-found' | 'conflict',
  meshCode: string,
  message: string,
  field?: string,
): SimError {
  return new SimError(code, message, { ...(field ? { field } : {}), detail: { meshCode, meshEvent: 'SEND' } });
}

/**
 * The simulated MESH: mailboxes and their tokens, sending (whole or chunked, content streamed to
 * the store), GP routing, inboxes with expiry on the simulated clock, acknowledgement, tracking,
 * and the practice side: ITK3 messages on a practice workflow become workflow tasks, and the
 * practice's ITK3 acks travel back over MESH.
 */
export class MeshService {
  private directoryCache: { estate: unknown; directory: MailboxDirectory } | undefined;

  constructor(
    private readonly population: () => Population,
    private readonly repository: MeshRepository,
    private readonly clock: SimClock,
    private readonly tasks: TaskService,
    private readonly records: RecordRepository,
  ) {
    tasks.onChange((task, action) => this.onTaskChange(task, action));
  }

  get directory(): MailboxDirectory {
    const estate = this.population().estate;
    if (this.directoryCache?.estate !== estate) {
      this.directoryCache = { estate, directory: new MailboxDirectory(estate) };
    }
    return this.directoryCache.directory;
  }

  /** Checks the NHSMESH token against the mailbox in the path; every failure is a 403, as MESH answers. */
  async authenticate(pathMailbox: string, header: string | undefined): Promise<Mailbox> {
    const token: AuthToken = parseAuthToken(header);
    if (token.mailbox.toUpperCase() !== pathMailbox.toUpperCase()) {
      throw new SimError(
        'forbidden',
        `Mailbox id does not match token: the path names ${pathMailbox}, the token ${token.mailbox}.`,
        { field: 'authorization' },
      );
    }
    const mailbox = this.directory.get(token.mailbox);
    if (!mailbox) {
      throw new SimError('forbidden', `No mailbox matched ${token.mailbox}; GET /__sim/fixtures lists mailboxes.`, {
        field: 'authorization',
      });
    }
    if (!hmacMatches(tokenHmac(this.directory.sharedSecret, token, mailbox.password), token.hmac)) {
      throw new SimError(
        'forbidden',
        'Invalid Authentication Token: the HMAC does not match (key: mesh.sharedSecret; message mailbox:nonce:nonce_count:password:timestamp).',
        { field: 'authorization' },
      );
    }
    const skew = Math.abs(tokenTime(token.timestamp) - this.clock.now());
    if (!(skew <= MAX_TOKEN_SKEW_MS)) {
      throw new SimError(
        'forbidden',
        `Invalid Authentication Token: timestamp ${token.timestamp} is more than 2 hours from server time ${this.clock.nowDate().toISOString()} (GET /__sim/clock).`,
        { field: 'authorization' },
      );
    }
    if (!(await this.repository.useNonce(mailbox.id, token.nonce, token.nonceCount))) {
      throw new SimError(
        'forbidden',
        'Error Duplicated Authentication Token: make a new nonce (or nonce_count) for every request.',
        { field: 'authorization' },
      );
    }
    return mailbox;
  }

  /** POST outbox: validates addressing and workflow permissions, then streams the first chunk in. */
  async send(sender: Mailbox, request: SendRequest, content: Readable): Promise<MeshMessage> {
    const [chunk, totalChunks] = parseChunkRange(request.chunkRange, true);
    if (chunk !== 1) {
      throw meshError(
        'invalid-request',
        'InvalidHeaderChunks',
        'The first request of a message carries chunk 1: mex-chunk-range 1:n.',
        'mex-chunk-range',
      );
    }
    if (!sender.workflows.send.includes(request.workflowId)) {
      throw meshError(
        'forbidden',
        '17',
        `Workflow ID not registered for mailbox: ${sender.id} may not send ${request.workflowId}.`,
        'mex-workflowid',
      );
    }
    const routed = isGpRoutingAddress(request.to);
    let recipient: string;
    if (routed) {
      recipient = request.to.toUpperCase();
    } else {
      const found = this.directory.get(request.to);
      if (!found)
        throw meshError(
          'not-found',
          '12',
          `Unregistered to address ${request.to}; GET /__sim/fixtures lists mailboxes.`,
          'mex-to',
        );
      if (!found.workflows.receive.includes(request.workflowId)) {
        throw meshError(
          'forbidden',
          '17',
          `Workflow ID not registered for mailbox: ${found.id} does not receive ${request.workflowId}.`,
          'mex-workflowid',
        );
      }
      recipient = found.id;
    }
    const now = this.clock.nowDate();
    const message: MeshMessage = {
      id: newMessageId(now),
      sender: sender.id,
      recipient,
      to: request.to,
      workflowId: request.workflowId,
      messageType: 'DATA',
      status: 'uploading',
      totalChunks,
      size: 0,
      ...optional(request),
      createdAt: now.toISOString(),
    };
    message.size = await this.storeOrDiscard(message.id, 1, content);
    if (message.size === 0)
      throw meshError('invalid-request', '02', 'Data file is missing or inaccessible: the request has no body.');
    await this.repository.insert(message);
    if (totalChunks === 1) await this.complete(message);
    return message;
  }

  /** POST outbox/{id}/{n}: a further chunk of a chunked message, from its sender, in any order. */
  async uploadChunk(
    sender: Mailbox,
    messageId: string,
    chunkText: string,
    chunkRange: string | undefined,
    content: Readable,
  ): Promise<MeshMessage> {
    const message = await this.repository.get(messageId);
    if (!message || message.sender !== sender.id)
      throw meshError('not-found', '20', `Message ${messageId} does not exist in the outbox of ${sender.id}.`);
    const [chunk, total] = parseChunkRange(chunkRange, false);
    if (String(chunk) !== chunkText || total !== message.totalChunks) {
      throw meshError(
        'invalid-request',
        'InvalidHeaderChunks',
        `Invalid chunk values sent in mex-chunk-range header: send ${chunkText}:${message.totalChunks} with chunk ${chunkText} of this message.`,
        'mex-chunk-range',
      );
    }
    if (message.status !== 'uploading')
      throw meshError('conflict', '', `Message ${messageId} already has all its chunks and was sent.`);
    // A chunk sent again (a retry after a timeout) replaces the first copy.
    const previous = await this.repository.deleteChunk(messageId, chunk);
    const size = await this.storeOrDiscard(messageId, chunk, content);
    if (size === 0)
      throw meshError('invalid-request', '02', 'Data file is missing or inaccessible: the chunk has no body.');
    message.size += size - previous;
    await this.repository.update(message);
    if ((await this.repository.chunkNumbers(messageId)).length === message.totalChunks) await this.complete(message);
    return message;
  }

  async inbox(mailbox: Mailbox, limit: number, afterSeq: number): Promise<InboxPage> {
    await this.expireUncollected();
    return this.repository.inbox(mailbox.id, this.clock.nowDate().toISOString(), limit, afterSeq);
  }

  /** A message the mailbox may download: its own, accepted, and not expired (410 once it has). */
  async forDownload(
    mailbox: Mailbox,
    messageId: string,
    chunkText: string,
  ): Promise<{ message: MeshMessage; chunk: number; content: Readable }> {
    await this.expireUncollected();
    const message = await this.repository.get(messageId);
    if (!message || message.recipient !== mailbox.id || message.status === 'uploading') {
      throw meshError('not-found', '20', `Message ${messageId} does not exist in the inbox of ${mailbox.id}.`);
    }
    // Like the MESH sandbox, a collected (acknowledged) message may still be downloaded; an
    // uncollected one is gone once its retention has passed.
    if (message.status === 'error' || message.status === 'expired') {
      throw new SimError(
        'conflict',
        `Message ${messageId} is no longer available for download: it expired uncollected.`,
        {
          detail: { meshCode: 'Message already accepted', meshEvent: 'RECEIVE' },
        },
      );
    }
    const chunk = chunkNumber(chunkText, message.totalChunks);
    return { message, chunk, content: this.readChunk(messageId, chunk) };
  }

  async acknowledge(mailbox: Mailbox, messageId: string): Promise<MeshMessage> {
    const message = await this.repository.get(messageId);
    if (!message || message.recipient !== mailbox.id || message.status === 'uploading') {
      throw meshError('not-found', '20', `Message ${messageId} does not exist in the inbox of ${mailbox.id}.`);
    }
    if (message.status === 'accepted') {
      message.status = 'acknowledged';
      message.acknowledgedAt = this.clock.nowDate().toISOString();
      await this.repository.update(message);
    }
    return message;
  }

  async track(mailbox: Mailbox, messageId: string): Promise<MeshMessage> {
    await this.expireUncollected();
    const message = await this.repository.get(messageId);
    if (!message || message.sender !== mailbox.id) {
      throw meshError('not-found', '20', `Message ${messageId} was not sent by ${mailbox.id}.`, 'messageID');
    }
    return message;
  }

  /**
   * Messages left uncollected past retention leave the inbox and their senders get a non-delivery
   * report, error 14 (MESH API spec, Message expiration). Done as time is observed, in bounded batches.
   */
  private async expireUncollected(): Promise<void> {
    const now = this.clock.nowDate().toISOString();
    for (const message of await this.repository.expired(now, EXPIRY_BATCH)) {
      message.status = 'expired';
      message.statusEvent = 'SEND';
      message.statusCode = '14';
      message.statusDescription = `Message not collected by recipient after ${INBOX_RETENTION_MS / DAY_MS} days`;
      await this.repository.update(message);
      if (message.messageType === 'DATA') await this.report(message, '14', message.statusDescription);
    }
  }

  private async complete(message: MeshMessage): Promise<void> {
    const now = this.clock.nowDate();
    if (isGpRoutingAddress(message.to)) {
      const routing = resolveGpRouting(this.population(), message.to);
      const mailbox = routing.ok ? this.directory.ofPractice(routing.ods) : undefined;
      if (!routing.ok || !mailbox || !mailbox.workflows.receive.includes(message.workflowId)) {
        const code = routing.ok ? 'EPL-151' : routing.code;
        message.status = 'error';
        message.statusEvent = 'SEND';
        message.statusCode = code;
        message.statusDescription = routingErrors[code];
        await this.repository.update(message);
        await this.report(message, code, routingErrors[code]);
        return;
      }
      message.recipient = mailbox.id;
    }
    message.status = 'accepted';
    message.acceptedAt = now.toISOString();
    message.expiresAt = new Date(now.getTime() + INBOX_RETENTION_MS).toISOString();
    await this.repository.update(message);
    if (practiceWorkflows[message.workflowId] !== undefined) await this.takeIntoWorkflow(message);
  }

  /** An asynchronous error report (Mex-MessageType REPORT, empty body) in the sender's inbox. */
  private async report(failed: MeshMessage, code: string, description: string): Promise<void> {
    const now = this.clock.nowDate();
    const report: MeshMessage = {
      id: newMessageId(now),
      sender: failed.sender,
      recipient: failed.sender,
      to: failed.to,
      workflowId: failed.workflowId,
      messageType: 'REPORT',
      status: 'accepted',
      totalChunks: 1,
      size: 0,
      ...(failed.subject !== undefined ? { subject: failed.subject } : {}),
      ...(failed.localId !== undefined ? { localId: failed.localId } : {}),
      linkedMessageId: failed.id,
      statusEvent: 'SEND',
      statusCode: code,
      statusDescription: description,
      createdAt: now.toISOString(),
      acceptedAt: now.toISOString(),
      expiresAt: new Date(now.getTime() + INBOX_RETENTION_MS).toISOString(),
    };
    await this.repository.insert(report);
  }

  /**
   * The practice's GP system collects a Send Document / Update Record message and puts it in the
   * practice workflow as a task titled with the MESH subject (GPCM-SD-092). One task per sender
   * reference (mex-localid, else the message id), so a resent message never makes a second task.
   */
  private async takeIntoWorkflow(message: MeshMessage): Promise<void> {
    const practiceMailbox = this.directory.get(message.recipient);
    if (!practiceMailbox?.ods) return;
    message.status = 'acknowledged';
    message.acknowledgedAt = this.clock.nowDate().toISOString();
    const itk = message.size <= MAX_ITK_BYTES ? readItkMessage(await this.content(message)) : undefined;
    if (!itk) {
      await this.repository.update(message);
      await this.sendAck(practiceMailbox, message, 'unknown', '10009');
      return;
    }
    const isDocument = message.workflowId === SEND_DOCUMENT_WORKFLOW;
    const { task, created } = await this.tasks.create({
      ods: practiceMailbox.ods,
      type: isDocument ? 'document' : 'update-record',
      title:
        message.subject ??
        (isDocument ? `Document from ${message.sender}` : `Consultation summary from ${message.sender}`),
      ...(itk.nhsNumber ? { nhsNumber: itk.nhsNumber } : {}),
      source: { surface: 'mesh', sender: message.sender, reference: message.localId ?? message.id },
      links: [message.id],
    });
    if (created) {
      message.itk = {
        messageHeaderId: itk.messageHeaderId,
        businessAckRequested: itk.businessAckRequested,
        infrastructureAckRequested: itk.infrastructureAckRequested,
        taskId: task.id,
      };
    }
    await this.repository.update(message);
    if (created && itk.infrastructureAckRequested)
      await this.sendAck(practiceMailbox, message, itk.messageHeaderId, '20013');
  }

  /**
   * Business acks when staff finish with the item: 30001 when filed or completed; 30002 or 30003
   * when rejected. Update Record rejections are not reported to the sender (NHS England Update
   * Record FAQs: "rejected messages are not filed and the sender is not notified").
   */
  private async onTaskChange(task: Task, action: string): Promise<void> {
    if (task.source.surface !== 'mesh' || (action !== 'completed' && action !== 'rejected')) return;
    const messageId = task.links[0];
    const message = messageId ? await this.repository.get(messageId) : undefined;
    if (!message?.itk || message.itk.taskId !== task.id) return;
    if (action === 'completed') await this.fileToRecord(task, message);
    if (!message.itk.businessAckRequested) return;
    if (action === 'rejected' && message.workflowId !== SEND_DOCUMENT_WORKFLOW) return;
    const practiceMailbox = this.directory.get(message.recipient);
    if (!practiceMailbox) return;
    const code: ItkResponseCode =
      action === 'completed' ? '30001' : task.reason?.startsWith('30003') ? '30003' : '30002';
    await this.sendAck(practiceMailbox, message, message.itk.messageHeaderId, code);
  }

  /**
   * A Send Document is "For Action": completing it attaches the document to the patient's record
   * (GPCM RecipientType FA), where every face that shows documents then lists it.
   */
  private async fileToRecord(task: Task, message: MeshMessage): Promise<void> {
    if (message.workflowId !== SEND_DOCUMENT_WORKFLOW || !task.nhsNumber) return;
    const population = this.population();
    const patient = population.byNhsNumber(task.nhsNumber)?.patient;
    if (!patient || population.practiceOf(patient).ods !== task.ods) return;
    const sender = this.directory.get(message.sender);
    const now = this.clock.nowDate().toISOString();
    const written = (await this.records.entries(patient.ordinal)).length;
    const document: RecordDocument = {
      kind: 'document',
      id: population.estate.ids.encode('write', patient.ordinal, written),
      date: now.slice(0, 10),
      recorded: now,
      recorderIndex: patient.usualGpIndex,
      type: { code: '371531000', display: 'Report of clinical encounter' },
      title: 'Consultation report',
      description: task.title,
      contentType: message.contentType ?? 'application/fhir+json',
      sizeBytes: message.size,
      // Partner mailboxes sit under X26, the test organisation MESH's own sandbox mailboxes use.
      author: { ods: sender?.ods ?? 'X26', name: sender?.partner ?? message.sender },
      indexed: now,
      writtenBy: { partner: message.sender, surface: 'mesh', at: now },
    };
    await this.records.append(patient.ordinal, document);
  }

  private async sendAck(
    from: Mailbox,
    original: MeshMessage,
    acknowledges: string,
    code: ItkResponseCode,
  ): Promise<void> {
    const workflowId = practiceWorkflows[original.workflowId];
    const recipient = this.directory.get(original.sender);
    if (!workflowId || !recipient?.workflows.receive.includes(workflowId)) return;
    const now = this.clock.nowDate();
    const body = Buffer.from(buildItkResponse({ acknowledges, code, senderMailbox: from.id, now }), 'utf8');
    const ack: MeshMessage = {
      id: newMessageId(now),
      sender: from.id,
      recipient: recipient.id,
      to: recipient.id,
      workflowId,
      messageType: 'DATA',
      status: 'accepted',
      totalChunks: 1,
      size: body.length,
      subject: `ITK response ${code} for ${acknowledges}`,
      ...(original.localId !== undefined ? { localId: original.localId } : {}),
      linkedMessageId: original.id,
      contentType: 'application/fhir+json',
      createdAt: now.toISOString(),
      acceptedAt: now.toISOString(),
      expiresAt: new Date(now.getTime() + INBOX_RETENTION_MS).toISOString(),
    };
    await this.repository.appendPart(ack.id, 1, 0, body);
    await this.repository.insert(ack);
  }

  /** Whole content of a (bounded) message, decompressed when the sender compressed it. */
  private async content(message: MeshMessage): Promise<Buffer> {
    const buffers: Buffer[] = [];
    for (let chunk = 1; chunk <= message.totalChunks; chunk++) {
      const parts: Buffer[] = [];
      for await (const part of this.readChunk(message.id, chunk)) parts.push(part as Buffer);
      const data = Buffer.concat(parts);
      const gzipped = message.compressed === true || message.contentEncoding === 'gzip';
      try {
        buffers.push(gzipped ? gunzipSync(data, { maxOutputLength: MAX_ITK_BYTES }) : data);
      } catch {
        return Buffer.alloc(0);
      }
    }
    return Buffer.concat(buffers);
  }

  /** Stores a chunk; a failed upload (too large, connection lost) leaves nothing behind. */
  private async storeOrDiscard(messageId: string, chunk: number, content: Readable): Promise<number> {
    try {
      return await this.storeChunk(messageId, chunk, content);
    } catch (error) {
      await this.repository.deleteChunk(messageId, chunk);
      throw error;
    }
  }

  private async storeChunk(messageId: string, chunk: number, content: Readable): Promise<number> {
    let pending: Buffer[] = [];
    let pendingBytes = 0;
    let part = 0;
    let size = 0;
    const flush = async (): Promise<void> => {
      if (pendingBytes === 0) return;
      await this.repository.appendPart(messageId, chunk, part++, Buffer.concat(pending));
      pending = [];
      pendingBytes = 0;
    };
    for await (const piece of content) {
      const buffer = piece as Buffer;
      pending.push(buffer);
      pendingBytes += buffer.length;
      size += buffer.length;
      if (pendingBytes >= PART_BYTES) await flush();
    }
    await flush();
    return size;
  }

  private readChunk(messageId: string, chunk: number): Readable {
    const repository = this.repository;
    async function* parts(): AsyncGenerator<Buffer> {
      for (let part = 0; ; part++) {
        const data = await repository.part(messageId, chunk, part);
        if (!data) return;
        yield data;
      }
    }
    return Readable.from(parts());
  }
}

function optional(request: SendRequest): Partial<MeshMessage> {
  const fields: Partial<MeshMessage> = {};
  if (request.subject !== undefined) fields.subject = request.subject;
  if (request.localId !== undefined) fields.localId = request.localId;
  if (request.fileName !== undefined) fields.fileName = request.fileName;
  if (request.checksum !== undefined) fields.checksum = request.checksum;
  if (request.compressed !== undefined) fields.compressed = request.compressed;
  if (request.encrypted !== undefined) fields.encrypted = request.encrypted;
  if (request.contentType !== undefined) fields.contentType = request.contentType;
  if (request.contentEncoding !== undefined) fields.contentEncoding = request.contentEncoding;
  return fields;
}

/** `mex-chunk-range: n:total`; absent means a single-chunk message. */
function parseChunkRange(range: string | undefined, first: boolean): [number, number] {
  if (range === undefined) return [1, 1];
  const match = /^(\d{1,6}):(\d{1,6})$/.exec(range.trim());
  const chunk = Number(match?.[1]);
  const total = Number(match?.[2]);
  if (!match || chunk < 1 || total < 1 || chunk > total || (first && chunk !== 1)) {
    throw meshError(
      'invalid-request',
      'InvalidHeaderChunks',
      `Invalid chunk values sent in mex-chunk-range header: "${range}"; send 1:n with n the number of chunks.`,
      'mex-chunk-range',
    );
  }
  return [chunk, total];
}

function chunkNumber(text: string, total: number): number {
  const chunk = /^\d{1,6}$/.test(text) ? Number(text) : NaN;
  if (!(chunk >= 1 && chunk <= total)) {
    throw meshError(
      'not-found',
      '20',
      `Message does not exist: chunk ${text} is not one of this message's chunks 1 to ${total}.`,
    );
  }
  return chunk;
}
