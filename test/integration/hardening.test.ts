import { connect } from 'node:net';
import type { control } from '@gpsim/contracts';
import type { RunningGpsim } from '@gpsim/simulator/main';
import { MeshTestClient } from '../support/mesh-client';
import { smallEstate, startTestGpsim } from '../support/gpsim';

const ADMIN_TOKEN = 'hardening-test-admin-token-0123456789';

/** Sends raw bytes and returns the raw answer: for requests fetch would refuse to build. */
function rawRequest(port: number, text: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    socket.on('error', reject);
    socket.end(text);
  });
}

describe('control API guard beyond loopback', () => {
  let gpsim: RunningGpsim;

  beforeAll(async () => {
    gpsim = await startTestGpsim({ ...smallEstate, host: '0.0.0.0', adminToken: ADMIN_TOKEN });
  });
  afterAll(() => gpsim.close());

  it('leaves GET /__sim/health open for probes', async () => {
    expect((await fetch(`${gpsim.url}/__sim/health`)).status).toBe(200);
  });

  it('answers 401 ADMIN_TOKEN_REQUIRED to a control call without the token', async () => {
    const response = await fetch(`${gpsim.url}/__sim/fixtures`);
    expect(response.status).toBe(401);
    const body = (await response.json()) as control.ControlError;
    expect(body.error.code).toBe('ADMIN_TOKEN_REQUIRED');
    expect(body.error.message).toContain('X-Gpsim-Admin-Token');
  });

  it('answers 403 to a wrong token, and serves the right one in the header', async () => {
    const wrong = await fetch(`${gpsim.url}/__sim/reset`, {
      method: 'POST',
      headers: { 'X-Gpsim-Admin-Token': 'not-the-token-at-all-0000' },
    });
    expect(wrong.status).toBe(403);
    expect(((await wrong.json()) as control.ControlError).error.code).toBe('ADMIN_TOKEN_INVALID');
    const right = await fetch(`${gpsim.url}/__sim/fixtures`, { headers: { 'X-Gpsim-Admin-Token': ADMIN_TOKEN } });
    expect(right.status).toBe(200);
  });

  it('guards unknown control paths too, so the guard cannot be probed around', async () => {
    expect((await fetch(`${gpsim.url}/__sim/no-such-thing`)).status).toBe(401);
    expect((await fetch(`${gpsim.url}/__sim/health`, { method: 'POST' })).status).toBe(401);
  });

  it('POST /__sim/session checks the token and sets an HttpOnly SameSite=Strict cookie the guard accepts', async () => {
    const refused = await fetch(`${gpsim.url}/__sim/session`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ token: 'wrong-token-wrong-token' }),
    });
    expect(refused.status).toBe(403);
    expect(refused.headers.get('set-cookie')).toBeNull();
    const missing = await fetch(`${gpsim.url}/__sim/session`, { method: 'POST', body: '{}' });
    expect(missing.status).toBe(401);

    const session = await fetch(`${gpsim.url}/__sim/session`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ token: ADMIN_TOKEN }),
    });
    expect(session.status).toBe(200);
    const cookie = session.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/^gpsim_admin=/);
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('SameSite=Strict');
    expect(cookie).toContain('Path=/');
    const withCookie = await fetch(`${gpsim.url}/__sim/clock`, { headers: { Cookie: cookie.split(';')[0] as string } });
    expect(withCookie.status).toBe(200);
  });

  it('does not guard the clinical surfaces: they have their own credentials', async () => {
    const response = await fetch(`${gpsim.url}/fhir/R4/metadata`);
    expect(response.status).toBe(200);
  });
});

describe('control API guard when the token is not configured', () => {
  it('generates a token beyond loopback and prints it once on stderr', async () => {
    const written: string[] = [];
    const spy = jest.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      written.push(String(chunk));
      return true;
    });
    let gpsim: RunningGpsim | undefined;
    try {
      gpsim = await startTestGpsim({ ...smallEstate, host: '0.0.0.0' });
    } finally {
      spy.mockRestore();
    }
    try {
      const token = /generated admin token[^:]*: (\S+)/.exec(written.join(''))?.[1];
      expect(token).toBeDefined();
      expect((await fetch(`${gpsim.url}/__sim/fixtures`)).status).toBe(401);
      const allowed = await fetch(`${gpsim.url}/__sim/fixtures`, {
        headers: { 'X-Gpsim-Admin-Token': token as string },
      });
      expect(allowed.status).toBe(200);
    } finally {
      await gpsim.close();
    }
  });

  it('needs no token on loopback (the default)', async () => {
    const gpsim = await startTestGpsim(smallEstate);
    try {
      expect((await fetch(`${gpsim.url}/__sim/fixtures`)).status).toBe(200);
      const session = await fetch(`${gpsim.url}/__sim/session`, { method: 'POST', body: '{}' });
      expect(await session.json()).toEqual({ status: 'open', tokenRequired: false });
    } finally {
      await gpsim.close();
    }
  });
});

describe('security headers, CORS and limits', () => {
  let gpsim: RunningGpsim;
  let manifest: control.Manifest;
  let port: number;

  beforeAll(async () => {
    gpsim = await startTestGpsim({ ...smallEstate, maxHeaderBytes: 2048 });
    manifest = (await (await fetch(`${gpsim.url}/__sim/fixtures`)).json()) as control.Manifest;
    port = Number(new URL(gpsim.url).port);
  });
  afterAll(() => gpsim.close());

  it.each([
    ['control', '/__sim/health'],
    ['fhir-r4', '/fhir/R4/metadata'],
    ['pds', '/spine/pds/FHIR/R4/Patient/9999999999'],
    ['mesh', '/mesh/messageexchange/NOBODY/inbox'],
    ['systmone', '/systmone/nothing-here'],
    ['emis', '/emis/nothing-here'],
    ['oauth', '/.well-known/openid-configuration'],
    ['gpconnect', '/B82617/STU3/1/gpconnect/metadata'],
  ])('writes helmet-style security headers on %s answers, errors included (%s)', async (_surface, path) => {
    const response = await fetch(`${gpsim.url}${path}`);
    expect(response.status).toBeLessThan(500);
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('referrer-policy')).toBe('no-referrer');
    expect(response.headers.get('x-frame-options')).toBe('DENY');
    expect(response.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(response.headers.get('strict-transport-security')).toBeNull();
  });

  it('sends HSTS only when a TLS-terminating proxy says the request came over https', async () => {
    const response = await fetch(`${gpsim.url}/__sim/health`, { headers: { 'X-Forwarded-Proto': 'https' } });
    expect(response.headers.get('strict-transport-security')).toMatch(/^max-age=\d+/);
  });

  it('writes security headers on a refused oversized body too', async () => {
    const response = await fetch(`${gpsim.url}/__sim/reset`, { method: 'POST', body: 'x'.repeat(2 * 1024 * 1024) });
    expect(response.status).toBe(413);
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it("allows the console's own origin on the FHIR face", async () => {
    const response = await fetch(`${gpsim.url}/fhir/R4/metadata`, { headers: { Origin: gpsim.url } });
    expect(response.headers.get('access-control-allow-origin')).toBe(gpsim.url);
  });

  it('answers 431 with a JSON explanation when the headers exceed --max-header-bytes', async () => {
    const answer = await rawRequest(
      port,
      `GET /__sim/health HTTP/1.1\r\nHost: localhost\r\nX-Padding: ${'a'.repeat(4096)}\r\n\r\n`,
    );
    expect(answer).toMatch(/^HTTP\/1\.1 431 /);
    expect(answer).toContain('--max-header-bytes');
  });

  it('answers 400 with a JSON explanation to a request that is not HTTP', async () => {
    const answer = await rawRequest(port, 'HELLO THERE\r\n\r\n');
    expect(answer).toMatch(/^HTTP\/1\.1 400 /);
    expect(answer).toContain('"code":"BAD_REQUEST"');
  });

  it('refuses a MESH message declaring more chunks than gpsim keeps, with a MESH chunk error', async () => {
    const mailbox = manifest.mailboxes.find((candidate) => candidate.partner === 'gpsim-demo');
    const practiceMailbox = manifest.mailboxes.find((candidate) => candidate.ods === manifest.practices[0]?.ods);
    if (!mailbox || !practiceMailbox) throw new Error('no mailboxes');
    const mesh = new MeshTestClient(manifest.mesh.baseUrl, mailbox, manifest.mesh.sharedSecret, () =>
      gpsim.engine.clock.nowDate(),
    );
    const response = await mesh.send(practiceMailbox.id, mailbox.workflows.send[0] as string, 'chunk one', {
      'mex-chunk-range': '1:5000',
    });
    expect(response.status).toBe(417);
    expect(JSON.stringify(response.json)).toContain('at most 1000 chunks');
  });
});

describe('per-client request rate limit', () => {
  let gpsim: RunningGpsim;
  beforeAll(async () => {
    gpsim = await startTestGpsim({ ...smallEstate, clientRateLimit: 3 });
  });
  afterAll(() => gpsim.close());

  it('answers 429 with Retry-After in the surface dialect once a client exceeds --client-rate-limit', async () => {
    const statuses: number[] = [];
    let refused: Response | undefined;
    for (let i = 0; i < 12; i++) {
      const response = await fetch(`${gpsim.url}/fhir/R4/metadata`);
      statuses.push(response.status);
      if (response.status === 429) refused = response;
      else await response.arrayBuffer();
    }
    expect(statuses).toContain(429);
    expect(refused?.headers.get('retry-after')).toBe('1');
    const outcome = (await refused?.json()) as { resourceType?: string };
    expect(outcome.resourceType).toBe('OperationOutcome');
  });

  it('never counts the health check, so probes keep working', async () => {
    for (let i = 0; i < 10; i++) expect((await fetch(`${gpsim.url}/__sim/health`)).status).toBe(200);
  });
});
