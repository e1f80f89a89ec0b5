import { SimError } from '../domain/errors';
import type { Engine } from '../engine';
import { jsonResponse } from '../transport/json';
import type { Route, SimRequest, SimResponse } from '../transport/types';
import { buildClientReports, toJunit } from './client-report';

/** GET /__sim/report: per client, how it behaved against the faults it met (JSON, or ?format=junit). */
export function reportRoutes(engine: Engine): Route[] {
  return [{ method: 'GET', path: '/__sim/report', handler: (request) => report(engine, request) }];
}

function report(engine: Engine, request: SimRequest): SimResponse {
  const format = request.query.get('format') ?? 'json';
  if (format !== 'json' && format !== 'junit') {
    throw new SimError('invalid-parameter', 'format must be json or junit.', { field: 'format' });
  }
  const entries = engine.journal.list({ limit: engine.journal.capacity });
  const clients = buildClientReports(entries);
  if (format === 'junit') {
    return {
      status: 200,
      headers: { 'Content-Type': 'application/xml; charset=utf-8', 'Cache-Control': 'no-store' },
      body: toJunit(clients),
    };
  }
  return jsonResponse(200, { journalEntries: entries.length, clients });
}
