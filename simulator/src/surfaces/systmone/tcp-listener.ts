import { randomUUID } from 'node:crypto';
import type { Server, Socket } from 'node:net';
import { createServer } from 'node:net';
import type { Readable } from 'node:stream';
import { SimError } from '../../domain/errors';
import type { Engine } from '../../engine';
import type { Dispatcher } from '../../transport/dispatcher';
import type { ResponseBody, SimRequest } from '../../transport/types';
import { tcpDesktop } from './desktops';
import { SYSTMONE_ROOT } from './systmone-surface';
import { defaultXmlLimits } from '../shared/xml';

/**
 * The SystmOne Client Integration TCP port (default 2135, inside the 2130–2140 range of the
 * Internet SystmOne guide). The public record shows no framing: a client writes the XML document,
 * pauses, and reads until a short read (reference/domain.md §2.2). gpsim supports two framings,
 * chosen per request by its first byte:
 *
 * - read-until-idle (first byte is anything but 0x00, e.g. "<"): the request ends when the
 *   document's root element closes (`</ClientIntegrationRequest>`), or when the client pauses for
 *   `idleMs`; the reply is the bare
 *   XML document.
 * - length-prefixed (first byte 0x00): a 4-byte big-endian byte length, then the document; the
 *   reply carries the same prefix. A length below 16 MiB always starts with 0x00, and XML never does.
 *
 * A connection reaches one desktop: the first SystmOne practice's first GP unless
 * POST /__sim/systmone/tcp-desktop chose another. Requests on one connection are answered in order.
 * Each goes through the same dispatcher as HTTP (journal, faults) as POST /systmone/{ODS}/client-integration,
 * so fault rules behave as on HTTP: latency delays the reply, reset destroys the socket, timeout
 * never answers, malformed corrupts the XML bytes, and node-down on the listener's node drops new
 * connections (and resets requests on open ones), as the HTTP listeners do.
 */
export interface TcpListenerOptions {
  idleMs: number;
  /** A connection with nothing to say for this long is closed. */
  connectionIdleMs: number;
}

/** The TCP port belongs to the primary node, as the guide's s11 serves Client Integration. */
const TCP_NODE = 's11';

export const defaultTcpListenerOptions: TcpListenerOptions = { idleMs: 250, connectionIdleMs: 120_000 };

const CLOSING_TAG = Buffer.from('</ClientIntegrationRequest>');

function skipWhitespace(bytes: Buffer): Buffer {
  let start = 0;
  while (start < bytes.length && [0x20, 0x09, 0x0a, 0x0d].includes(bytes[start] as number)) start++;
  return bytes.subarray(start);
}
const MAX_BYTES = defaultXmlLimits.maxBytes;

export interface SystmOneTcpServer {
  server: Server;
  /** Stops listening and hangs up on every open connection. */
  close(): Promise<void>;
}

export function createSystmOneTcpServer(
  engine: Engine,
  dispatcher: Dispatcher,
  options: TcpListenerOptions = defaultTcpListenerOptions,
): SystmOneTcpServer {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    if (engine.faults.isNodeDown(TCP_NODE)) {
      socket.destroy();
      return;
    }
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    serveConnection(engine, dispatcher, socket, options);
  });
  return {
    server,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      }),
  };
}

function serveConnection(engine: Engine, dispatcher: Dispatcher, socket: Socket, options: TcpListenerOptions): void {
  let buffer: Buffer = Buffer.alloc(0);
  let idleTimer: NodeJS.Timeout | undefined;
  let queue: Promise<void> = Promise.resolve();
  let closing = false;
  /** How much of `buffer` has been searched for the closing tag. */
  let scanned = 0;
  socket.setTimeout(options.connectionIdleMs, () => socket.destroy());
  socket.on('error', () => socket.destroy());
  socket.on('close', () => clearTimeout(idleTimer));

  const submit = (document: Buffer | SimError, prefixed: boolean) => {
    queue = queue
      .then(() => answer(engine, dispatcher, socket, document, prefixed))
      .catch((error: unknown) => {
        engine.logger.error({ err: error }, 'SystmOne TCP request failed');
        socket.destroy();
      });
  };

  const drain = (idle: boolean) => {
    for (;;) {
      if (buffer.length === 0) return;
      if (buffer[0] === 0) {
        if (buffer.length < 4) return;
        const length = buffer.readUInt32BE(0);
        if (length > MAX_BYTES) return tooLarge(true);
        if (buffer.length < 4 + length) return;
        submit(buffer.subarray(4, 4 + length), true);
        buffer = buffer.subarray(4 + length);
        continue;
      }
      if (buffer.length > MAX_BYTES) return tooLarge(false);
      // Look for the closing tag only in bytes not searched before, so many small reads stay linear.
      const at = buffer.indexOf(CLOSING_TAG, Math.max(0, scanned - CLOSING_TAG.length));
      if (at === -1) {
        scanned = buffer.length;
        if (!idle) return;
        submit(buffer, false);
        buffer = Buffer.alloc(0);
        scanned = 0;
        return;
      }
      const end = at + CLOSING_TAG.length;
      submit(buffer.subarray(0, end), false);
      // What follows the document (a newline, or the next request sent without a pause) stays.
      buffer = skipWhitespace(buffer.subarray(end));
      scanned = 0;
    }
  };

  const tooLarge = (prefixed: boolean) => {
    // Over the limit: answer once with the parser's own size error, then hang up.
    buffer = Buffer.alloc(0);
    closing = true;
    submit(new SimError('payload-too-large', `A request may be at most ${MAX_BYTES} bytes.`), prefixed);
    queue = queue.then(() => {
      socket.end();
    });
    socket.pause();
  };

  socket.on('data', (chunk: Buffer) => {
    if (closing) return;
    buffer = buffer.length === 0 ? chunk : Buffer.concat([buffer, chunk]);
    clearTimeout(idleTimer);
    drain(false);
    if (buffer.length > 0 && buffer[0] !== 0) idleTimer = setTimeout(() => drain(true), options.idleMs);
  });
}

async function answer(
  engine: Engine,
  dispatcher: Dispatcher,
  socket: Socket,
  document: Buffer | SimError,
  prefixed: boolean,
): Promise<void> {
  const desktop = await tcpDesktop(engine);
  const path = `${SYSTMONE_ROOT}/${encodeURIComponent(desktop?.ods ?? 'none')}/client-integration`;
  const query = new URLSearchParams(desktop?.username ? { user: desktop.username } : {});
  const request: SimRequest = {
    method: 'POST',
    path,
    query,
    headers: { 'content-type': 'application/xml', 'x-gpsim-transport': 'tcp' },
    body: document instanceof SimError ? Buffer.alloc(0) : document,
    params: {},
    node: TCP_NODE,
    remoteAddress: socket.remoteAddress ?? '',
    traceId: randomUUID(),
    annotations: {},
  };
  const match = dispatcher.match('POST', path);
  const response =
    document instanceof SimError
      ? dispatcher.reject(request, match, document)
      : await dispatcher.handle(request, match);
  if (socket.destroyed) return;
  if (response.transportAction === 'reset') {
    socket.destroy();
    return;
  }
  if (response.transportAction === 'hang') return;
  const body = await bodyBytes(response.body);
  if (socket.destroyed) return;
  if (prefixed) {
    const header = Buffer.alloc(4);
    header.writeUInt32BE(body.length, 0);
    socket.write(Buffer.concat([header, body]));
  } else {
    socket.write(body);
  }
}

async function bodyBytes(body: ResponseBody | undefined): Promise<Buffer> {
  if (body === undefined) return Buffer.alloc(0);
  if (typeof body === 'string') return Buffer.from(body, 'utf8');
  if (Buffer.isBuffer(body)) return body;
  const chunks: Buffer[] = [];
  for await (const chunk of body as Readable) chunks.push(Buffer.from(chunk as Buffer));
  return Buffer.concat(chunks);
}
