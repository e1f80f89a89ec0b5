import type { Engine } from '../../engine';
import type { Middleware } from '../../transport/types';

/** Surfaces a browser SMART app calls from its own origin: discovery, token, JWKS, FHIR. */
const corsSurfaces: ReadonlySet<string> = new Set(['oauth', 'fhir-r4']);

const LOOPBACK_ORIGIN = /^https?:\/\/(localhost|127\.\d{1,3}\.\d{1,3}\.\d{1,3}|\[::1\])(:\d{1,5})?$/;

/**
 * CORS for browser-based SMART apps (e.g. fhirclient in a page on localhost:3000): they fetch the
 * SMART configuration, exchange the code and read FHIR cross-origin. Only origins gpsim knows are
 * allowed: its own (the web console) and those of registered launch apps (launch page and redirect
 * URIs). With --launch-lenient any app on this machine may register implicitly, so loopback origins
 * are allowed too. Other origins get no CORS headers, and the browser keeps the answer from them.
 */
export function smartCors(engine: Engine): Middleware {
  return async (request, next) => {
    if (!corsSurfaces.has(request.surface.name)) return next();
    const origin = request.headers['origin'];
    const allowed = origin !== undefined && isAllowedOrigin(engine, origin);
    if (request.method === 'OPTIONS' && origin !== undefined) {
      if (!allowed) return { status: 204, headers: { Vary: 'Origin' } };
      return {
        status: 204,
        headers: {
          'Access-Control-Allow-Origin': origin,
          'Access-Control-Allow-Methods': 'GET, POST, OPTIONS',
          'Access-Control-Allow-Headers':
            request.headers['access-control-request-headers'] ?? 'Authorization, Content-Type, Accept',
          'Access-Control-Max-Age': '600',
          Vary: 'Origin',
        },
      };
    }
    const response = await next();
    if (!allowed) return { ...response, headers: { ...response.headers, Vary: 'Origin' } };
    return {
      ...response,
      headers: {
        ...response.headers,
        'Access-Control-Allow-Origin': origin,
        'Access-Control-Expose-Headers': 'WWW-Authenticate, Location',
        Vary: 'Origin',
      },
    };
  };
}

export function isAllowedOrigin(engine: Engine, origin: string): boolean {
  if (engine.auth.options.lenient && LOOPBACK_ORIGIN.test(origin)) return true;
  const known = new Set<string>();
  for (const node of engine.nodes) known.add(originOf(node.url));
  for (const client of engine.auth.clients()) {
    for (const url of [client.launchUrl, ...client.redirectUris]) if (url !== undefined) known.add(originOf(url));
  }
  known.delete('');
  return known.has(origin);
}

function originOf(url: string): string {
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? parsed.origin : '';
  } catch {
    return '';
  }
}
