import { createHmac, timingSafeEqual } from 'node:crypto';
import { SimError } from '../errors';

/** How far the token's timestamp may be from the (simulated) server time: MESH allows 2 hours. */
export const MAX_TOKEN_SKEW_MS = 2 * 60 * 60 * 1000;

export interface AuthToken {
  mailbox: string;
  nonce: string;
  nonceCount: string;
  timestamp: string;
  hmac: string;
}

/**
 * `NHSMESH <mailbox>:<nonce>:<nonce_count>:<yyyyMMddHHmm>:<hex HMAC-SHA256>` (MESH API spec,
 * Authentication). Any unreadable header is refused with 403, as MESH does.
 */
export function parseAuthToken(header: string | undefined): AuthToken {
  const match = /^NHSMESH ([^:]+):([^:]+):([^:]+):(\d{12}):([0-9a-fA-F]{64})$/.exec((header ?? '').trim());
  if (!match) {
    throw new SimError(
      'forbidden',
      'Error reading from Authorization header: send "NHSMESH mailbox:nonce:nonce_count:yyyyMMddHHmm:hmac" (HMAC-SHA256 hex).',
      { field: 'authorization' },
    );
  }
  const [, mailbox = '', nonce = '', nonceCount = '', timestamp = '', hmac = ''] = match;
  return { mailbox, nonce, nonceCount, timestamp, hmac };
}

/** The HMAC over `mailbox:nonce:nonce_count:password:timestamp`, keyed by the environment shared secret. */
export function tokenHmac(sharedSecret: string, token: Omit<AuthToken, 'hmac'>, password: string): string {
  return createHmac('sha256', sharedSecret)
    .update(`${token.mailbox}:${token.nonce}:${token.nonceCount}:${password}:${token.timestamp}`)
    .digest('hex');
}

export function hmacMatches(expected: string, given: string): boolean {
  const a = Buffer.from(expected.toLowerCase(), 'utf8');
  const b = Buffer.from(given.toLowerCase(), 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The token time (yyyyMMddHHmm UTC) in epoch ms, or NaN when it is not a real time. */
export function tokenTime(timestamp: string): number {
  const iso = `${timestamp.slice(0, 4)}-${timestamp.slice(4, 6)}-${timestamp.slice(6, 8)}T${timestamp.slice(8, 10)}:${timestamp.slice(10, 12)}:00Z`;
  return Date.parse(iso);
}
