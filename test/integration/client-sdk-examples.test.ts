import { execFile } from 'node:child_process';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import type { RunningGpsim } from '@gpsim/simulator/main';
import { smallEstate, startTestGpsim } from '../support/gpsim';

const run = promisify(execFile);
const examples = resolve(__dirname, '..', '..', 'client-sdk', 'examples');

/** The client SDK's examples, run as a vendor runs them (node, the built package) against gpsim on port 0. */
describe('client-sdk examples', () => {
  let gpsim: RunningGpsim;
  const example = async (name: string): Promise<Record<string, unknown>> => {
    const { stdout } = await run('node', [join(examples, name), gpsim.url], { timeout: 60_000 });
    return JSON.parse(stdout.trim().split('\n').pop() ?? '{}') as Record<string, unknown>;
  };

  beforeAll(async () => {
    gpsim = await startTestGpsim(smallEstate);
  });
  afterAll(() => gpsim.close());

  it('finds a patient and gets the structured record', async () => {
    const result = await example('find-patient-and-record.mjs');
    expect(result).toMatchObject({ found: 1, resources: { Patient: 1 } });
  });

  it('books an appointment and cancels it with its ETag', async () => {
    expect(await example('book-appointment.mjs')).toEqual({ booked: 'booked', etag: 'W/"1"', cancelled: 'cancelled' });
  });

  it('sends a MESH message, polls for it, downloads and acknowledges it', async () => {
    expect(await example('mesh-send-and-poll.mjs')).toEqual({
      text: 'Hello from the gpsim example',
      status: 'acknowledged',
    });
  });

  it('runs a SMART EHR launch with PKCE, token exchange and refresh', async () => {
    expect(await example('smart-launch.mjs')).toMatchObject({
      nhsNumber: expect.stringMatching(/^\d{10}$/),
      refreshed: true,
    });
  });

  it('rides out an outage of s11 on s12 and fails back', async () => {
    const result = await example('ride-out-outage.mjs');
    expect(result).toMatchObject({ during: 1, after: 1 });
    const endpoints = result.endpoints as string[];
    expect(endpoints[0]).toBe(`${gpsim.url} 503`);
    expect(endpoints[1]).toBe(`${gpsim.backupUrl} 200`);
    expect(endpoints[endpoints.length - 1]).toBe(`${gpsim.url} 200`);
  });
});
