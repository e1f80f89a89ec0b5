import type { Readable } from 'node:stream';
import type { SimClock } from '../clock';
import { SimError } from '../errors';
import type { TaskService } from '../task-service';
import type { Task } from '../tasks';
import type { Population } from '../../population/population';
import type { InboxPage, MeshRepository, RecordRepository } from '../../store/store';
import type { AuthToken } from './auth-token';
import { MAX_TOKEN_SKEW_MS, hmacMatches, parseAuthToken, tokenHmac, tokenTime } from './auth-token';
import { isGpRoutingAddress, resolveGpRouting, routingErrors } from './gp-routing';
import type { Mailbox } from './mailbox-directory';
import { MailboxDirectory } from './mailbox-directory';
import { MessageContent } from './message-content';
import type { MeshMessage, SentAck } from './mesh-message';
import { newMessageId } from './message-id';
import { PracticeIntake } from './practice-intake';
import { INBOX_RETENTION_MS } from './retention';
import { practiceWorkflows } from './workflows';

const DAY_MS = 24 * 60 * 60 * 1000;
/** How many expired messages one request sweeps. */
const EXPIRY_BATCH = 100;

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
  private readonly content: MessageContent;
  private readonly intake: PracticeIntake;

  constructor(
    private readonly population: () => Population,
    private readonly repository: MeshRepository,
    private readonly clock: SimClock,
    tasks: TaskService,
    records: RecordRepository,
  ) {
    this.content = new MessageContent(repository);
    this.intake = new PracticeIntake({
      directory: () => this.directory,
      population,
      repository,
      content: this.content,
      clock,
      tasks,
      records,
    });
  }

  /** The ITK3 acks the practice sent back for the message behind a workflow item. */
  acksFor(task: Task): Promise<SentAck[]> {
    return this.intake.acksFor(task);
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
    message.size = await this.content.store(message.id, 1, content);
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
    const size = await this.content.store(messageId, chunk, content);
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
    return { message, chunk, content: this.content.read(messageId, chunk) };
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
    if (practiceWorkflows[message.workflowId] !== undefined) await this.intake.receive(message);
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
/**
 * Most chunks one message may declare. MESH clients chunk at 20-100 MB, so this is far beyond any
 * real message, while a hostile "1:999999" cannot make gpsim keep an upload open for ever.
 */
export const MAX_MESH_CHUNKS = 1_000;

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
  if (total > MAX_MESH_CHUNKS) {
    throw meshError(
      'invalid-request',
      'InvalidHeaderChunks',
      `mex-chunk-range declares ${total} chunks; gpsim accepts at most ${MAX_MESH_CHUNKS} chunks per message: send larger chunks.`,
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
