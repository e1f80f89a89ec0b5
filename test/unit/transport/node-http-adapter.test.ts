import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { SimError } from '@gpsim/simulator/domain/errors';
import { Dispatcher } from '@gpsim/simulator/transport/dispatcher';
import { jsonResponse } from '@gpsim/simulator/transport/json';
import { createRequestListener } from '@gpsim/simulator/transport/node-http-adapter';
import type { Surface } from '@gpsim/simulator/transport/types';

/** A surface that exercises the pipeline: its errors render as `{dialect:"test", code}`. */
const testSurface: Surface = {
  name: 'control',
  prefixes: ['/t'],
  maxBodyBytes: 64,
  renderError: (error) =>
    jsonResponse(
      error.code === 'not-found'
        ? 404
        : error.code === 'method-not-allowed'
          ? 405
          : error.code === 'payload-too-large'
            ? 413
            : error.code === 'internal'
              ? 500
              : 400,
      { dialect: 'test', code: error.code, message: error.message },
    ),
  routes: [
    {
      method: 'POST',
      path: '/t/echo',
      handler: (request) => jsonResponse(200, { length: request.body.length, traceId: request.traceId }),
    },
    {
      method: 'POST',
      path: '/t/stream',
      streamBody: true,
      maxBodyBytes: 1024 * 1024,
      handler: async (request) => {
        let length = 0;
        for await (const chunk of request.bodyStream ?? []) length += (chunk as Buffer).length;
        return jsonResponse(200, { length, buffered: request.body.length });
      },
    },
    { method: 'GET', path: '/t/item/:id', handler: (request) => jsonResponse(200, { id: request.params.id }) },
    { method: 'GET', path: '/t/reset', handler: () => ({ status: 200, transportAction: 'reset' }) },
    {
      method: 'GET',
      path: '/t/broken',
      handler: () => {
        throw new Error('boom at /secret/path.ts:12');
      },
    },
    {
      method: 'GET',
      path: '/t/refuse',
      handler: () => {
        throw new SimError('invalid-parameter', 'nope', { field: 'x' });
      },
    },
  ],
};

describe('the node:http transport and dispatcher', () => {
  let server: Server;
  let base: string;

  beforeAll(async () => {
    const dispatcher = new Dispatcher([testSurface], testSurface, pino({ level: 'silent' }));
    server = createServer(createRequestListener(dispatcher, { node: 's11', logger: pino({ level: 'silent' }) }));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('hands a buffered body to ordinary routes and keeps the caller trace id', async () => {
    const response = await fetch(`${base}/t/echo`, {
      method: 'POST',
      body: 'hello',
      headers: { 'X-Request-ID': 'abc' },
    });
    expect(await response.json()).toEqual({ length: 5, traceId: 'abc' });
  });

  it('streams the body to routes that ask for it, beyond the surface buffer limit', async () => {
    const response = await fetch(`${base}/t/stream`, { method: 'POST', body: 'x'.repeat(100_000) });
    expect(await response.json()).toEqual({ length: 100_000, buffered: 0 });
  });

  it('refuses a buffered body over the limit with 413 in the surface dialect', async () => {
    const response = await fetch(`${base}/t/echo`, { method: 'POST', body: 'x'.repeat(65) });
    expect(response.status).toBe(413);
    expect(await response.json()).toMatchObject({ dialect: 'test', code: 'payload-too-large' });
  });

  it('renders unknown paths as 404 and wrong methods as 405 in the surface dialect', async () => {
    expect((await fetch(`${base}/t/nothing`)).status).toBe(404);
    const wrongMethod = await fetch(`${base}/t/echo`);
    expect(wrongMethod.status).toBe(405);
    expect(await wrongMethod.json()).toMatchObject({ dialect: 'test' });
  });

  it('renders domain errors through the surface and hides unexpected ones behind a trace id', async () => {
    expect(await (await fetch(`${base}/t/refuse`)).json()).toMatchObject({
      code: 'invalid-parameter',
      message: 'nope',
    });
    const broken = await fetch(`${base}/t/broken`, { headers: { 'X-Request-ID': 'trace-7' } });
    expect(broken.status).toBe(500);
    const text = await broken.text();
    expect(text).toContain('trace-7');
    expect(text).not.toContain('secret');
    expect(text).not.toContain('boom');
  });

  it('destroys the connection when a route asks for a reset', async () => {
    await expect(fetch(`${base}/t/reset`)).rejects.toThrow();
  });

  it('decodes route parameters', async () => {
    expect(await (await fetch(`${base}/t/item/a%20b`)).json()).toEqual({ id: 'a b' });
  });

  it('answers a badly encoded parameter with 400 rather than failing', async () => {
    const response = await fetch(`${base}/t/item/%E0%A4%A`);
    expect(response.status).toBe(400);
  });
});
