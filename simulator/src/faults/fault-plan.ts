import type { control } from '@gpsim/contracts';
import type { SimErrorCode } from '../domain/errors';
import { SimError, simErrorCodes } from '../domain/errors';
import { normalDraw, uniformDraw } from './fault-random';
import type { PaceOptions } from './body-shaping';
import { WIRE_BYTES_PER_BODY_BYTE, networkProfiles } from './network-profiles';

/** What the fault middleware does to one request, built from every rule that fired. */
export interface FaultPlan {
  /** Added before the request reaches its handler (latency, a network profile's round trip). */
  delayMs: number;
  /** Answer without calling the handler. */
  terminal?: { kind: 'error'; error: SimError } | { kind: 'hang' } | { kind: 'reset' };
  /** The reply waits until this long after the handler started (a network profile's set-up). */
  replyFloorMs?: number;
  /** Reshape the handler's response body. */
  body?: { kind: 'truncate'; fraction: number } | { kind: 'malformed' } | { kind: 'pace'; pace: PaceOptions };
  /** Extra response headers (rate-limit quota of a request that passed). */
  headers: Record<string, string>;
}

/** Which part of a plan a fault kind fills; the newest firing rule wins each stage. */
export type FaultStage = 'delay' | 'terminal' | 'body' | 'state';

export function stageOf(kind: control.FaultKind): FaultStage {
  switch (kind) {
    case 'latency':
      return 'delay';
    case 'status':
    case 'rate-limit':
    case 'maintenance':
    case 'timeout':
    case 'reset':
      return 'terminal';
    case 'truncate':
    case 'malformed':
    case 'dribble':
    case 'network':
    case 'practice-line':
      return 'body';
    case 'node-down':
    case 'spine-down':
    case 'hscn-unreachable':
    case 'token-expiry':
      return 'state';
  }
}

export function emptyPlan(): FaultPlan {
  return { delayMs: 0, headers: {} };
}

/** The delay of one latency draw: fixed, uniform or log-normal, seeded by (rule seed, ordinal). */
export function latencyMs(fault: Extract<control.Fault, { kind: 'latency' }>, seed: string, ordinal: number): number {
  switch (fault.dist ?? 'fixed') {
    case 'fixed':
      return fault.ms ?? 0;
    case 'uniform': {
      const min = fault.minMs ?? 0;
      return Math.round(min + uniformDraw(seed, ordinal, 'latency') * ((fault.maxMs ?? min) - min));
    }
    case 'lognormal': {
      const drawn = (fault.medianMs ?? 0) * Math.exp((fault.sigma ?? 0) * normalDraw(seed, ordinal, 'latency'));
      return Math.round(Math.min(drawn, fault.maxMs ?? 60_000));
    }
  }
}

const statusCodes: Record<number, SimErrorCode> = {
  400: 'invalid-request',
  401: 'unauthorised',
  403: 'forbidden',
  404: 'not-found',
  405: 'method-not-allowed',
  406: 'not-acceptable',
  409: 'conflict',
  413: 'payload-too-large',
  415: 'unsupported-media-type',
  422: 'invalid-resource',
  429: 'rate-limited',
  501: 'not-implemented',
  503: 'unavailable',
};

export function isSimErrorCode(code: string): code is SimErrorCode {
  return (simErrorCodes as readonly string[]).includes(code);
}

/** The domain error a status fault raises: its code, else the closest code for the status. */
export function statusError(fault: Extract<control.Fault, { kind: 'status' }>, origin: string): SimError {
  const code =
    fault.code !== undefined && isSimErrorCode(fault.code)
      ? fault.code
      : (statusCodes[fault.status] ?? (fault.status < 500 ? 'invalid-request' : 'internal'));
  return new SimError(code, fault.message ?? `${origin} answered ${fault.status} on purpose.`, {
    status: fault.status,
  });
}

export function maintenanceError(retryAfterS: number, origin: string): SimError {
  return new SimError(
    'unavailable',
    `The service is down for maintenance (${origin}); retry after ${retryAfterS} seconds.`,
    { headers: { 'Retry-After': String(retryAfterS) } },
  );
}

/** SSP throttling headers (SSP implementation guide: X-Rate-Limit-Limit/-Remaining/-Reset, seconds). */
export function rateLimitHeaders(limit: number, remaining: number, resetS: number): Record<string, string> {
  return {
    'X-Rate-Limit-Limit': String(limit),
    'X-Rate-Limit-Remaining': String(Math.max(0, remaining)),
    'X-Rate-Limit-Reset': String(resetS),
  };
}

export function rateLimitedError(limit: number, windowS: number, resetS: number, origin: string): SimError {
  return new SimError(
    'rate-limited',
    `Too many requests: the quota is ${limit} per ${windowS} s (${origin}); retry after ${resetS} seconds with back-off.`,
    { headers: { 'Retry-After': String(resetS), ...rateLimitHeaders(limit, 0, resetS) } },
  );
}

/** The body reshaping of a dribble or network fault. */
export function paceOf(fault: Extract<control.Fault, { kind: 'dribble' | 'network' }>): {
  pace: PaceOptions;
  delayMs: number;
  replyFloorMs: number;
} {
  if (fault.kind === 'dribble') {
    return {
      pace: { chunkBytes: fault.chunkBytes ?? 64, intervalMs: fault.intervalMs ?? 200 },
      delayMs: 0,
      replyFloorMs: 0,
    };
  }
  const profile = networkProfiles[fault.profile];
  // The body's XML bytes travel compressed, so they pass at the link rate divided by the wire ratio.
  const bitsPerSecond = profile.bitsPerSecond / WIRE_BYTES_PER_BODY_BYTE;
  // About fifty pauses a second: smooth enough to feel like a slow link, cheap on timers.
  const chunkBytes = Math.max(256, Math.round(bitsPerSecond / 8 / 50));
  return { pace: { chunkBytes, bitsPerSecond }, delayMs: profile.latencyMs, replyFloorMs: profile.setupMs };
}
