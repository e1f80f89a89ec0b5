import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  GpsimApiError,
  GpsimNetworkError,
  ResilientTransport,
  describeErrorBody,
  parseRetryAfter,
} from '@gpsim/client';
import type { TransportOptions } from '@gpsim/client';

type Script = (request: IncomingMessage, response: ServerResponse, count: number) => void;

/** A local server whose answers a test scripts, counting what it received. */
async function scripted(
  script: Script,
): Promise<{ url: string; count: () => number; headers: IncomingMessage['headers'][]; close: () => Promise<void> }> {
  let count = 0;
  const headers: IncomingMessage['headers'][] = [];
  const server: Server = createServer((request, response) => {
    count += 1;
    headers.push(request.headers);
    request.resume();
    request.on('end', () => script(request, response, count));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    count: () => count,
    headers,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function answer(
  status: number,
  body: unknown = { ok: status < 400 },
  headers: Record<string, string> = {},
): (r: IncomingMessage, s: ServerResponse) => void {
  return (_request, response) => {
    response.writeHead(status, { 'Content-Type': 'application/json', ...headers });
    response.end(JSON.stringify(body));
  };
}

/** Fake time: sleeps are recorded and advance the clock instead of waiting. */
function fakeTime(): Pick<TransportOptions, 'now' | 'sleep' | 'random'> & {
  delays: number[];
  advance: (ms: number) => void;
} {
  let time = 1_000_000;
  const delays: number[] = [];
  return {
    delays,
    now: () => time,
    sleep: async (ms) => {
      delays.push(ms);
      time += ms;
    },
    random: () => 1,
    advance: (ms) => {
      time += ms;
    },
  };
}

/** A port nothing listens on: connections are refused at once. */
const refused = 'http://127.0.0.1:1';

describe('the resilient transport', () => {
  it('retries 503 with exponential backoff until it succeeds', async () => {
    const server = await scripted((request, response, count) =>
      count < 3 ? answer(503)(request, response) : answer(200)(request, response),
    );
    const time = fakeTime();
    const retries: string[] = [];
    const transport = new ResilientTransport({
      endpoints: [server.url],
      ...time,
      retry: { baseDelayMs: 100 },
      hooks: { onRetry: (e) => retries.push(e.reason) },
    });
    const response = await transport.send({ method: 'GET', path: '/x' });
    expect(response).toMatchObject({ status: 200, attempts: 3 });
    expect(time.delays).toEqual([100, 200]);
    expect(retries).toEqual(['HTTP 503', 'HTTP 503']);
    await server.close();
  });

  it('waits at least as long as Retry-After says', async () => {
    const server = await scripted((request, response, count) =>
      count === 1 ? answer(429, {}, { 'Retry-After': '7' })(request, response) : answer(200)(request, response),
    );
    const time = fakeTime();
    const transport = new ResilientTransport({
      endpoints: [server.url],
      ...time,
      retry: { baseDelayMs: 100, maxElapsedMs: 60_000 },
    });
    await transport.send({ method: 'GET', path: '/x' });
    expect(time.delays).toEqual([7_000]);
    await server.close();
  });

  it.each([400, 401, 403, 404, 409, 422])('never retries %i', async (status) => {
    const server = await scripted(answer(status));
    const transport = new ResilientTransport({ endpoints: [server.url], ...fakeTime() });
    expect((await transport.send({ method: 'GET', path: '/x' })).status).toBe(status);
    expect(server.count()).toBe(1);
    await server.close();
  });

  it('does not retry a POST unless it carries an idempotency key, which it then repeats on every attempt', async () => {
    const server = await scripted((request, response, count) =>
      count <= 2 ? answer(503)(request, response) : answer(201)(request, response),
    );
    const transport = new ResilientTransport({ endpoints: [server.url], ...fakeTime() });
    expect((await transport.send({ method: 'POST', path: '/book', body: '{}' })).status).toBe(503);
    expect(server.count()).toBe(1);
    const keyed = await transport.send({
      method: 'POST',
      path: '/book',
      body: '{}',
      idempotencyKey: { header: 'X-Request-ID', value: 'key-1' },
    });
    expect(keyed.status).toBe(201);
    expect(server.headers.slice(1).map((h) => h['x-request-id'])).toEqual(['key-1', 'key-1']);
    await server.close();
  });

  it('fails over to the next endpoint when one refuses connections', async () => {
    const backup = await scripted(answer(200, { node: 's12' }));
    const failovers: string[] = [];
    const transport = new ResilientTransport({
      endpoints: [refused, backup.url],
      ...fakeTime(),
      hooks: { onFailover: (e) => failovers.push(`${e.from}->${e.to}`) },
    });
    const response = await transport.send({ method: 'GET', path: '/x' });
    expect(response).toMatchObject({ status: 200, endpoint: backup.url, attempts: 2 });
    expect(failovers).toEqual([`${refused}->${backup.url}`]);
    await backup.close();
  });

  it('opens the circuit after repeated failures, then probes and fails back to the primary once it recovers', async () => {
    let primaryUp = false;
    const primary = await scripted((request, response) =>
      (primaryUp ? answer(200, { node: 's11' }) : answer(503))(request, response),
    );
    const backup = await scripted(answer(200, { node: 's12' }));
    const time = fakeTime();
    const transport = new ResilientTransport({
      endpoints: [primary.url, backup.url],
      ...time,
      circuitBreaker: { failureThreshold: 2, resetAfterMs: 30_000 },
    });
    for (let i = 0; i < 2; i++) expect((await transport.send({ method: 'GET', path: '/x' })).endpoint).toBe(backup.url);
    expect(transport.circuitStates()[primary.url]).toBe('open');
    const primaryCalls = primary.count();
    expect((await transport.send({ method: 'GET', path: '/x' })).endpoint).toBe(backup.url);
    expect(primary.count()).toBe(primaryCalls);
    primaryUp = true;
    time.advance(30_000);
    expect(transport.circuitStates()[primary.url]).toBe('half-open');
    expect((await transport.send({ method: 'GET', path: '/x' })).endpoint).toBe(primary.url);
    expect(transport.circuitStates()[primary.url]).toBe('closed');
    await primary.close();
    await backup.close();
  });

  it('bounds attempts and total time, returning the last answer', async () => {
    const server = await scripted(answer(503));
    const transport = new ResilientTransport({
      endpoints: [server.url],
      ...fakeTime(),
      retry: { maxAttempts: 3, baseDelayMs: 10 },
    });
    expect((await transport.send({ method: 'GET', path: '/x' })).attempts).toBe(3);
    expect(server.count()).toBe(3);
    const budget = new ResilientTransport({
      endpoints: [server.url],
      ...fakeTime(),
      retry: { maxAttempts: 10, baseDelayMs: 1_000, maxElapsedMs: 2_500 },
    });
    await budget.send({ method: 'GET', path: '/x' });
    // Waits 1 s then 2 s would exceed 2.5 s, so it stops after the second attempt.
    expect(server.count()).toBe(3 + 2);
    await server.close();
  });

  it('times out an attempt that never answers and tries again elsewhere', async () => {
    const hanging = await scripted(() => undefined);
    const backup = await scripted(answer(200));
    const transport = new ResilientTransport({ endpoints: [hanging.url, backup.url], ...fakeTime(), timeoutMs: 100 });
    expect((await transport.send({ method: 'GET', path: '/x' })).endpoint).toBe(backup.url);
    await hanging.close();
    await backup.close();
  });

  it('stops at once when the caller aborts', async () => {
    const server = await scripted(answer(503));
    const controller = new AbortController();
    const transport = new ResilientTransport({
      endpoints: [server.url],
      now: Date.now,
      random: () => 1,
      retry: { baseDelayMs: 60_000, maxElapsedMs: 120_000 },
      hooks: { onRetry: () => controller.abort(new Error('caller gave up')) },
    });
    await expect(transport.send({ method: 'GET', path: '/x', signal: controller.signal })).rejects.toThrow(
      'caller gave up',
    );
    expect(server.count()).toBe(1);
    await server.close();
  });

  it('raises GpsimNetworkError when no endpoint answers at all', async () => {
    const transport = new ResilientTransport({ endpoints: [refused], ...fakeTime(), retry: { maxAttempts: 2 } });
    await expect(transport.send({ method: 'GET', path: '/x' })).rejects.toBeInstanceOf(GpsimNetworkError);
  });

  it('turns error answers into GpsimApiError with surface, code and retryability', async () => {
    const outcome = {
      resourceType: 'OperationOutcome',
      issue: [
        {
          severity: 'error',
          code: 'not-found',
          details: { coding: [{ code: 'PATIENT_NOT_FOUND', display: 'Patient not found' }] },
        },
      ],
    };
    const server = await scripted(answer(404, outcome, { 'Ssp-TraceID': 'trace-1' }));
    const transport = new ResilientTransport({ endpoints: [server.url], ...fakeTime() });
    const error = await transport
      .json({ method: 'GET', path: '/Patient/1', surface: 'gpconnect' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GpsimApiError);
    expect(error).toMatchObject({
      surface: 'gpconnect',
      status: 404,
      code: 'PATIENT_NOT_FOUND',
      retryable: false,
      traceId: 'trace-1',
    });
    await server.close();
  });
});

describe('error bodies of every dialect', () => {
  it.each([
    [{ error: { code: 'invalid_request', message: 'bad' } }, 'invalid_request'],
    [{ error: 'invalid_grant', error_description: 'code expired' }, 'invalid_grant'],
    [{ errorEvent: 'SEND', errorCode: '06', errorDescription: 'MalformedControlFile' }, '06'],
    [
      '<Response><Error><Code>INVALID_API_KEY</Code><Message>Unknown key</Message></Error></Response>',
      'INVALID_API_KEY',
    ],
    [undefined, '502'],
  ])('reads the code from %j', (body, code) => {
    expect(describeErrorBody(body, 502).code).toBe(code);
  });

  it('reads Retry-After as seconds or as an HTTP date', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(parseRetryAfter('120', now)).toBe(120_000);
    expect(parseRetryAfter('Thu, 01 Jan 2026 00:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
  });
});
