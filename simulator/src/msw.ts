import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { http, HttpResponse } from 'msw';
import type { HttpHandler } from 'msw';
import { createApp } from './app';
import type { GpsimApp } from './app';
import type { GpsimOptions } from './config/options';
import { defaultOptions } from './config/options';
import { SimError } from './domain/errors';
import { Engine } from './engine';
import { createLogger, gpsimVersion } from './main';
import { openEmbeddedStore } from './store/open-store';
import { traceIdFrom } from './transport/node-http-adapter';
import type { SimRequest, SimResponse } from './transport/types';

export interface InProcessOptions extends Partial<GpsimOptions> {
  /** The origin requests are addressed to, e.g. "http://gpsim.test". Every surface lives under it. */
  baseUrl?: string;
}

export interface InProcessGpsim {
  /** msw 2 request handlers: pass them to setupServer (Node) or setupWorker (browser). */
  handlers: HttpHandler[];
  engine: Engine;
  app: GpsimApp;
  baseUrl: string;
  close(): Promise<void>;
}

/**
 * gpsim in-process: the same engine, surfaces, control API and request pipeline as the server,
 * carried by msw instead of a socket. Nothing listens; requests to `baseUrl` are answered by the
 * dispatcher directly, so vendors' unit tests get the real behaviour without a process to manage.
 */
export function createInProcessGpsim(options: InProcessOptions = {}): InProcessGpsim {
  const { baseUrl: requestedBase, ...overrides } = options;
  const resolved: GpsimOptions = { ...defaultOptions(), store: 'memory', logLevel: 'silent', ...overrides };
  const baseUrl = (requestedBase ?? 'http://gpsim.test').replace(/\/+$/, '');
  const engine = new Engine({
    estate: {
      seed: resolved.seed,
      practices: resolved.practices,
      patientsPerPractice: resolved.patientsPerPractice,
      populationDate: resolved.populationDate,
    },
    store: openEmbeddedStore(resolved.store, resolved.dataDir),
    logger: createLogger(resolved.logLevel),
    version: gpsimVersion(),
    journalCapacity: resolved.journalCap,
    patientCacheSize: resolved.patientCache,
    recordCacheSize: resolved.recordCache,
    launch: { lenient: resolved.launchLenient, autoApprove: resolved.launchAutoApprove },
    strict: resolved.strict,
  });
  engine.nodes = [{ name: 's11', url: baseUrl }];
  const app = createApp(engine);
  const handler = http.all(`${baseUrl}/*`, ({ request }) => answer(app, request));
  return {
    handlers: [handler],
    engine,
    app,
    baseUrl,
    close: async () => {
      await engine.release();
      await engine.store.close();
    },
  };
}

async function answer(app: GpsimApp, request: Request): Promise<Response> {
  const url = new URL(request.url);
  const match = app.dispatcher.match(request.method, url.pathname);
  const headers: Record<string, string> = {};
  request.headers.forEach((value, name) => {
    headers[name.toLowerCase()] = value;
  });
  const simRequest: SimRequest = {
    method: request.method,
    path: url.pathname,
    query: url.searchParams,
    headers,
    body: Buffer.alloc(0),
    params: {},
    node: 's11',
    remoteAddress: '127.0.0.1',
    traceId: traceIdFrom(headers),
    annotations: {},
  };
  if (match.streamBody && request.body) {
    simRequest.bodyStream = Readable.fromWeb(request.body as WebReadableStream);
  } else {
    const body = Buffer.from(await request.arrayBuffer());
    if (body.length > match.maxBodyBytes) {
      return toResponse(
        app.dispatcher.reject(
          simRequest,
          match,
          new SimError(
            'payload-too-large',
            `The request body exceeds the ${match.maxBodyBytes} byte limit of this endpoint.`,
          ),
        ),
        request,
      );
    }
    simRequest.body = body;
  }
  return toResponse(await app.dispatcher.handle(simRequest, match), request);
}

function toResponse(response: SimResponse, request: Request): Response | Promise<Response> {
  if (response.transportAction === 'reset') return HttpResponse.error();
  if (response.transportAction === 'hang') {
    // Like a server that never answers: settle only when the caller gives up.
    return new Promise((_resolve, reject) =>
      request.signal.addEventListener('abort', () => reject(request.signal.reason)),
    );
  }
  const body = response.body;
  const payload =
    body === undefined || request.method === 'HEAD'
      ? null
      : body instanceof Readable
        ? (Readable.toWeb(body) as unknown as ReadableStream<Uint8Array>)
        : typeof body === 'string'
          ? body
          : new Uint8Array(body);
  return new HttpResponse(payload, { status: response.status, headers: response.headers ?? {} });
}
