import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { control } from '@gpsim/contracts';
import { requireBuiltCli, startCli } from '../support/cli';
import { MeshTestClient } from '../support/mesh-client';
import { bearer } from '../support/tokens';

jest.setTimeout(60_000);

const ADMIN_TOKEN = 'secret-admin-token-for-log-test-9f8e7d6c';

describe('secrets never reach the log', () => {
  let dataDir: string;
  beforeAll(() => {
    requireBuiltCli();
    dataDir = mkdtempSync(join(tmpdir(), 'gpsim-secrets-'));
  });
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('logs no password, client secret, token, MESH authorization or admin token at trace level', async () => {
    const cli = await startCli(
      [
        '--host',
        '0.0.0.0',
        '--port',
        '0',
        '--backup-port',
        'none',
        '--tcp-port',
        'none',
        '--patients-per-practice',
        '100',
        '--data-dir',
        dataDir,
        '--log-level',
        'trace',
      ],
      { GPSIM_ADMIN_TOKEN: ADMIN_TOKEN },
    );
    const secrets: string[] = [ADMIN_TOKEN];
    try {
      const url = /listening on (http:\/\/[^\s]+) \(s11\)/.exec(cli.output())?.[1] as string;
      const admin = { 'X-Gpsim-Admin-Token': ADMIN_TOKEN };
      const manifest = control.Manifest.parse(await (await fetch(`${url}/__sim/fixtures`, { headers: admin })).json());
      await fetch(`${url}/__sim/session`, { method: 'POST', body: JSON.stringify({ token: ADMIN_TOKEN }) });
      await fetch(`${url}/__sim/session`, { method: 'POST', body: JSON.stringify({ token: `${ADMIN_TOKEN}-wrong` }) });

      // OAuth client secret and the access token it buys.
      const backend = manifest.clients.find((client) => client.type === 'backend' && client.clientSecret);
      if (!backend?.clientSecret) throw new Error('no backend client');
      secrets.push(backend.clientSecret);
      const issued = (await (
        await fetch(`${url}/oauth/token`, {
          method: 'POST',
          headers: {
            'Content-Type': 'application/x-www-form-urlencoded',
            Authorization: `Basic ${Buffer.from(`${backend.clientId}:${backend.clientSecret}`).toString('base64')}`,
          },
          body: 'grant_type=client_credentials&scope=system%2F*.rs',
        })
      ).json()) as { access_token: string };
      secrets.push(issued.access_token);
      await fetch(`${url}/fhir/R4/Patient?identifier=x`, { headers: bearer(issued.access_token) });
      await fetch(`${url}/fhir/R4/Patient?identifier=x`, { headers: bearer(`${issued.access_token}tampered`) });

      // EMIS partner secret and its session.
      const partner = manifest.partners.find((candidate) => candidate.name === 'gpsim-demo');
      const emisPractice = manifest.practices.find((practice) => practice.system === 'emis');
      if (!partner || !emisPractice) throw new Error('no partner');
      secrets.push(partner.clientSecret);
      const logon = (secret: string) =>
        fetch(`${url}/emis/partner-api/InitializeWithID`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ ClientId: partner.clientId, ClientSecret: secret, OrganisationId: emisPractice.ods }),
        });
      const session = ((await (await logon(partner.clientSecret)).json()) as { Result: { SessionId: string } }).Result
        .SessionId;
      secrets.push(session);
      await logon(`${partner.clientSecret}x`);

      // MESH mailbox password, shared secret and the NHSMESH authorization header.
      const demo = manifest.mailboxes.find((mailbox) => mailbox.partner === 'gpsim-demo');
      if (!demo) throw new Error('no mailbox');
      secrets.push(demo.password, manifest.mesh.sharedSecret);
      const mesh = new MeshTestClient(manifest.mesh.baseUrl, demo, manifest.mesh.sharedSecret, () => new Date());
      const meshToken = mesh.token();
      secrets.push(meshToken.split(':').pop() as string);
      await mesh.handshake();
      await mesh.request('GET', '/inbox', { token: meshToken });
      await mesh.request('GET', '/inbox', { token: mesh.token({ secret: 'wrong-shared-secret' }) });
    } finally {
      await cli.stop('SIGTERM');
    }
    const log = cli.output();
    expect(log).toContain('"level":');
    const leaked = secrets.filter((secret) => secret.length >= 8 && log.includes(secret));
    expect(leaked).toEqual([]);
  });
});
