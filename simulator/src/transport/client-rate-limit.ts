import { SimError } from '../domain/errors';
import type { Middleware } from './types';

/** Client addresses tracked at once; the least recently seen are dropped past this, so memory stays bounded. */
const MAX_TRACKED_CLIENTS = 10_000;

/**
 * A per-client-address request budget (--client-rate-limit, off by default), so one runaway test
 * loop cannot starve the other users of a shared gpsim. Refusals are 429 with Retry-After, rendered
 * in the called surface's dialect. The health check is never counted, so probes keep working.
 */
export function clientRateLimit(requestsPerSecond: number): Middleware {
  const windows = new Map<string, { second: number; count: number }>();
  return async (request, next) => {
    if (requestsPerSecond <= 0 || request.path === '/__sim/health') return next();
    const client = request.remoteAddress;
    const second = Math.floor(performance.now() / 1000);
    const window = windows.get(client);
    const count = window?.second === second ? window.count + 1 : 1;
    windows.delete(client);
    windows.set(client, { second, count });
    if (windows.size > MAX_TRACKED_CLIENTS) windows.delete(windows.keys().next().value as string);
    if (count > requestsPerSecond) {
      throw new SimError(
        'rate-limited',
        `Client ${client} sent more than ${requestsPerSecond} requests in one second, the limit this gpsim was ` +
          'started with (--client-rate-limit); retry after 1 second.',
        { status: 429, headers: { 'Retry-After': '1' } },
      );
    }
    return next();
  };
}
