import { createHmac, randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders, Server } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { control } from '@gpsim/contracts';
import type { RunningGpsim } from '@gpsim/simulator/main';
import { smallEstate, startTestGpsim } from '../support/gpsim';

interface Received {
  headers: IncomingHttpHeaders;
  body: string;
}

/** POST /__sim/subscriptions: task changes pushed to the vendor, HMAC-signed, retried on failure. */
describe('task webhooks', () => {
  let gpsim: RunningGpsim;
  let receiver: Server;
  let receiverUrl: string;
  const received: Received[] = [];
  let failuresToSend = 0;

  beforeAll(async () => {
    gpsim = await startTestGpsim(smallEstate);
    receiver = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        received.push({ headers: request.headers, body: Buffer.concat(chunks).toString('utf8') });
        response.statusCode = failuresToSend-- > 0 ? 503 : 204;
        response.end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
  });
  afterAll(async () => {
    await gpsim.close();
    await new Promise((resolve) => receiver.close(resolve));
  });

  const post = (path: string, body: unknown) =>
    fetch(`${gpsim.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });

  async function waitFor(count: number): Promise<void> {
    for (let i = 0; i < 100 && received.length < count; i++) await new Promise((resolve) => setTimeout(resolve, 50));
  }

  it('refuses a subscription without a http(s) url or events with 400', async () => {
    expect((await post('/__sim/subscriptions', { url: 'ftp://x', events: ['task.created'] })).status).toBe(400);
    expect((await post('/__sim/subscriptions', { url: receiverUrl, events: [] })).status).toBe(400);
    expect((await post('/__sim/subscriptions', { url: receiverUrl, events: ['task.exploded'] })).status).toBe(400);
  });

  it('delivers signed events for the subscribed changes, retrying after a failure', async () => {
    const created = await post('/__sim/subscriptions', {
      url: receiverUrl,
      events: ['task.created', 'task.completed'],
    });
    expect(created.status).toBe(201);
    const subscription = (await created.json()) as control.CreatedSubscription;
    expect(subscription.secret.length).toBeGreaterThan(20);
    const listed = (await (await fetch(`${gpsim.url}/__sim/subscriptions`)).json()) as {
      subscriptions: Record<string, unknown>[];
    };
    expect(listed.subscriptions[0]).not.toHaveProperty('secret');

    received.length = 0;
    failuresToSend = 1;
    const ods = gpsim.engine.population.practices[0]?.ods as string;
    const { task } = await gpsim.engine.tasks.create({
      ods,
      type: 'document',
      title: 'Webhook test',
      source: { surface: 'control', sender: 'test', reference: randomUUID() },
    });
    await waitFor(2);
    expect(received).toHaveLength(2);
    const [failed, retried] = received as [Received, Received];
    expect(failed.headers['x-gpsim-delivery']).toBe(retried.headers['x-gpsim-delivery']);
    expect(retried.headers['x-gpsim-attempt']).toBe('2');
    expect(retried.headers['x-gpsim-event']).toBe('task.created');
    const signature = `sha256=${createHmac('sha256', subscription.secret).update(retried.body).digest('hex')}`;
    expect(retried.headers['x-gpsim-signature']).toBe(signature);
    expect(JSON.parse(retried.body)).toMatchObject({ type: 'task.created', data: { task: { id: task.id } } });

    // Reassignment is not subscribed; completion is.
    await post(`/__sim/tasks/${task.id}`, { action: 'reassign', assignee: { kind: 'team', id: 'Doctors' } });
    await post(`/__sim/tasks/${task.id}`, { action: 'complete' });
    await waitFor(3);
    expect(received.slice(2).map((delivery) => delivery.headers['x-gpsim-event'])).toEqual(['task.completed']);

    const deliveries = (await (
      await fetch(`${gpsim.url}/__sim/subscriptions/${subscription.id}/deliveries`)
    ).json()) as { deliveries: { status: number }[] };
    expect(deliveries.deliveries.map((delivery) => delivery.status)).toEqual([503, 204, 204]);

    expect((await fetch(`${gpsim.url}/__sim/subscriptions/${subscription.id}`, { method: 'DELETE' })).status).toBe(204);
    expect((await fetch(`${gpsim.url}/__sim/subscriptions/${subscription.id}`, { method: 'DELETE' })).status).toBe(404);
  });
});
