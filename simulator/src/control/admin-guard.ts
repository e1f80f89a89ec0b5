import { createHash, timingSafeEqual } from 'node:crypto';
import type { control } from '@gpsim/contracts';
import { jsonResponse } from '../transport/json';
import type { Middleware, Route, SimRequest, SimResponse } from '../transport/types';

export const ADMIN_TOKEN_HEADER = 'x-gpsim-admin-token';
export const ADMIN_COOKIE = 'gpsim_admin';
const MAX_SESSION_BODY_BYTES = 4096;

/**
 * Who may steer the simulator. On loopback (the default) anyone who can reach gpsim already sits at
 * the machine, so the control API stays open. Bound to another interface, the control API can reset
 * the estate and read every message, so each call but the health check must carry the admin token,
 * in the X-Gpsim-Admin-Token header or in the cookie POST /__sim/session sets for the web console.
 */
export class AdminAccess {
  private readonly tokenDigest: Buffer | undefined;

  /** `token` undefined: no token is required (loopback). */
  constructor(token: string | undefined) {
    this.tokenDigest = token === undefined ? undefined : digest(token);
  }

  get required(): boolean {
    return this.tokenDigest !== undefined;
  }

  /** Constant-time: hashing first makes both sides the same length whatever was sent. */
  matches(candidate: string): boolean {
    return this.tokenDigest !== undefined && timingSafeEqual(digest(candidate), this.tokenDigest);
  }

  /** Refuses control API calls without the right token (401 when absent, 403 when wrong). */
  guard(): Middleware {
    return async (request, next) => {
      if (!this.required || request.surface.name !== 'control' || isOpen(request)) return next();
      const presented = request.headers[ADMIN_TOKEN_HEADER] ?? cookie(request, ADMIN_COOKIE);
      if (presented === undefined || presented === '') return tokenRequired();
      if (!this.matches(presented)) return tokenRefused();
      return next();
    };
  }

  /** POST /__sim/session {"token"}: checks the token and keeps it in an HttpOnly cookie for the console. */
  sessionRoute(): Route {
    return {
      method: 'POST',
      path: '/__sim/session',
      maxBodyBytes: MAX_SESSION_BODY_BYTES,
      handler: (request) => {
        if (!this.required) return jsonResponse(200, { status: 'open', tokenRequired: false });
        const token = tokenFromBody(request);
        if (token === undefined) return tokenRequired();
        if (!this.matches(token)) return tokenRefused();
        const secure = request.headers['x-forwarded-proto'] === 'https' ? '; Secure' : '';
        return jsonResponse(
          200,
          { status: 'authenticated', tokenRequired: true },
          { 'Set-Cookie': `${ADMIN_COOKIE}=${encodeURIComponent(token)}; HttpOnly; SameSite=Strict; Path=/${secure}` },
        );
      },
    };
  }
}

/** Reachable without the token: the health check (load balancers, container probes) and the login itself. */
function isOpen(request: SimRequest): boolean {
  return (
    (request.method === 'GET' && request.path === '/__sim/health') ||
    (request.method === 'POST' && request.path === '/__sim/session')
  );
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}

function cookie(request: SimRequest, name: string): string | undefined {
  for (const part of (request.headers['cookie'] ?? '').split(';')) {
    const at = part.indexOf('=');
    if (at !== -1 && part.slice(0, at).trim() === name) {
      try {
        return decodeURIComponent(part.slice(at + 1).trim());
      } catch {
        return part.slice(at + 1).trim();
      }
    }
  }
  return undefined;
}

function tokenFromBody(request: SimRequest): string | undefined {
  try {
    const body = JSON.parse(request.body.toString('utf8')) as unknown;
    const token = (body as { token?: unknown } | null)?.token;
    return typeof token === 'string' && token !== '' ? token : undefined;
  } catch {
    return undefined;
  }
}

function tokenRequired(): SimResponse {
  return jsonResponse(401, {
    error: {
      code: 'ADMIN_TOKEN_REQUIRED',
      message:
        'gpsim listens beyond loopback, so the control API needs the admin token: send it in the ' +
        'X-Gpsim-Admin-Token header, or POST {"token": "..."} to /__sim/session for a console cookie. ' +
        'The token is the --admin-token (GPSIM_ADMIN_TOKEN) gpsim was started with, or the one it printed at start.',
    },
  } satisfies control.ControlError);
}

function tokenRefused(): SimResponse {
  return jsonResponse(403, {
    error: {
      code: 'ADMIN_TOKEN_INVALID',
      message: 'The admin token is not the one gpsim was started with (--admin-token / GPSIM_ADMIN_TOKEN).',
    },
  } satisfies control.ControlError);
}
