import type { SimClock } from '../domain/clock';
import type { Middleware, Next, SimResponse } from '../transport/types';
import { bodyBytes, malformedBody, pacedBody, truncatedBody } from './body-shaping';
import type { FaultEngine } from './fault-engine';
import type { FaultPlan } from './fault-plan';
import { oneOffPlan } from './one-off-scenarios';

/** No answer at all: the transport hangs or resets; the journal records status 0. */
const NO_ANSWER = 0;

/**
 * The one place faults reach HTTP traffic: every surface but the control API, through the
 * surface's own error renderer (a thrown SimError), never through `if`s in handlers.
 */
export function faultMiddleware(faults: FaultEngine, clock: SimClock): Middleware {
  return async (request, next) => {
    const now = clock.now();
    if (faults.hasExpired(now)) await faults.tick(now);
    else faults.syncSpine(now);
    // The control API is never faulted, so a test can always clear what it set.
    if (request.surface.name === 'control') return next();
    if (faults.isNodeDown(request.node, now)) return { status: NO_ANSWER, transportAction: 'reset' };
    const oneOff = request.headers['x-gpsim-scenario'];
    const plan = oneOff === undefined ? faults.plan(request, now) : oneOffPlan(oneOff);
    if (plan === undefined) return next();
    // The delay is waited for here, before applyPlan's frame exists: a request parked on a timer keeps
    // as little alive as possible, since every parked request is work for the garbage collector.
    if (plan.delayMs > 0 && (await faults.sleep(plan.delayMs)) === 'aborted') {
      return { status: NO_ANSWER, transportAction: 'reset' };
    }
    return applyPlan(plan, faults, next);
  };
}

/** Everything a plan does once its delay has passed. */
async function applyPlan(plan: FaultPlan, faults: FaultEngine, next: Next): Promise<SimResponse> {
  const terminal = plan.terminal;
  if (terminal !== undefined) {
    switch (terminal.kind) {
      case 'error':
        throw terminal.error;
      case 'hang':
        return { status: NO_ANSWER, transportAction: 'hang' };
      case 'reset':
        return { status: NO_ANSWER, transportAction: 'reset' };
    }
  }
  const started = performance.now();
  const response = await next();
  const floorMs = (plan.replyFloorMs ?? 0) - (performance.now() - started);
  if (floorMs > 0 && (await faults.sleep(floorMs)) === 'aborted') {
    return { status: NO_ANSWER, transportAction: 'reset' };
  }
  const headers = { ...plan.headers, ...response.headers };
  const shaping = plan.body;
  if (shaping === undefined || response.body === undefined || response.transportAction !== undefined) {
    return { ...response, headers };
  }
  switch (shaping.kind) {
    case 'truncate': {
      const bytes = await bodyBytes(response.body);
      return {
        ...response,
        headers: { ...headers, 'Content-Length': String(bytes.length) },
        body: truncatedBody(bytes, shaping.fraction),
      };
    }
    case 'malformed':
      return { ...response, headers, body: malformedBody(await bodyBytes(response.body)) };
    case 'pace': {
      const known = typeof response.body === 'string' || Buffer.isBuffer(response.body);
      const length = known ? Buffer.byteLength(response.body as string | Buffer) : undefined;
      return {
        ...response,
        headers: length === undefined ? headers : { ...headers, 'Content-Length': String(length) },
        body: pacedBody(response.body, shaping.pace),
      };
    }
  }
}
