import { control } from '@gpsim/contracts';
import { z } from 'zod';
import type { RunningGpsim } from '@gpsim/simulator/main';
import { smallEstate, startTestGpsim } from '../support/gpsim';

/** Every control API response conforms to its contract in `contracts/`, errors included. */
describe('control API contracts', () => {
  let gpsim: RunningGpsim;
  beforeAll(async () => {
    gpsim = await startTestGpsim(smallEstate);
  });
  afterAll(() => gpsim.close());

  const call = async (path: string, init?: RequestInit) => {
    const response = await fetch(`${gpsim.url}${path}`, init);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    return { status: response.status, body: (await response.json()) as unknown };
  };
  const post = (body: unknown): RequestInit => ({ method: 'POST', body: JSON.stringify(body) });

  it.each([
    ['GET /__sim/health', () => call('/__sim/health'), control.Health],
    ['GET /__sim/fixtures', () => call('/__sim/fixtures'), control.Manifest],
    ['GET /__sim/clock', () => call('/__sim/clock'), control.ClockState],
    ['POST /__sim/clock', () => call('/__sim/clock', post({ advance: 'PT1M' })), control.ClockState],
    ['POST /__sim/reset', () => call('/__sim/reset', post({})), control.ResetResult],
    ['GET /__sim/journal', () => call('/__sim/journal?limit=5'), control.JournalPage],
    [
      'GET /__sim/practices/{ods}',
      () => call(`/__sim/practices/${gpsim.engine.population.practices[0]?.ods}`),
      control.PracticeSummary,
    ],
    ['GET /__sim/practices', () => call('/__sim/practices'), z.object({ practices: z.array(control.PracticeSummary) })],
  ] as const)('%s matches its contract', async (_name, request, schema) => {
    const { status, body } = await request();
    expect(status).toBe(200);
    const result = (schema as z.ZodType).safeParse(body);
    if (!result.success) throw new Error(JSON.stringify(result.error.issues, null, 2));
  });

  it.each([
    ['unknown path', () => call('/__sim/none')],
    ['bad JSON', () => call('/__sim/clock', { method: 'POST', body: '{' })],
    ['bad field', () => call('/__sim/clock', post({ freeze: 'yes' }))],
    ['unknown practice', () => call('/__sim/practices/NOPE')],
  ] as const)('error for %s matches the error contract', async (_name, request) => {
    const { status, body } = await request();
    expect(status).toBeGreaterThanOrEqual(400);
    expect(status).toBeLessThan(500);
    control.ControlError.parse(body);
  });

  it('every control contract publishes as JSON Schema', () => {
    const published = (Object.values(control) as unknown[])
      .filter((schema): schema is z.ZodType => schema instanceof z.ZodType)
      .map((schema) => z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }));
    expect(published.length).toBeGreaterThan(10);
    for (const jsonSchema of published) expect(jsonSchema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
  });
});
