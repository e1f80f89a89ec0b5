import { PassThrough } from 'node:stream';
import type { control } from '@gpsim/contracts';
import { SimError } from '../domain/errors';
import type { Engine } from '../engine';
import { jsonResponse } from '../transport/json';
import type { Route, SimRequest, SimResponse, SurfaceName } from '../transport/types';
import { surfaceNames } from '../transport/types';
import type { JournalEntry, JournalQuery } from './journal';
import { positiveInteger } from './query-params';

/** Open streams are cheap but not free; a console tab holds one. */
const MAX_STREAMS = 100;
/** A comment line this often keeps proxies and idle-timeouts from closing a quiet stream. */
const KEEP_ALIVE_MS = 15_000;
/** Entries replayed to a stream that reconnects with Last-Event-ID (or asks for a backlog). */
const MAX_REPLAY = 500;

/**
 * GET /__sim/journal (a page), /__sim/journal/stream (the same entries live, as Server-Sent
 * Events) and /__sim/journal/{seq} (one request's headers and bodies, secrets masked).
 */
export function journalRoutes(engine: Engine): Route[] {
  return [
    { method: 'GET', path: '/__sim/journal', handler: (request) => page(engine, request) },
    { method: 'GET', path: '/__sim/journal/stream', handler: (request) => stream(engine, request) },
    {
      method: 'GET',
      path: '/__sim/journal/:seq',
      handler: (request) => {
        const seq = positiveInteger(request.params.seq ?? '', 'seq', Number.MAX_SAFE_INTEGER);
        const found = engine.journal.get(seq);
        if (!found) {
          throw new SimError(
            'not-found',
            `Request ${seq} is no longer in the journal (it keeps the newest ${engine.journal.capacity}).`,
          );
        }
        const { seq: _seq, ...detail } = found.detail ?? {};
        return jsonResponse(200, { ...found.entry, ...(found.detail ? { detail } : {}) });
      },
    },
  ];
}

function filters(engine: Engine, request: SimRequest): JournalQuery {
  const query: JournalQuery = {};
  const surface = request.query.get('surface');
  if (surface !== null) {
    if (!(surfaceNames as readonly string[]).includes(surface)) {
      throw new SimError('invalid-parameter', `surface must be one of ${surfaceNames.join(', ')}.`, {
        field: 'surface',
      });
    }
    query.surface = surface as SurfaceName;
  }
  const status = request.query.get('status');
  if (status !== null) {
    if (/^[1-5]xx$/i.test(status)) query.statusClass = Number(status[0]);
    else if (/^[1-5]\d\d$/.test(status)) query.status = Number(status);
    else
      throw new SimError('invalid-parameter', 'status must be a status code (404) or a class (4xx).', {
        field: 'status',
      });
  }
  const client = request.query.get('client');
  if (client !== null) {
    if (client.length === 0 || client.length > 200)
      throw new SimError('invalid-parameter', 'client must be 1 to 200 characters.', { field: 'client' });
    query.clientId = client;
  }
  const since = request.query.get('since');
  if (since !== null) {
    if (/^\d+$/.test(since)) query.sinceSeq = Number(since);
    else if (!Number.isNaN(Date.parse(since))) query.sinceTime = Date.parse(since);
    else
      throw new SimError('invalid-parameter', 'since must be a sequence number or an ISO 8601 time.', {
        field: 'since',
      });
  }
  const limit = request.query.get('limit');
  if (limit !== null) query.limit = positiveInteger(limit, 'limit', engine.journal.capacity);
  return query;
}

/** Every replica's requests when several share the store (the live stream shows this process's). */
async function page(engine: Engine, request: SimRequest): Promise<SimResponse> {
  const query = filters(engine, request);
  const body: control.JournalPage = {
    entries: await engine.journalEntries(query),
    lastSeq: await engine.journalLastSeq(),
    capacity: engine.journal.capacity,
  };
  return jsonResponse(200, body);
}

/**
 * Server-Sent Events (WHATWG HTML §9.2): one `entry` event per request, its sequence number as the
 * event id, so a browser's EventSource that reconnects sends Last-Event-ID and misses nothing the
 * journal still holds.
 */
function stream(engine: Engine, request: SimRequest): SimResponse {
  const query = filters(engine, request);
  if (engine.journal.subscribers >= MAX_STREAMS) {
    throw new SimError('unavailable', `Too many open journal streams (${MAX_STREAMS}); close a console tab.`, {
      headers: { 'Retry-After': '5' },
    });
  }
  const lastEventId = request.headers['last-event-id'];
  const resumeFrom = lastEventId !== undefined && /^\d+$/.test(lastEventId) ? Number(lastEventId) : undefined;
  const body = new PassThrough();
  const send = (entry: JournalEntry) => {
    if (engine.journal.matches(entry, query))
      body.write(`id: ${entry.seq}\nevent: entry\ndata: ${JSON.stringify(entry)}\n\n`);
  };
  body.write('retry: 2000\n\n');
  const backlog = resumeFrom ?? query.sinceSeq;
  if (backlog !== undefined || query.limit !== undefined) {
    const { limit: _limit, ...filter } = query;
    const replay = engine.journal.list({
      ...filter,
      ...(backlog === undefined ? {} : { sinceSeq: backlog }),
      limit: Math.min(query.limit ?? MAX_REPLAY, MAX_REPLAY),
    });
    for (const entry of replay) send(entry);
  }
  const unsubscribe = engine.journal.subscribe(send, () => body.end());
  const keepAlive = setInterval(() => body.write(': keep-alive\n\n'), KEEP_ALIVE_MS);
  keepAlive.unref();
  body.once('close', () => {
    clearInterval(keepAlive);
    unsubscribe();
  });
  return {
    status: 200,
    headers: {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-store',
      'X-Accel-Buffering': 'no',
    },
    body,
  };
}
