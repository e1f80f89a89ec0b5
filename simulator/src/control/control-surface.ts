import { control } from '@gpsim/contracts';
import type { SimErrorCode } from '../domain/errors';
import { SimError } from '../domain/errors';
import { addDuration } from '../domain/durations';
import type { Engine } from '../engine';
import { jsonResponse, parseJsonBody } from '../transport/json';
import type { Route, SimRequest, SimResponse, Surface } from '../transport/types';
import type { AdminAccess } from './admin-guard';
import { contractRoutes } from './contract-routes';
import { buildManifest, MANIFEST_PAGE_PRACTICES } from './manifest';
import { positiveInteger } from './query-params';
import { faultRoutes } from './fault-routes';
import { journalRoutes } from './journal-routes';
import { patientRoutes } from './patient-routes';

import { deviceRoutes } from './device-routes';
import { launchRoutes } from './launch-routes';
import { practiceRoutes } from './practice-routes';
import { subscriptionRoutes } from './subscription-routes';
import { taskRoutes } from './task-routes';

import { systmOneRoutes } from './systmone-routes';

import { reportRoutes } from './report-routes';
import { scenarioRoutes } from './scenario-routes';

/** HTTP status and machine code of each domain error on the control API. */
const statusTable: Record<SimErrorCode, [number, string]> = {
  'invalid-request': [400, 'invalid_request'],
  'invalid-parameter': [400, 'invalid_parameter'],
  'invalid-nhs-number': [400, 'invalid_nhs_number'],
  'invalid-identifier-system': [400, 'invalid_parameter'],
  'invalid-resource': [422, 'invalid_resource'],
  'not-found': [404, 'not_found'],
  'patient-not-found': [404, 'not_found'],
  'practice-not-found': [404, 'not_found'],
  'practitioner-not-found': [404, 'not_found'],
  'method-not-allowed': [405, 'method_not_allowed'],
  'unsupported-media-type': [415, 'unsupported_media_type'],
  'not-acceptable': [406, 'not_acceptable'],
  'payload-too-large': [413, 'payload_too_large'],
  conflict: [409, 'conflict'],
  duplicate: [409, 'conflict'],
  forbidden: [403, 'forbidden'],
  'consent-withheld': [403, 'forbidden'],
  unauthorised: [401, 'unauthorised'],
  'rate-limited': [429, 'rate_limited'],
  unavailable: [503, 'unavailable'],
  'not-implemented': [501, 'not_implemented'],
  internal: [500, 'internal_error'],
};

export function renderControlError(error: SimError): SimResponse {
  const [status, code] = statusTable[error.code];
  return jsonResponse(
    error.status ?? status,
    {
      error: { code, message: error.message, ...(error.field ? { field: error.field } : {}) },
    } satisfies control.ControlError,
    error.headers,
  );
}

/** The control API under /__sim: how tests and people learn and steer the estate. */
export function createControlSurface(engine: Engine, admin: AdminAccess): Surface {
  const routes: Route[] = [
    { method: 'GET', path: '/__sim/health', handler: (request) => health(engine, request) },
    admin.sessionRoute(),
    { method: 'GET', path: '/__sim/metrics', handler: () => metrics(engine) },
    { method: 'GET', path: '/__sim/fixtures', handler: (request) => fixtures(engine, request) },
    { method: 'POST', path: '/__sim/reset', handler: (request) => reset(engine, request) },
    { method: 'GET', path: '/__sim/clock', handler: () => jsonResponse(200, clockState(engine)) },
    { method: 'POST', path: '/__sim/clock', handler: (request) => changeClock(engine, request) },
    ...journalRoutes(engine),
    { method: 'GET', path: '/__sim/audit', handler: (request) => audit(engine, request) },
    ...practiceRoutes(engine),
    ...patientRoutes(engine),
    ...taskRoutes(engine),
    ...subscriptionRoutes(engine),

    ...systmOneRoutes(engine),

    ...faultRoutes(engine),
    ...scenarioRoutes(engine),
    ...reportRoutes(engine),
    ...contractRoutes(engine),

    ...launchRoutes(engine),
    ...deviceRoutes(engine),
  ];
  return {
    name: 'control',
    prefixes: ['/__sim'],
    routes,
    renderError: renderControlError,
    maxBodyBytes: 1024 * 1024,
  };
}

function health(engine: Engine, request: SimRequest): SimResponse {
  return jsonResponse(200, {
    status: 'ok',
    version: engine.version,
    seed: engine.population.estate.spec.seed,
    store: engine.store.kind,
    uptimeS: Math.round(engine.uptimeS * 10) / 10,
    node: request.node,
  } satisfies control.Health);
}

async function reset(engine: Engine, request: SimRequest): Promise<SimResponse> {
  const body = parseJsonBody(request, control.ResetRequest);
  const started = performance.now();
  await engine.reset(body.seed);
  return jsonResponse(200, {
    status: 'reset',
    seed: engine.population.estate.spec.seed,
    tookMs: Math.round((performance.now() - started) * 100) / 100,
  } satisfies control.ResetResult);
}

function clockState(engine: Engine): control.ClockState {
  const state = engine.clock.getState();
  return {
    now: engine.clock.nowDate().toISOString(),
    offsetMs: engine.clock.now() - Date.now(),
    frozen: state.frozenAt !== undefined,
  };
}

async function changeClock(engine: Engine, request: SimRequest): Promise<SimResponse> {
  const change = parseJsonBody(request, control.ClockChange);
  if (Object.keys(change).length === 0) {
    throw new SimError('invalid-request', 'Say how to move the clock: set, advance, freeze or reset.');
  }
  const { clock } = engine;
  if (change.reset) clock.reset();
  // Freeze before setting, so "set and freeze" stops exactly at the instant asked for.
  if (change.freeze === true) clock.freeze();
  if (change.set !== undefined) clock.set(Date.parse(change.set));
  if (change.advance !== undefined) {
    const from = clock.now();
    clock.advance(addDuration(from, change.advance, 'advance') - from);
  }
  if (change.freeze === false) clock.unfreeze();
  await engine.saveClock();
  return jsonResponse(200, clockState(engine));
}

async function fixtures(engine: Engine, request: SimRequest): Promise<SimResponse> {
  const practices = engine.population.practices.length;
  const offset = request.query.get('offset');
  const limit = request.query.get('limit');
  const page = {
    offset: offset === null ? 0 : positiveInteger(offset, 'offset', practices - 1, 0),
    limit: limit === null ? MANIFEST_PAGE_PRACTICES : positiveInteger(limit, 'limit', practices),
  };
  return jsonResponse(200, await buildManifest(engine, page));
}

async function audit(engine: Engine, request: SimRequest): Promise<SimResponse> {
  const limit = request.query.get('limit');
  const since = request.query.get('since');
  const events = await engine.auditEvents({
    ...(request.query.get('nhsNumber') ? { nhsNumber: request.query.get('nhsNumber') as string } : {}),
    ...(request.query.get('user') ? { user: request.query.get('user') as string } : {}),
    ...(request.query.get('surface') ? { surface: request.query.get('surface') as string } : {}),
    ...(request.query.get('action') ? { action: request.query.get('action') as string } : {}),
    ...(request.query.get('organisation') ? { organisation: request.query.get('organisation') as string } : {}),
    ...(request.query.get('device') ? { device: request.query.get('device') as string } : {}),
    ...(since !== null ? { sinceSeq: positiveInteger(since, 'since', Number.MAX_SAFE_INTEGER, 0) } : {}),
    limit: limit === null ? 100 : positiveInteger(limit, 'limit', 1000),
  });
  return jsonResponse(200, { events });
}

/** GET /__sim/metrics: Prometheus text exposition (scrape it during a load test). */
async function metrics(engine: Engine): Promise<SimResponse> {
  const { contentType, text } = await engine.metrics.render();
  return { status: 200, headers: { 'Content-Type': contentType, 'Cache-Control': 'no-store' }, body: text };
}
