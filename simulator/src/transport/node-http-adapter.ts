import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { Readable, Transform } from 'node:stream';
import type { Logger } from 'pino';
import { SimError } from '../domain/errors';
import type { Dispatcher } from './dispatcher';
import { withSecurityHeaders } from './security-headers';
import type { SimRequest, SimResponse } from './types';

export interface RequestListenerOptions {
  /** Name of the simulated node this listener is (s11, s12). */
  node: string;
  logger: Logger;
  /** Sockets left hanging by a timeout fault, so shutdown can destroy them. */
  hungSockets?: Set<Socket>;
  /** TLS terminates in front of gpsim (an https public URL), so responses carry HSTS. */
  behindTls?: boolean;
}

/** Carries node:http requests through the dispatcher: the lean path every surface shares. */
export function createRequestListener(
  dispatcher: Dispatcher,
  options: RequestListenerOptions,
): (request: IncomingMessage, response: ServerResponse) => void {
  return (incoming, outgoing) => {
    serve(dispatcher, options, incoming, outgoing).catch((error: unknown) => {
      options.logger.error({ err: error }, 'failed to write a response');
      if (!outgoing.headersSent) {
        outgoing.statusCode = 500;
        outgoing.end();
      } else {
        outgoing.destroy();
      }
    });
  };
}

async function serve(
  dispatcher: Dispatcher,
  options: RequestListenerOptions,
  incoming: IncomingMessage,
  outgoing: ServerResponse,
): Promise<void> {
  const rawUrl = incoming.url ?? '/';
  const queryAt = rawUrl.indexOf('?');
  const path = queryAt === -1 ? rawUrl : rawUrl.slice(0, queryAt);
  const query = new URLSearchParams(queryAt === -1 ? '' : rawUrl.slice(queryAt + 1));
  const method = incoming.method ?? 'GET';
  const headers = flattenHeaders(incoming.headers);
  const request: SimRequest = {
    method,
    path,
    query,
    headers,
    body: Buffer.alloc(0),
    params: {},
    node: options.node,
    remoteAddress: incoming.socket.remoteAddress ?? '',
    traceId: traceIdFrom(headers),
    annotations: {},
  };

  const match = dispatcher.match(method, path);

  if (match.streamBody) {
    request.bodyStream = boundedStream(incoming, match.maxBodyBytes);
    const response = await dispatcher.handle(request, match);
    if (!incoming.complete) {
      // The handler refused the upload before reading it all: answer, discard the rest and close,
      // so the client is not left writing into a connection nobody reads.
      outgoing.setHeader('Connection', 'close');
      incoming.unpipe();
      incoming.resume();
    }
    writeResponse(outgoing, request, response, options);
    return;
  }
  const body = await readBody(incoming, match.maxBodyBytes);
  if (body === 'too-large') {
    const error = new SimError(
      'payload-too-large',
      `The request body exceeds the ${match.maxBodyBytes} byte limit of this endpoint.`,
    );
    outgoing.setHeader('Connection', 'close');
    return writeResponse(outgoing, request, dispatcher.reject(request, match, error), options);
  }
  request.body = body;
  writeResponse(outgoing, request, await dispatcher.handle(request, match), options);
}

function flattenHeaders(raw: IncomingMessage['headers']): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(raw)) {
    if (value === undefined) continue;
    headers[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return headers;
}

export function traceIdFrom(headers: Record<string, string>): string {
  return headers['ssp-traceid'] || headers['x-request-id'] || headers['x-correlation-id'] || randomUUID();
}

function readBody(incoming: IncomingMessage, limit: number): Promise<Buffer | 'too-large'> {
  const declared = Number(incoming.headers['content-length'] ?? 0);
  if (declared > limit) {
    incoming.resume();
    return Promise.resolve('too-large');
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    incoming.on('data', (chunk: Buffer) => {
      if (settled) return;
      size += chunk.length;
      if (size > limit) {
        settled = true;
        chunks.length = 0;
        incoming.resume();
        resolve('too-large');
        return;
      }
      chunks.push(chunk);
    });
    incoming.on('end', () => {
      if (settled) return;
      settled = true;
      resolve(chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks));
    });
    incoming.on('error', (error) => {
      if (settled) return;
      settled = true;
      reject(error);
    });
  });
}

/** The request body as a stream that fails with a payload-too-large SimError past the limit. */
function boundedStream(incoming: IncomingMessage, limit: number): Readable {
  let size = 0;
  const limited = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      size += chunk.length;
      if (size > limit) {
        callback(
          new SimError('payload-too-large', `The request body exceeds the ${limit} byte limit of this endpoint.`),
        );
        return;
      }
      callback(null, chunk);
    },
  });
  incoming.on('error', (error) => limited.destroy(error));
  return incoming.pipe(limited);
}

function writeResponse(
  outgoing: ServerResponse,
  request: SimRequest,
  plain: SimResponse,
  options: RequestListenerOptions,
): void {
  const { method } = request;
  const hungSockets = options.hungSockets;
  if (plain.transportAction === 'reset') {
    outgoing.socket?.destroy();
    return;
  }
  if (plain.transportAction === 'hang') {
    // Keep the socket open and silent; the client's own timeout (or disconnect) ends it.
    const socket = outgoing.socket;
    if (socket && hungSockets) {
      hungSockets.add(socket);
      socket.once('close', () => hungSockets.delete(socket));
    }
    return;
  }
  const response = withSecurityHeaders(request, plain, options.behindTls === true);
  outgoing.statusCode = response.status;
  for (const [name, value] of Object.entries(response.headers ?? {})) outgoing.setHeader(name, value);
  const body = response.body;
  if (body instanceof Readable) {
    if (method === 'HEAD') {
      body.destroy();
      outgoing.end();
      return;
    }
    body.on('error', () => outgoing.destroy());
    // A client that goes away mid-body (or closes a stream) must not leave the source running.
    outgoing.once('close', () => body.destroy());
    body.pipe(outgoing);
    return;
  }
  if (body === undefined) {
    outgoing.end();
    return;
  }
  // A string body goes out as it is: node writes it in one piece with the headers, no Buffer copy first.
  outgoing.setHeader('Content-Length', typeof body === 'string' ? Buffer.byteLength(body) : body.length);
  outgoing.end(method === 'HEAD' ? undefined : body);
}
