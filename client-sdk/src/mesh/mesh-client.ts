import type { ClientOptions } from '../transport/client-options.js';
import { splitUrl, transportFor } from '../transport/client-options.js';
import { parseBody, toApiError } from '../transport/resilient-transport.js';
import type { ResilientTransport, TransportRequest } from '../transport/resilient-transport.js';
import type { MeshContent } from './chunks.js';
import { chunksOf, gzip, sizeOf } from './chunks.js';
import type { MeshCredentials } from './mesh-token.js';
import { meshAuthorization } from './mesh-token.js';
import type { AcknowledgeResult, InboxPage, SendResult, TrackingResult } from './wire-types.js';

const V2 = 'application/vnd.mesh.v2+json';

export interface MeshClientOptions extends ClientOptions, MeshCredentials {
  /** The MESH API root, e.g. the manifest's `mesh.baseUrl` (…/mesh). */
  baseUrl: string;
  /** Bytes per chunk of a large message (MESH allows up to 100 MB; smaller chunks keep memory lower). */
  chunkSize?: number;
  /** The time tokens are minted at; gpsim's simulated clock when it has been moved. */
  clock?: () => number;
  /** Sent on the handshake (mex-clientversion). */
  clientVersion?: string;
}

export interface SendOptions {
  to: string;
  workflowId: string;
  content: MeshContent;
  subject?: string;
  localId?: string;
  fileName?: string;
  /** Gzip every chunk (Content-Encoding: gzip, mex-content-compressed: Y). */
  compress?: boolean;
}

export interface DownloadedMessage {
  messageId: string;
  /** The mex-* headers of the first chunk: sender, workflow, message type, file name... */
  headers: Record<string, string>;
  totalChunks: number;
  /** The content, chunk after chunk, fetched as it is read: never held whole in memory. */
  body: ReadableStream<Uint8Array>;
}

const DEFAULT_CHUNK_SIZE = 20 * 1024 * 1024;

/**
 * A MESH mailbox client (MESH API v2): handshake, send with chunking and compression, inbox paging,
 * streaming download, acknowledge and tracking. Errors are GpsimApiError with surface "mesh" and
 * the MESH error code.
 */
export class MeshClient {
  private readonly transport: ResilientTransport;
  private readonly root: string;
  private readonly chunkSize: number;
  private readonly clock: () => number;

  constructor(private readonly options: MeshClientOptions) {
    const { origin, path } = splitUrl(options.baseUrl);
    this.transport = transportFor([origin], options);
    this.root = `${path}/messageexchange/${encodeURIComponent(options.mailboxId)}`;
    this.chunkSize = options.chunkSize ?? DEFAULT_CHUNK_SIZE;
    if (!Number.isInteger(this.chunkSize) || this.chunkSize < 1)
      throw new RangeError('chunkSize must be a positive integer');
    this.clock = options.clock ?? Date.now;
  }

  /** Validates the mailbox (POST /messageexchange/{mailbox}); MESH asks for one a day. */
  async handshake(): Promise<{ mailboxId: string }> {
    // v2 answers an empty 200; v1 a {mailboxId} body.
    const reply = await this.json<{ mailboxId?: string } | undefined>({
      method: 'POST',
      path: this.root,
      headers: {
        'mex-clientversion': this.options.clientVersion ?? '@gpsim/client',
        'mex-osname': 'unknown',
        'mex-osversion': 'unknown',
      },
      idempotent: true,
    });
    return { mailboxId: reply?.mailboxId ?? this.options.mailboxId };
  }

  /**
   * Sends a message: one request when it fits one chunk, else chunk 1 creates the message and the
   * rest follow (mex-chunk-range n:total). Content is read one chunk at a time.
   */
  async send(message: SendOptions): Promise<SendResult> {
    const total = Math.max(1, Math.ceil(sizeOf(message.content) / this.chunkSize));
    const common: Record<string, string> = {
      'content-type': 'application/octet-stream',
      ...(message.compress ? { 'content-encoding': 'gzip', 'mex-content-compressed': 'Y' } : {}),
    };
    let messageId: string | undefined;
    let number = 0;
    for await (const raw of chunksOf(message.content, this.chunkSize)) {
      number += 1;
      const body = message.compress ? await gzip(raw) : raw;
      if (messageId === undefined) {
        const sent = await this.json<SendResult>({
          method: 'POST',
          path: `${this.root}/outbox`,
          headers: {
            ...common,
            'mex-to': message.to,
            'mex-workflowid': message.workflowId,
            ...(message.subject === undefined ? {} : { 'mex-subject': message.subject }),
            ...(message.localId === undefined ? {} : { 'mex-localid': message.localId }),
            ...(message.fileName === undefined ? {} : { 'mex-filename': message.fileName }),
            ...(total > 1 ? { 'mex-chunk-range': `1:${total}` } : {}),
          },
          body,
          // A new message sent twice is two messages: not retried.
          idempotent: false,
        });
        messageId = sent.message_id;
      } else {
        // A chunk re-sent replaces itself: safe to retry.
        await this.json({
          method: 'POST',
          path: `${this.root}/outbox/${encodeURIComponent(messageId)}/${number}`,
          headers: { ...common, 'mex-chunk-range': `${number}:${total}` },
          body,
          idempotent: true,
        });
      }
    }
    return { message_id: messageId as string };
  }

  /** One page of the inbox (v2: at most `maxResults` ids and a link to the next page). */
  inboxPage(options: { maxResults?: number; continueFrom?: string } = {}): Promise<InboxPage> {
    const query = new URLSearchParams();
    if (options.maxResults !== undefined) query.set('max_results', String(options.maxResults));
    if (options.continueFrom !== undefined) query.set('continue_from', options.continueFrom);
    const search = query.toString();
    return this.json({ method: 'GET', path: `${this.root}/inbox${search ? `?${search}` : ''}` });
  }

  /** Every message id in the inbox, following the v2 paging links. */
  async *inbox(options: { pageSize?: number } = {}): AsyncGenerator<string> {
    let continueFrom: string | undefined;
    do {
      const page = await this.inboxPage({
        ...(options.pageSize === undefined ? {} : { maxResults: options.pageSize }),
        ...(continueFrom === undefined ? {} : { continueFrom }),
      });
      yield* page.messages;
      continueFrom = page.links?.next
        ? (new URL(page.links.next, 'http://mesh').searchParams.get('continue_from') ?? undefined)
        : undefined;
    } while (continueFrom !== undefined);
  }

  /**
   * Downloads a message as a stream: the first chunk now (for its headers), the others only as the
   * stream is read. The stream errors with GpsimApiError if a later chunk fails.
   */
  async download(messageId: string): Promise<DownloadedMessage> {
    const first = await this.openChunk(messageId, 1);
    const headers: Record<string, string> = {};
    first.headers.forEach((value, name) => {
      if (name.startsWith('mex-') || name === 'content-type' || name === 'content-encoding') headers[name] = value;
    });
    const totalChunks = Number(first.headers.get('mex-total-chunks') ?? '1') || 1;
    let next = 2;
    let current: ReadableStreamDefaultReader<Uint8Array> | undefined = first.body?.getReader();
    const body = new ReadableStream<Uint8Array>({
      pull: async (controller) => {
        for (;;) {
          if (current) {
            const { done, value } = await current.read();
            if (!done) {
              controller.enqueue(value);
              return;
            }
          }
          if (next > totalChunks) {
            controller.close();
            return;
          }
          current = (await this.openChunk(messageId, next++)).body?.getReader();
        }
      },
      cancel: async (reason) => {
        await current?.cancel(reason);
      },
    });
    return { messageId, headers, totalChunks, body };
  }

  /** Acknowledges a downloaded message: it leaves the inbox and the sender's tracking says so. */
  acknowledge(messageId: string): Promise<AcknowledgeResult> {
    return this.json({
      method: 'PUT',
      path: `${this.root}/inbox/${encodeURIComponent(messageId)}/status/acknowledged`,
    });
  }

  /** Where a message this mailbox sent stands. */
  tracking(messageId: string): Promise<TrackingResult> {
    return this.json({
      method: 'GET',
      path: `${this.root}/outbox/tracking?messageID=${encodeURIComponent(messageId)}`,
    });
  }

  private async openChunk(messageId: string, chunk: number) {
    const response = await this.transport.open(
      this.authorised({
        method: 'GET',
        path: `${this.root}/inbox/${encodeURIComponent(messageId)}${chunk === 1 ? '' : `/${chunk}`}`,
      }),
    );
    if (response.status >= 400) {
      const text = response.body ? await new Response(response.body).text() : '';
      throw toApiError(response, parseBody(text), 'mesh');
    }
    return response;
  }

  private async json<T>(request: TransportRequest): Promise<T> {
    const response = await this.transport.send(this.authorised(request));
    const body = parseBody(response.text);
    if (response.status >= 400) throw toApiError(response, body, 'mesh');
    return body as T;
  }

  private authorised(request: TransportRequest): TransportRequest {
    return {
      ...request,
      surface: 'mesh',
      headers: { accept: V2, ...request.headers },
      // Each attempt carries a fresh nonce: MESH refuses a replayed token.
      headersPerAttempt: async () => ({ authorization: await meshAuthorization(this.options, new Date(this.clock())) }),
    };
  }
}
