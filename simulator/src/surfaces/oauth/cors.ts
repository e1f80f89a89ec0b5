import type { Middleware } from '../../transport/types';

/** Surfaces a browser SMART app calls from its own origin: discovery, token, JWKS, FHIR. */
const corsSurfaces: ReadonlySet<string> = new Set(['oauth', 'fhir-r4']);

/**
 * CORS for browser-based SMART apps (e.g. fhirclient in a page on localhost:3000): they fetch the
 * SMART configuration, exchange the code and read FHIR cross-origin. Tokens travel in the
 * Authorization header, never in cookies, so any origin may call.
 */
export function smartCors(): Middleware {
  return async (request, next) => {
    if (!corsSurfaces.has(request.surface.name)) return next();
    const origin = request.headers['origin'];
    if (request.method === 'OPTIONS' && origin !== undefined) {
      return {
        status: 204,
        headers: {
          'Access-Control-Allow-Origin': '*',
          'Access-Control-Allow-Methods': 'GET, POST, OPTIONS',
          'Access-Control-Allow-Headers':
            request.headers['access-control-request-headers'] ?? 'Authorization, Content-Type, Accept',
          'Access-Control-Max-Age': '600',
        },
      };
    }
    const response = await next();
    return {
      ...response,
      headers: {
        ...response.headers,
        'Access-Control-Allow-Origin': '*',
        'Access-Control-Expose-Headers': 'WWW-Authenticate, Location',
      },
    };
  };
}
