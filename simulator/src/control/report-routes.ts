import { SimError } from '../domain/errors';
import type { Engine } from '../engine';
import { jsonResponse } from '../transport/json';
import type { Route, SimRequest, SimResponse } from '../transport/types';
import { buildClientReports, buildTimeline, toHtml, toJunit } from './client-report';

/**
 * GET /__sim/report: per client, how it behaved against the faults it met, and the run over time
 * (JSON, ?format=junit or ?format=html).
 */
export function reportRoutes(engine: Engine): Route[] {
  return [{ method: 'GET', path: '/__sim/report', handler: (request) => report(engine, request) }];
}

async function report(engine: Engine, request: SimRequest): Promise<SimResponse> {
  const format = request.query.get('format') ?? 'json';
  if (format !== 'json' && format !== 'junit' && format !== 'html') {
    throw new SimError('invalid-parameter', 'format must be json, junit or html.', { field: 'format' });
  }
  const entries = await engine.journalEntries({ limit: engine.journal.capacity });
  const clients = buildClientReports(entries);
  if (format === 'junit') {
    return {
      status: 200,
      headers: { 'Content-Type': 'application/xml; charset=utf-8', 'Cache-Control': 'no-store' },
      body: toJunit(clients),
    };
  }
  if (format === 'html') {
    return {
      status: 200,
      headers: { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' },
      body: toHtml(clients),
    };
  }
  return jsonResponse(200, { journalEntries: entries.length, clients, timeline: buildTimeline(entries) });
}
