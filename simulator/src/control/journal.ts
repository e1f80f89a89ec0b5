import type { Middleware, SimRequest } from '../transport/types';
import type { SurfaceName } from '../transport/types';
import type { SimClock } from '../domain/clock';
import type { ExchangeDetail } from './exchange-detail';
import { captureExchange } from './exchange-detail';

export interface JournalEntry {
  seq: number;
  /** Simulated time the request arrived (ISO 8601). */
  time: string;
  node: string;
  surface: SurfaceName;
  method: string;
  path: string;
  query: string;
  status: number;
  latencyMs: number;
  clientId: string | undefined;
  traceId: string;
  ods: string | undefined;
  interaction: string | undefined;
  /** The Retry-After the response asked for (seconds), so the report can tell whether it was honoured. */
  retryAfterS?: number;
  /** What makes a retried write safe: Idempotency-Key, X-Request-ID, mex-localid or SystmOne RequestUID. */
  idempotencyKey?: string;
}

export interface JournalQuery {
  limit?: number;
  /** Only entries with a sequence number above this. */
  sinceSeq?: number;
  /** Only entries at or after this simulated time (epoch ms). */
  sinceTime?: number;
  surface?: SurfaceName;
  /** An exact status (404) or a class (4 for 4xx). */
  status?: number;
  statusClass?: number;
  clientId?: string;
}

export type JournalListener = (entry: JournalEntry) => void;

/** Headers and bodies are kept for this many of the newest requests only: they are the heavy part. */
const DETAIL_CAPACITY = 500;

const MAX_QUERY_CHARS = 512;

/**
 * The request journal: a ring buffer of the last `capacity` requests. Memory is fixed by the cap
 * however long gpsim runs; sequence numbers keep growing so readers can page with `since`.
 */
export class Journal {
  private readonly entries: (JournalEntry | undefined)[];
  private readonly details: (ExchangeDetail | undefined)[];
  private readonly listeners = new Map<JournalListener, () => void>();
  private nextSeq = 1;

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1)
      throw new RangeError('journal capacity must be a positive integer');
    this.entries = new Array<JournalEntry | undefined>(capacity);
    this.details = new Array<ExchangeDetail | undefined>(Math.min(capacity, DETAIL_CAPACITY));
  }

  record(entry: Omit<JournalEntry, 'seq'>, detail?: ExchangeDetail): JournalEntry {
    const full: JournalEntry = { seq: this.nextSeq++, ...entry };
    this.entries[(full.seq - 1) % this.capacity] = full;
    this.details[(full.seq - 1) % this.details.length] =
      detail === undefined ? undefined : { ...detail, seq: full.seq };
    for (const listener of this.listeners.keys()) listener(full);
    return full;
  }

  /**
   * Calls the listener with every entry recorded from now on; returns how to stop. `end` is called
   * if the journal ends every subscription (at shutdown), so open streams let the server close.
   */
  subscribe(listener: JournalListener, end: () => void = () => undefined): () => void {
    this.listeners.set(listener, end);
    return () => this.listeners.delete(listener);
  }

  endSubscriptions(): void {
    const ends = [...this.listeners.values()];
    this.listeners.clear();
    for (const end of ends) end();
  }

  get subscribers(): number {
    return this.listeners.size;
  }

  /** One request's entry with its (masked) headers and bodies, while it is still among the newest kept. */
  get(seq: number): { entry: JournalEntry; detail: ExchangeDetail | undefined } | undefined {
    if (seq < 1 || seq >= this.nextSeq || seq <= this.nextSeq - 1 - this.capacity) return undefined;
    const entry = this.entries[(seq - 1) % this.capacity];
    if (!entry) return undefined;
    const detail = this.details[(seq - 1) % this.details.length];
    return { entry, detail: detail?.seq === seq ? detail : undefined };
  }

  matches(entry: JournalEntry, query: JournalQuery): boolean {
    return matches(entry, query);
  }

  /** Entries matching the query, oldest first. */
  list(query: JournalQuery = {}): JournalEntry[] {
    const limit = Math.min(query.limit ?? 100, this.capacity);
    const newest = this.nextSeq - 1;
    const oldest = Math.max(1, newest - this.capacity + 1, (query.sinceSeq ?? 0) + 1);
    const found: JournalEntry[] = [];
    // Walk newest to oldest so `limit` keeps the most recent matches, then reverse.
    for (let seq = newest; seq >= oldest && found.length < limit; seq--) {
      const entry = this.entries[(seq - 1) % this.capacity];
      if (!entry || !matches(entry, query)) continue;
      found.push(entry);
    }
    return found.reverse();
  }

  get size(): number {
    return Math.min(this.nextSeq - 1, this.capacity);
  }

  get lastSeq(): number {
    return this.nextSeq - 1;
  }
}

function matches(entry: JournalEntry, query: JournalQuery): boolean {
  if (query.surface !== undefined && entry.surface !== query.surface) return false;
  if (query.status !== undefined && entry.status !== query.status) return false;
  if (query.statusClass !== undefined && Math.floor(entry.status / 100) !== query.statusClass) return false;
  if (query.sinceTime !== undefined && Date.parse(entry.time) < query.sinceTime) return false;
  if (query.clientId !== undefined && entry.clientId !== query.clientId) return false;
  return true;
}

/** Where the middleware writes: this process's journal, or one shared with other processes. */
export interface JournalSink {
  record(entry: Omit<JournalEntry, 'seq'>, detail?: ExchangeDetail): unknown;
}

/** Records every request that passes through the dispatcher. */
export function journalMiddleware(journal: JournalSink, clock: SimClock): Middleware {
  return async (request, next) => {
    const started = process.hrtime.bigint();
    const time = clock.nowDate().toISOString();
    const response = await next();
    const latencyMs = Number(process.hrtime.bigint() - started) / 1e6;
    const query = request.query.toString();
    const detail = captureExchange(request, response);
    journal.record(
      {
        time,
        node: request.node,
        surface: request.surface.name,
        method: request.method,
        path: request.path,
        query: query.length > MAX_QUERY_CHARS ? `${query.slice(0, MAX_QUERY_CHARS)}…` : query,
        status: response.status,
        latencyMs: Math.round(latencyMs * 1000) / 1000,
        clientId: request.annotations.clientId ?? request.headers['x-client-id'],
        traceId: request.traceId,
        ods: request.annotations.ods,
        interaction: request.annotations.interaction,
        ...retryAfter(response.headers),
        ...idempotencyKey(request),
      },
      detail,
    );
    return response;
  };
}

function idempotencyKey(request: SimRequest): { idempotencyKey?: string } {
  const { headers } = request;
  const key =
    request.annotations.idempotencyKey ??
    headers['idempotency-key'] ??
    headers['x-request-id'] ??
    headers['mex-localid'];
  return key === undefined || key === '' ? {} : { idempotencyKey: key.slice(0, 200) };
}

function retryAfter(headers: Record<string, string> | undefined): { retryAfterS?: number } {
  const value = headers?.['Retry-After'] ?? headers?.['retry-after'];
  return value !== undefined && /^\d+$/.test(value) ? { retryAfterS: Number(value) } : {};
}
