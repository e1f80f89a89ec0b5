import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { control } from '@gpsim/contracts';
import type { RunningGpsim } from '@gpsim/simulator/main';
import { createRequire } from 'node:module';
import { smallEstate, startTestGpsim } from '../support/gpsim';

/** The part of fhirclient's Node API the app below uses. */
interface SmartClient {
  patient: { id: string | null };
  user: { fhirUser: string | null };
  request(url: string): Promise<unknown>;
}
type Smart = (
  request: IncomingMessage,
  response: ServerResponse,
  storage: ReturnType<typeof memoryStorage>,
) => {
  authorize(options: { clientId: string; scope: string; redirectUri: string }): Promise<unknown>;
  ready(): Promise<SmartClient>;
};
// Loaded untyped: fhirclient's typings declare the DOM library for the whole test program.
const smart = createRequire(__filename)('fhirclient/lib/entry/node') as Smart;

const CLIENT_ID = 'fhirclient-node-app';

/** fhirclient keeps its SMART state in a storage the app provides; one app session here. */
function memoryStorage() {
  const values = new Map<string, unknown>();
  return {
    set: async (key: string, value: unknown) => {
      values.set(key, value);
      return value;
    },
    get: async (key: string) => values.get(key),
    unset: async (key: string) => values.delete(key),
  };
}

/**
 * The unchanged launch code of a SMART app on Node, as fhirclient's documentation shows it:
 * `/launch` calls authorize(), `/callback` calls ready() and reads the launch patient.
 */
function smartApp(): Server {
  const storage = memoryStorage();
  const handle = async (request: IncomingMessage, response: ServerResponse) => {
    const url = new URL(request.url ?? '/', 'http://app');
    if (url.pathname === '/launch') {
      await smart(request, response, storage).authorize({
        clientId: CLIENT_ID,
        scope: 'launch openid fhirUser patient/*.read',
        redirectUri: '/callback',
      });
      return;
    }
    const client = await smart(request, response, storage).ready();
    const patient = (await client.request(`Patient/${client.patient.id ?? ''}`)) as {
      id: string;
      identifier?: { value?: string }[];
    };
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ patient, user: client.user.fhirUser }));
  };
  return createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      response.writeHead(500, { 'content-type': 'text/plain' });
      response.end(String(error));
    });
  });
}

describe('SMART EHR launch driven by the fhirclient library (fhirclient/lib/entry/node)', () => {
  let gpsim: RunningGpsim;
  let app: Server;
  let appUrl: string;
  let manifest: control.Manifest;

  beforeAll(async () => {
    gpsim = await startTestGpsim(smallEstate);
    app = smartApp();
    await new Promise<void>((resolve) => app.listen(0, '127.0.0.1', resolve));
    appUrl = `http://127.0.0.1:${(app.address() as AddressInfo).port}`;
    manifest = (await (await fetch(`${gpsim.url}/__sim/fixtures`)).json()) as control.Manifest;
    const registered = await fetch(`${gpsim.url}/__sim/clients`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        clientId: CLIENT_ID,
        type: 'public',
        launchUrl: `${appUrl}/launch`,
        redirectUris: [`${appUrl}/callback`],
      }),
    });
    expect(registered.status).toBeLessThan(300);
  });
  afterAll(async () => {
    await new Promise((resolve) => app.close(resolve));
    await gpsim.close();
  });

  it('authorize → auto-approved redirect → ready() → client.request(Patient) returns the launch patient', async () => {
    const patient = manifest.archetypes.find(
      (candidate) => candidate.key === 'standard',
    ) as control.Manifest['archetypes'][number];
    const user = manifest.users.find((candidate) => candidate.ods === patient.ods && candidate.role === 'gp');
    const launched = await fetch(`${gpsim.url}/__sim/launches`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        ods: patient.ods,
        nhsNumber: patient.nhsNumber,
        username: user?.username,
        app: { clientId: CLIENT_ID, launchUrl: `${appUrl}/launch` },
        autoApprove: true,
      }),
    });
    const { url } = (await launched.json()) as control.LaunchResult;

    // The EHR opens launchUrl?iss&launch; fhirclient discovers the server and redirects to /oauth/authorize.
    const toAuthorize = await fetch(url, { redirect: 'manual' });
    expect(toAuthorize.status).toBe(302);
    const authorizeUrl = new URL(toAuthorize.headers.get('location') ?? '');
    expect(authorizeUrl.origin + authorizeUrl.pathname).toBe(`${gpsim.url}/oauth/authorize`);
    // SMART App Launch 2.x: public clients send a PKCE S256 challenge and aud = iss.
    expect(authorizeUrl.searchParams.get('code_challenge_method')).toBe('S256');
    expect(authorizeUrl.searchParams.get('aud')).toBe(new URL(url).searchParams.get('iss'));

    // Auto-approve sends the browser straight back to the app with a code.
    const toCallback = await fetch(authorizeUrl, { redirect: 'manual' });
    expect(toCallback.status).toBe(302);
    const callback = new URL(toCallback.headers.get('location') ?? '');
    expect(callback.searchParams.get('code')).toBeTruthy();

    const ready = await fetch(callback);
    expect(ready.status).toBe(200);
    const body = (await ready.json()) as { patient: { id: string; identifier?: { value?: string }[] }; user?: string };
    expect(body.patient.identifier?.map((identifier) => identifier.value)).toContain(patient.nhsNumber);
    expect(body.user).toMatch(/Practitioner\//);
  });
});
