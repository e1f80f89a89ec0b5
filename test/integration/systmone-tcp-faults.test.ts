import { randomUUID } from 'node:crypto';
import { connect } from 'node:net';
import { control } from '@gpsim/contracts';
import type { RunningGpsim } from '@gpsim/simulator/main';
import { parseXml } from '@gpsim/simulator/surfaces/shared/xml';
import { smallEstate, startTestGpsim } from '../support/gpsim';
import { clientIntegrationRequest, find, responseComplete, tcpExchange } from '../support/systmone';

type Partner = control.Manifest['partners'][number];

/** What a raw socket saw: the bytes, whether the server hung up, and how long it took. */
interface Exchange {
  bytes: Buffer;
  closedByServer: boolean;
  errored: boolean;
  elapsedMs: number;
}

/** Writes one document and waits for a complete reply, a hang-up, or `waitMs` of silence. */
function rawExchange(port: number, document: string, waitMs: number): Promise<Exchange> {
  return new Promise((resolve) => {
    const started = performance.now();
    const socket = connect(port, '127.0.0.1');
    let bytes = Buffer.alloc(0);
    let errored = false;
    let settled = false;
    const settle = (closedByServer: boolean) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      resolve({ bytes, closedByServer, errored, elapsedMs: performance.now() - started });
    };
    const timer = setTimeout(() => settle(false), waitMs);
    socket.on('connect', () => socket.write(document));
    socket.on('data', (data: Buffer) => {
      bytes = Buffer.concat([bytes, data]);
      if (responseComplete(bytes)) settle(false);
    });
    socket.on('error', () => {
      errored = true;
    });
    socket.on('close', () => settle(true));
  });
}

/**
 * Issue 7: "the same rules apply on the TCP Client Integration listener (latency, reset, timeout,
 * malformed, node-down)". Rules matching the systmone surface reach TCP requests because the
 * listener routes them through the same dispatcher as HTTP.
 */
describe('fault rules on the SystmOne Client Integration TCP listener', () => {
  let gpsim: RunningGpsim;
  let port: number;
  let demo: Partner;
  let nhsNumber: string;

  beforeAll(async () => {
    gpsim = await startTestGpsim({ ...smallEstate, tcpPort: 0 });
    const manifest = control.Manifest.parse(await (await fetch(`${gpsim.url}/__sim/fixtures`)).json());
    port = gpsim.tcpPort as number;
    demo = manifest.partners.find((p) => p.name === 'gpsim-demo') as Partner;
    const ods = manifest.practices.find((p) => p.system === 'systmone')?.ods as string;
    nhsNumber = manifest.archetypes.find((a) => a.ods === ods && a.key === 'standard')?.nhsNumber as string;
  });
  afterAll(() => gpsim.close());
  afterEach(async () => {
    await fetch(`${gpsim.url}/__sim/faults`, { method: 'DELETE' });
  });

  const addRule = async (rule: unknown): Promise<void> => {
    const response = await fetch(`${gpsim.url}/__sim/faults`, { method: 'POST', body: JSON.stringify(rule) });
    expect(response.status).toBe(201);
  };
  const search = (requestUid = randomUUID()) =>
    clientIntegrationRequest({
      partner: demo,
      fn: 'PatientSearch',
      requestUid,
      parameters: `<NhsNumber>${nhsNumber}</NhsNumber>`,
    });
  const answersNormally = async () => {
    const requestUid = randomUUID();
    const reply = parseXml(await tcpExchange(port, [search(requestUid)], responseComplete));
    expect(find(reply, 'RequestUID')?.text).toBe(requestUid);
  };

  it('latency: the reply arrives after the rule delay, intact', async () => {
    await addRule({ match: { surface: 'systmone' }, fault: { kind: 'latency', ms: 400 } });
    const exchange = await rawExchange(port, search(), 5_000);
    expect(exchange.elapsedMs).toBeGreaterThanOrEqual(390);
    expect(responseComplete(exchange.bytes)).toBe(true);
  });

  it('reset: the server destroys the socket without a byte of reply', async () => {
    await addRule({ match: { surface: 'systmone' }, fault: { kind: 'reset' }, times: 1 });
    const exchange = await rawExchange(port, search(), 3_000);
    expect(exchange.closedByServer).toBe(true);
    expect(exchange.bytes.length).toBe(0);
    await answersNormally();
  });

  it('timeout: the connection stays open and nothing is ever answered', async () => {
    await addRule({ match: { surface: 'systmone' }, fault: { kind: 'timeout' }, times: 1 });
    const exchange = await rawExchange(port, search(), 800);
    expect(exchange.closedByServer).toBe(false);
    expect(exchange.bytes.length).toBe(0);
    await answersNormally();
  });

  it('malformed: the reply bytes arrive but are no longer well-formed XML', async () => {
    await addRule({ match: { surface: 'systmone' }, fault: { kind: 'malformed' }, times: 1 });
    const exchange = await rawExchange(port, search(), 1_500);
    expect(exchange.bytes.length).toBeGreaterThan(0);
    expect(exchange.bytes.includes(Buffer.from('gpsim-malformed'))).toBe(true);
    expect(() => parseXml(exchange.bytes)).toThrow();
    await answersNormally();
  });

  it('node-down on s11: new connections are dropped, and the listener serves again when the rule goes', async () => {
    await addRule({ fault: { kind: 'node-down', node: 's11' } });
    const exchange = await rawExchange(port, search(), 3_000);
    expect(exchange.closedByServer).toBe(true);
    expect(exchange.bytes.length).toBe(0);
    await fetch(`${gpsim.url}/__sim/faults`, { method: 'DELETE' });
    await answersNormally();
  });

  it('node-down on s11 resets a request on a connection opened before the outage', async () => {
    const socket = connect(port, '127.0.0.1');
    await new Promise<void>((resolve) => socket.on('connect', () => resolve()));
    const closed = new Promise<Buffer>((resolve) => {
      let bytes = Buffer.alloc(0);
      socket.on('data', (data: Buffer) => (bytes = Buffer.concat([bytes, data])));
      socket.on('error', () => undefined);
      socket.on('close', () => resolve(bytes));
    });
    await addRule({ fault: { kind: 'node-down', node: 's11' } });
    socket.write(search());
    expect((await closed).length).toBe(0);
  });

  it('a rule on another surface leaves TCP traffic alone', async () => {
    await addRule({ match: { surface: 'emis' }, fault: { kind: 'reset' } });
    await answersNormally();
  });
});
