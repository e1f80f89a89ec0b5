import { SimError } from '../domain/errors';
import type { Engine } from '../engine';
import type { Middleware, SimRequest } from '../transport/types';
import { SSP_MARK_HEADER, isAllowedSource } from './environment-profile';

const PARTNER_SURFACES = new Set(['systmone', 'emis']);
/** Applications tracked by the rate limiter at once; the oldest windows are dropped past this. */
const MAX_TRACKED_APPLICATIONS = 10_000;

/**
 * The integration profile's refusals, before any handler runs. Each says what the live environment
 * would require (domain.md §1 "SHALL only accept connections from the SSP"; §rate limits "5 TPS per
 * application"; the go-live guide's "IP ranges and whitelisting"). The sandbox profile passes all.
 */
export function integrationMiddleware(engine: Engine): Middleware {
  const windows = new Map<string, { second: number; count: number }>();
  return async (request, next) => {
    const profile = engine.environment;
    if (profile.name !== 'integration' || request.surface.name === 'control') return next();
    const viaSsp = request.headers[SSP_MARK_HEADER] === profile.sspMark;
    if (request.surface.name === 'gpconnect' && !viaSsp) {
      throw new SimError(
        'forbidden',
        'The integration profile, like the live environment, accepts GP Connect only through the Spine Secure Proxy: ' +
          'send the request to /ssp/{provider service root URL} with Ssp-From (your registered consumer ASID), ' +
          'Ssp-To, Ssp-InteractionID and Ssp-TraceID.',
        { status: 403 },
      );
    }
    if (
      PARTNER_SURFACES.has(request.surface.name) &&
      !isAllowedSource(request.remoteAddress, profile.partnerAllowList)
    ) {
      throw new SimError(
        'forbidden',
        `Source address ${request.remoteAddress} is not on the partner allow-list. The live environment accepts ` +
          'partner traffic only from IP ranges the supplier has whitelisted for your application; ' +
          'start gpsim with --partner-allow-list to add this address.',
        { status: 403 },
      );
    }
    // The SSP already counted the request it forwards.
    if (!viaSsp) {
      const application = applicationOf(request);
      const second = Math.floor(performance.now() / 1000);
      const window = windows.get(application);
      const count = window?.second === second ? window.count + 1 : 1;
      windows.delete(application);
      windows.set(application, { second, count });
      if (windows.size > MAX_TRACKED_APPLICATIONS) windows.delete(windows.keys().next().value as string);
      if (count > profile.rateLimitPerS) {
        throw new SimError(
          'rate-limited',
          `Application ${application} sent more than ${profile.rateLimitPerS} requests in one second. The live ` +
            `API platform limits each application (default 5 per second) and answers 429; retry after 1 second ` +
            'with back-off, or ask for a higher limit (start gpsim with --rate-limit).',
          { status: 429, headers: { 'Retry-After': '1' } },
        );
      }
    }
    return next();
  };
}

/** Who the rate limit counts: the declared client, the SSP sender ASID, the bearer token, else the address. */
function applicationOf(request: SimRequest): string {
  const declared = request.headers['x-client-id'] ?? request.headers['ssp-from'];
  if (declared !== undefined && declared !== '') return declared.slice(0, 200);
  const bearer = /^Bearer (\S+)$/.exec(request.headers['authorization'] ?? '')?.[1];
  const payload = bearer?.split('.')[1];
  if (payload !== undefined) {
    try {
      const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
      const id = claims['client_id'] ?? claims['iss'];
      if (typeof id === 'string') return id.slice(0, 200);
    } catch {
      // An unreadable token is the handler's to refuse; count it by address meanwhile.
    }
  }
  return request.remoteAddress;
}
