import { createHmac, createPublicKey, generateKeyPairSync, randomUUID } from 'node:crypto';
import type { JsonWebKey } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { control } from '@gpsim/contracts';
import type { RunningGpsim } from '@gpsim/simulator/main';
import jwt from 'jsonwebtoken';
import { smallEstate, startTestGpsim } from '../support/gpsim';
import { bearer, pkcePair, signWithEngineKey } from '../support/tokens';

interface TokenBody {
  access_token?: string;
  token_type?: string;
  expires_in?: number;
  scope?: string;
  id_token?: string;
  refresh_token?: string;
  patient?: string;
  encounter?: string;
  fhirContext?: { reference: string }[];
  need_patient_banner?: boolean;
  smart_style_url?: string;
  authorization_details?: { type: string; locations: string[]; context?: Record<string, Record<string, string>> }[];
  error?: string;
  error_description?: string;
}

const DEMO_REDIRECT = 'http://localhost:3000/callback';
const SCOPE = 'launch openid fhirUser patient/*.rs offline_access';

describe('SMART App Launch authorisation server (HL7 smart-app-launch app-launch.md, conformance.md)', () => {
  let gpsim: RunningGpsim;
  let manifest: control.Manifest;
  let iss: string;

  beforeAll(async () => {
    gpsim = await startTestGpsim(smallEstate);
    manifest = (await (await fetch(`${gpsim.url}/__sim/fixtures`)).json()) as control.Manifest;
    iss = manifest.endpoints.fhirR4;
  });
  afterAll(() => gpsim.close());

  const archetype = (key: string, system?: 'emis' | 'systmone') => {
    const found = manifest.archetypes.find(
      (candidate) =>
        candidate.key === key &&
        (system === undefined ||
          manifest.practices.find((practice) => practice.ods === candidate.ods)?.system === system),
    );
    if (!found) throw new Error(`no ${key} archetype`);
    return found;
  };
  const gpAt = (ods: string) => {
    const user = manifest.users.find((candidate) => candidate.ods === ods && candidate.role === 'gp');
    if (!user) throw new Error(`no GP at ${ods}`);
    return user;
  };

  async function launch(overrides: Partial<control.LaunchRequest> = {}, system?: 'emis' | 'systmone') {
    const patient = archetype('standard', system);
    const response = await fetch(`${gpsim.url}/__sim/launches`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({
        ods: patient.ods,
        nhsNumber: patient.nhsNumber,
        username: gpAt(patient.ods).username,
        app: { clientId: 'gpsim-demo' },
        autoApprove: true,
        ...overrides,
      }),
    });
    return { status: response.status, body: (await response.json()) as control.LaunchResult, patient };
  }

  async function authorize(params: Record<string, string>, method: 'GET' | 'POST' = 'GET') {
    const query = new URLSearchParams(params).toString();
    const response =
      method === 'GET'
        ? await fetch(`${gpsim.url}/oauth/authorize?${query}`, { redirect: 'manual' })
        : await fetch(`${gpsim.url}/oauth/authorize`, {
            method: 'POST',
            redirect: 'manual',
            headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
            body: query,
          });
    const location = response.headers.get('location');
    return { status: response.status, location: location ? new URL(location) : undefined, text: await response.text() };
  }

  async function token(form: Record<string, string>, headers: Record<string, string> = {}) {
    const response = await fetch(`${gpsim.url}/oauth/token`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...headers },
      body: new URLSearchParams(form).toString(),
    });
    return { status: response.status, headers: response.headers, body: (await response.json()) as TokenBody };
  }

  /** Launch → authorize (PKCE) → code, as a SMART app does it. */
  async function launchToCode(launchOverrides: Partial<control.LaunchRequest> = {}, scope = SCOPE) {
    const launched = await launch(launchOverrides);
    const pkce = pkcePair();
    const state = randomUUID();
    const url = new URL(launched.body.url);
    const authorized = await authorize({
      response_type: 'code',
      client_id: 'gpsim-demo',
      redirect_uri: DEMO_REDIRECT,
      scope,
      state,
      aud: url.searchParams.get('iss') ?? '',
      launch: url.searchParams.get('launch') ?? '',
      code_challenge: pkce.challenge,
      code_challenge_method: 'S256',
    });
    return { ...launched, authorized, pkce, state, code: authorized.location?.searchParams.get('code') ?? '' };
  }

  async function launchToToken(launchOverrides: Partial<control.LaunchRequest> = {}, scope = SCOPE) {
    const flow = await launchToCode(launchOverrides, scope);
    const exchanged = await token({
      grant_type: 'authorization_code',
      code: flow.code,
      redirect_uri: DEMO_REDIRECT,
      code_verifier: flow.pkce.verifier,
      client_id: 'gpsim-demo',
    });
    return { ...flow, exchanged };
  }

  async function fhir(path: string, accessToken?: string) {
    const response = await fetch(`${iss}${path}`, { headers: accessToken ? bearer(accessToken) : {} });
    return {
      status: response.status,
      wwwAuthenticate: response.headers.get('www-authenticate'),
      body: (await response.json()) as {
        resourceType: string;
        id?: string;
        total?: number;
        issue?: { diagnostics: string }[];
      },
    };
  }

  async function jwksPem(kid: string): Promise<string> {
    const jwks = (await (await fetch(`${gpsim.url}/oauth/jwks`)).json()) as { keys: (JsonWebKey & { kid: string })[] };
    const key = jwks.keys.find((candidate) => candidate.kid === kid);
    if (!key) throw new Error(`no key ${kid}`);
    return createPublicKey({ key, format: 'jwk' }).export({ format: 'pem', type: 'spki' }).toString();
  }

  describe('discovery', () => {
    it.each(['/fhir/R4/.well-known/smart-configuration', '/.well-known/smart-configuration'])(
      'serves %s with S256 as the only PKCE method and the required fields',
      async (path) => {
        const config = (await (await fetch(`${gpsim.url}${path}`)).json()) as Record<string, unknown>;
        expect(config['code_challenge_methods_supported']).toEqual(['S256']);
        expect(config['authorization_endpoint']).toBe(`${gpsim.url}/oauth/authorize`);
        expect(config['token_endpoint']).toBe(`${gpsim.url}/oauth/token`);
        expect(config['jwks_uri']).toBe(`${gpsim.url}/oauth/jwks`);
        expect(config['grant_types_supported']).toEqual(
          expect.arrayContaining(['authorization_code', 'client_credentials']),
        );
        expect(config['capabilities']).toEqual(
          expect.arrayContaining([
            'launch-ehr',
            'launch-standalone',
            'client-public',
            'sso-openid-connect',
            'permission-v2',
          ]),
        );
      },
    );

    it('serves OpenID Connect discovery with the issuer the tokens carry', async () => {
      const config = (await (await fetch(`${gpsim.url}/.well-known/openid-configuration`)).json()) as Record<
        string,
        unknown
      >;
      expect(config['issuer']).toBe(gpsim.url);
      expect(config['userinfo_endpoint']).toBe(`${gpsim.url}/oauth/userinfo`);
    });

    it('publishes an RS256 and an ES256 key', async () => {
      const jwks = (await (await fetch(`${gpsim.url}/oauth/jwks`)).json()) as { keys: { alg: string; d?: string }[] };
      expect(jwks.keys.map((key) => key.alg).sort()).toEqual(['ES256', 'RS256']);
      expect(jwks.keys.every((key) => key.d === undefined)).toBe(true);
    });

    it('answers CORS preflights from a registered launch app and marks responses readable by that origin only', async () => {
      const preflight = await fetch(`${gpsim.url}/oauth/token`, {
        method: 'OPTIONS',
        headers: {
          Origin: 'http://localhost:3000',
          'Access-Control-Request-Method': 'POST',
          'Access-Control-Request-Headers': 'content-type',
        },
      });
      expect(preflight.status).toBe(204);
      expect(preflight.headers.get('access-control-allow-origin')).toBe('http://localhost:3000');
      expect(preflight.headers.get('access-control-allow-headers')).toBe('content-type');
      const config = await fetch(`${iss}/.well-known/smart-configuration`, {
        headers: { Origin: 'http://localhost:3000' },
      });
      expect(config.headers.get('access-control-allow-origin')).toBe('http://localhost:3000');
      expect(config.headers.get('vary')).toContain('Origin');
    });

    it('gives an origin that is neither the console nor a registered launch app no CORS grant', async () => {
      const preflight = await fetch(`${gpsim.url}/oauth/token`, {
        method: 'OPTIONS',
        headers: { Origin: 'https://attacker.example', 'Access-Control-Request-Method': 'POST' },
      });
      expect(preflight.headers.get('access-control-allow-origin')).toBeNull();
      const config = await fetch(`${iss}/.well-known/smart-configuration`, {
        headers: { Origin: 'https://attacker.example' },
      });
      expect(config.status).toBe(200);
      expect(config.headers.get('access-control-allow-origin')).toBeNull();
    });

    it('lists the demo partner and a backend client in the manifest', () => {
      expect(manifest.clients.map((client) => client.clientId)).toEqual(
        expect.arrayContaining(['gpsim-demo', 'gpsim-backend']),
      );
    });
  });

  describe('EHR launch', () => {
    it('returns launchUrl?iss=…&launch=… for POST /__sim/launches', async () => {
      const { status, body } = await launch();
      expect(status).toBe(201);
      const url = new URL(body.url);
      expect(`${url.origin}${url.pathname}`).toBe('http://localhost:3000/launch');
      expect(url.searchParams.get('iss')).toBe(iss);
      expect(url.searchParams.get('launch')).toBe(body.launch);
    });

    it('rejects a launch for a patient of another practice with a message naming the fixtures', async () => {
      const other = manifest.practices.find((practice) => practice.ods !== archetype('standard').ods);
      const { status, body } = await launch({ ods: other?.ods ?? '' });
      expect(status).toBe(400);
      expect(JSON.stringify(body)).toContain('/__sim/fixtures');
    });

    it('redirects with a code and the state echoed, then gives the launch context with the token', async () => {
      const flow = await launchToToken();
      expect(flow.authorized.status).toBe(302);
      expect(flow.authorized.location?.searchParams.get('state')).toBe(flow.state);
      expect(flow.exchanged.status).toBe(200);
      expect(flow.exchanged.headers.get('cache-control')).toBe('no-store');
      expect(flow.exchanged.headers.get('pragma')).toBe('no-cache');
      const body = flow.exchanged.body;
      expect(body.token_type).toBe('Bearer');
      expect(body.expires_in).toBeLessThanOrEqual(3600);
      expect(body.need_patient_banner).toBe(false);
      expect(body.smart_style_url).toMatch(/^http/);
      expect(body.refresh_token).toBeDefined();
      const patient = await fhir(`/Patient/${body.patient ?? ''}`, body.access_token);
      expect(patient.status).toBe(200);
      expect(JSON.stringify(patient.body)).toContain(flow.patient.nhsNumber);
    });

    it('puts the encounter in context as encounter and fhirContext', async () => {
      const { exchanged } = await launchToToken({ encounter: 'enc-1' });
      expect(exchanged.body.encounter).toBe('enc-1');
      expect(exchanged.body.fhirContext).toEqual([{ reference: 'Encounter/enc-1' }]);
    });

    it('signs an id_token whose fhirUser is the launching user, verifiable with the JWKS', async () => {
      const { exchanged } = await launchToToken();
      const idToken = exchanged.body.id_token ?? '';
      const header = jwt.decode(idToken, { complete: true })?.header;
      const claims = jwt.verify(idToken, await jwksPem(header?.kid ?? ''), {
        audience: 'gpsim-demo',
        issuer: gpsim.url,
        clockTimestamp: Math.floor(gpsim.engine.clock.now() / 1000),
      }) as jwt.JwtPayload;
      expect(claims['fhirUser']).toMatch(new RegExp(`^${iss}/Practitioner/`));
      const practitioner = await fhir(
        (claims['fhirUser'] as string).slice(iss.length),
        (await launchToToken({}, 'launch openid fhirUser user/*.rs')).exchanged.body.access_token,
      );
      expect(practitioner.body.resourceType).toBe('Practitioner');
    });

    it('carries the user role and the patient in the access token', async () => {
      const { exchanged } = await launchToToken();
      const claims = jwt.decode(exchanged.body.access_token ?? '') as jwt.JwtPayload;
      expect(claims['role']).toBe('gp');
      expect(claims['patient']).toBe(exchanged.body.patient);
      expect(claims['scope']).toBe(SCOPE);
    });

    it('shows a login and consent form when the launch is not auto-approved, and redirects with a code on Allow', async () => {
      const flow = await launchToCode({ autoApprove: false });
      expect(flow.authorized.status).toBe(200);
      expect(flow.authorized.text).toContain('<form method="post" action="/oauth/authorize">');
      expect(flow.authorized.text).toContain('name="gpsim_decision" value="approve"');
      const url = new URL((await launch({ autoApprove: false })).body.url);
      const pkce = pkcePair();
      const approved = await authorize(
        {
          response_type: 'code',
          client_id: 'gpsim-demo',
          redirect_uri: DEMO_REDIRECT,
          scope: SCOPE,
          state: 'consent-state',
          aud: iss,
          launch: url.searchParams.get('launch') ?? '',
          code_challenge: pkce.challenge,
          code_challenge_method: 'S256',
          gpsim_decision: 'approve',
        },
        'POST',
      );
      expect(approved.status).toBe(302);
      expect(approved.location?.searchParams.get('code')).toBeTruthy();
      expect(approved.location?.searchParams.get('state')).toBe('consent-state');
    });

    it('redirects with access_denied when the user presses Deny', async () => {
      const url = new URL((await launch({ autoApprove: false })).body.url);
      const denied = await authorize(
        {
          response_type: 'code',
          client_id: 'gpsim-demo',
          redirect_uri: DEMO_REDIRECT,
          scope: SCOPE,
          state: 's',
          aud: iss,
          launch: url.searchParams.get('launch') ?? '',
          code_challenge: pkcePair().challenge,
          code_challenge_method: 'S256',
          gpsim_decision: 'deny',
        },
        'POST',
      );
      expect(denied.location?.searchParams.get('error')).toBe('access_denied');
    });

    it('carries patient, user and organisation context in authorization_details for an EMIS practice (EMIS-X–style)', async () => {
      const launched = await launch({}, 'emis');
      const pkce = pkcePair();
      const url = new URL(launched.body.url);
      const authorized = await authorize({
        response_type: 'code',
        client_id: 'gpsim-demo',
        redirect_uri: DEMO_REDIRECT,
        scope: SCOPE,
        state: 'x',
        aud: iss,
        launch: url.searchParams.get('launch') ?? '',
        code_challenge: pkce.challenge,
        code_challenge_method: 'S256',
      });
      const exchanged = await token({
        grant_type: 'authorization_code',
        code: authorized.location?.searchParams.get('code') ?? '',
        redirect_uri: DEMO_REDIRECT,
        code_verifier: pkce.verifier,
        client_id: 'gpsim-demo',
      });
      const details = exchanged.body.authorization_details?.[0];
      expect(details?.type).toBe('smart_on_fhir');
      expect(details?.locations).toEqual([iss]);
      expect(details?.context?.['patient']?.['nhsNumber']).toBe(launched.patient.nhsNumber);
      expect(details?.context?.['organisation']?.['odsCode']).toBe(launched.patient.ods);
      expect(details?.context?.['user']?.['role']).toBe('gp');
    });

    it('accepts a custom-scheme redirect URI registered for a desktop app', async () => {
      const launched = await launch({ app: { clientId: 'gpsim-emisx-desktop' } }, 'emis');
      const url = new URL(launched.body.url);
      expect(url.protocol).toBe('gpsim-desktop:');
      const authorized = await authorize({
        response_type: 'code',
        client_id: 'gpsim-emisx-desktop',
        redirect_uri: 'gpsim-desktop://callback',
        scope: SCOPE,
        aud: iss,
        launch: url.searchParams.get('launch') ?? '',
        code_challenge: pkcePair().challenge,
        code_challenge_method: 'S256',
      });
      expect(authorized.location?.protocol).toBe('gpsim-desktop:');
      expect(authorized.location?.searchParams.get('code')).toBeTruthy();
    });
  });

  describe('authorize failures', () => {
    async function attempt(overrides: Record<string, string | undefined>) {
      const url = new URL((await launch()).body.url);
      const params: Record<string, string> = {};
      const base: Record<string, string | undefined> = {
        response_type: 'code',
        client_id: 'gpsim-demo',
        redirect_uri: DEMO_REDIRECT,
        scope: SCOPE,
        state: 'st',
        aud: iss,
        launch: url.searchParams.get('launch') ?? '',
        code_challenge: pkcePair().challenge,
        code_challenge_method: 'S256',
        ...overrides,
      };
      for (const [key, value] of Object.entries(base)) if (value !== undefined) params[key] = value;
      return authorize(params);
    }

    it('refuses a public client without PKCE, redirecting invalid_request with the state', async () => {
      const reply = await attempt({ code_challenge: undefined, code_challenge_method: undefined });
      expect(reply.location?.searchParams.get('error')).toBe('invalid_request');
      expect(reply.location?.searchParams.get('state')).toBe('st');
    });

    it('refuses code_challenge_method plain', async () => {
      const reply = await attempt({ code_challenge_method: 'plain' });
      expect(reply.location?.searchParams.get('error')).toBe('invalid_request');
    });

    it('refuses an aud that is not the FHIR base URL', async () => {
      const reply = await attempt({ aud: 'https://elsewhere.example/fhir' });
      expect(reply.location?.searchParams.get('error')).toBe('invalid_request');
      expect(reply.location?.searchParams.get('error_description')).toContain(iss);
    });

    it('never redirects to an unregistered redirect URI', async () => {
      const reply = await attempt({ redirect_uri: 'https://attacker.example/cb' });
      expect(reply.status).toBe(400);
      expect(reply.location).toBeUndefined();
      expect(JSON.parse(reply.text)).toMatchObject({ error: 'invalid_request' });
    });

    it('refuses an unregistered client unless gpsim runs lenient', async () => {
      const reply = await attempt({ client_id: 'nobody' });
      expect(reply.status).toBe(401);
      expect(JSON.parse(reply.text)).toMatchObject({ error: 'invalid_client' });
    });

    it('refuses unknown scopes with invalid_scope', async () => {
      const reply = await attempt({ scope: 'launch patient/*.teleport' });
      expect(reply.location?.searchParams.get('error')).toBe('invalid_scope');
    });

    it('refuses a launch id that was never issued', async () => {
      const reply = await attempt({ launch: 'made-up' });
      expect(reply.location?.searchParams.get('error')).toBe('invalid_request');
    });
  });

  describe('token endpoint', () => {
    it('refuses a wrong code_verifier (PKCE S256)', async () => {
      const flow = await launchToCode();
      const reply = await token({
        grant_type: 'authorization_code',
        code: flow.code,
        redirect_uri: DEMO_REDIRECT,
        code_verifier: pkcePair().verifier,
        client_id: 'gpsim-demo',
      });
      expect(reply.status).toBe(400);
      expect(reply.body.error).toBe('invalid_grant');
    });

    it('refuses a missing code_verifier', async () => {
      const flow = await launchToCode();
      const reply = await token({
        grant_type: 'authorization_code',
        code: flow.code,
        redirect_uri: DEMO_REDIRECT,
        client_id: 'gpsim-demo',
      });
      expect(reply.body.error).toBe('invalid_grant');
    });

    it('refuses a replayed code', async () => {
      const flow = await launchToToken();
      expect(flow.exchanged.status).toBe(200);
      const replay = await token({
        grant_type: 'authorization_code',
        code: flow.code,
        redirect_uri: DEMO_REDIRECT,
        code_verifier: flow.pkce.verifier,
        client_id: 'gpsim-demo',
      });
      expect(replay.status).toBe(400);
      expect(replay.body.error).toBe('invalid_grant');
    });

    it('revokes the access and refresh tokens a replayed code gave (RFC 6749 §4.1.2)', async () => {
      const flow = await launchToToken();
      const path = `/Patient/${flow.exchanged.body.patient ?? ''}`;
      expect((await fhir(path, flow.exchanged.body.access_token)).status).toBe(200);
      await token({
        grant_type: 'authorization_code',
        code: flow.code,
        redirect_uri: DEMO_REDIRECT,
        code_verifier: flow.pkce.verifier,
        client_id: 'gpsim-demo',
      });
      expect((await fhir(path, flow.exchanged.body.access_token)).status).toBe(401);
      const refreshed = await token({
        grant_type: 'refresh_token',
        refresh_token: flow.exchanged.body.refresh_token ?? '',
        client_id: 'gpsim-demo',
      });
      expect(refreshed.body.error).toBe('invalid_grant');
    });

    it('refuses a code used after its minute on the simulated clock', async () => {
      const flow = await launchToCode();
      gpsim.engine.clock.advance(61_000);
      const reply = await token({
        grant_type: 'authorization_code',
        code: flow.code,
        redirect_uri: DEMO_REDIRECT,
        code_verifier: flow.pkce.verifier,
        client_id: 'gpsim-demo',
      });
      expect(reply.body.error).toBe('invalid_grant');
      expect(reply.body.error_description).toContain('expired');
    });

    it('refuses a code exchanged for another client', async () => {
      const flow = await launchToCode();
      const reply = await token({
        grant_type: 'authorization_code',
        code: flow.code,
        redirect_uri: DEMO_REDIRECT,
        code_verifier: flow.pkce.verifier,
        client_id: 'gpsim-emisx-desktop',
      });
      expect(reply.status).toBe(401);
      expect(reply.body.error).toBe('invalid_client');
    });

    it('refreshes with rotation: the new refresh token works, the spent one does not', async () => {
      const { exchanged } = await launchToToken();
      const first = await token({
        grant_type: 'refresh_token',
        refresh_token: exchanged.body.refresh_token ?? '',
        client_id: 'gpsim-demo',
      });
      expect(first.status).toBe(200);
      expect(first.body.access_token).toBeDefined();
      expect(first.body.refresh_token).not.toBe(exchanged.body.refresh_token);
      const reused = await token({
        grant_type: 'refresh_token',
        refresh_token: exchanged.body.refresh_token ?? '',
        client_id: 'gpsim-demo',
      });
      expect(reused.body.error).toBe('invalid_grant');
      const second = await token({
        grant_type: 'refresh_token',
        refresh_token: first.body.refresh_token ?? '',
        client_id: 'gpsim-demo',
      });
      expect(second.status).toBe(200);
    });

    it('refuses an unknown grant type', async () => {
      expect((await token({ grant_type: 'password' })).body.error).toBe('unsupported_grant_type');
    });

    it('calls a token request without grant_type invalid_request (RFC 6749 §5.2: a missing required parameter)', async () => {
      const reply = await token({ client_id: 'gpsim-demo' });
      expect(reply.status).toBe(400);
      expect(reply.body.error).toBe('invalid_request');
    });

    it('gives backend services a token for client_credentials with a client secret', async () => {
      const backend = manifest.clients.find((client) => client.clientId === 'gpsim-backend');
      const basic = Buffer.from(`gpsim-backend:${backend?.clientSecret ?? ''}`).toString('base64');
      const good = await token(
        { grant_type: 'client_credentials', scope: 'system/*.rs' },
        { Authorization: `Basic ${basic}` },
      );
      expect(good.status).toBe(200);
      const wrong = await token(
        { grant_type: 'client_credentials', scope: 'system/*.rs' },
        { Authorization: `Basic ${Buffer.from('gpsim-backend:wrong-secret').toString('base64')}` },
      );
      expect(wrong.status).toBe(401);
    });

    it('authenticates a registered backend service by private_key_jwt and refuses a replayed assertion', async () => {
      const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
      const registered = await fetch(`${gpsim.url}/__sim/clients`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({
          clientId: 'jwt-backend',
          type: 'backend',
          redirectUris: [],
          jwks: { keys: [{ ...publicKey.export({ format: 'jwk' }), kid: 'k1', alg: 'ES256' }] },
        }),
      });
      expect(registered.status).toBe(201);
      const now = Math.floor(gpsim.engine.clock.now() / 1000);
      const assertion = jwt.sign(
        { iss: 'jwt-backend', sub: 'jwt-backend', aud: `${gpsim.url}/oauth/token`, exp: now + 60, jti: randomUUID() },
        privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
        { algorithm: 'ES256', keyid: 'k1' },
      );
      const form = {
        grant_type: 'client_credentials',
        scope: 'system/Patient.rs',
        client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
        client_assertion: assertion,
      };
      const first = await token(form);
      expect(first.status).toBe(200);
      expect(first.body.scope).toBe('system/Patient.rs');
      const replay = await token(form);
      expect(replay.status).toBe(401);
      expect(replay.body.error).toBe('invalid_client');
    });
  });

  describe('the R4 face checks the bearer token', () => {
    it('answers 401 OperationOutcome with WWW-Authenticate when no token is sent', async () => {
      const reply = await fhir(`/Patient/${(await launchToToken()).exchanged.body.patient ?? ''}`);
      expect(reply.status).toBe(401);
      expect(reply.body.resourceType).toBe('OperationOutcome');
      expect(reply.wwwAuthenticate).toMatch(/^Bearer /);
    });

    it('keeps /metadata public', async () => {
      expect((await fhir('/metadata')).status).toBe(200);
    });

    it('shows a patient/ scoped token only its launch patient', async () => {
      const { exchanged } = await launchToToken();
      const other = gpsim.engine.population.byNhsNumber(archetype('no-allergies').nhsNumber)?.patient;
      expect((await fhir(`/Patient/${other?.id ?? ''}`, exchanged.body.access_token)).status).toBe(404);
      const search = await fhir(`/Condition?patient=${other?.id ?? ''}`, exchanged.body.access_token);
      expect(search.body.total).toBe(0);
      const own = await fhir(`/Condition?patient=${exchanged.body.patient ?? ''}`, exchanged.body.access_token);
      expect(own.status).toBe(200);
    });

    it('answers 403 insufficient_scope for a resource type the scopes do not cover', async () => {
      const { exchanged } = await launchToToken({}, 'launch openid fhirUser patient/Patient.rs');
      const reply = await fhir(`/Observation?patient=${exchanged.body.patient ?? ''}`, exchanged.body.access_token);
      expect(reply.status).toBe(403);
      expect(reply.wwwAuthenticate).toContain('insufficient_scope');
    });

    it("limits a user's token to what the user's role allows: a receptionist sees appointments, not the clinical record", async () => {
      const patient = archetype('standard');
      const receptionist = manifest.users.find((user) => user.ods === patient.ods && user.role === 'receptionist');
      expect(receptionist).toBeDefined();
      const { exchanged } = await launchToToken(
        { username: receptionist?.username ?? '' },
        'launch openid fhirUser user/*.rs',
      );
      const id = exchanged.body.patient ?? '';
      expect((await fhir(`/Appointment?patient=${id}`, exchanged.body.access_token)).status).toBe(200);
      expect((await fhir(`/Patient/${id}`, exchanged.body.access_token)).status).toBe(200);
      const refused = await fhir(`/Condition?patient=${id}`, exchanged.body.access_token);
      expect(refused.status).toBe(403);
      expect(refused.body.issue?.[0]?.diagnostics).toContain('receptionist role may not view clinical-record');
    });

    it('records who, role, organisation and device from the token on the audit trail', async () => {
      const { exchanged, patient } = await launchToToken({ device: 'ws-surgery-3' });
      await fhir(`/Patient/${exchanged.body.patient ?? ''}`, exchanged.body.access_token);
      const audit = (await (
        await fetch(`${gpsim.url}/__sim/audit?nhsNumber=${patient.nhsNumber}&limit=1000`)
      ).json()) as {
        events: {
          user?: string;
          role?: string;
          organisation?: string;
          device?: string;
          clientId?: string;
          reason?: string;
        }[];
      };
      expect(audit.events).toContainEqual(
        expect.objectContaining({
          user: gpAt(patient.ods).username,
          role: 'gp',
          organisation: patient.ods,
          device: 'ws-surgery-3',
          clientId: 'gpsim-demo',
          reason: expect.stringMatching(/^launch /) as unknown as string,
        }),
      );
    });

    it('refuses the token once it expires on the simulated clock', async () => {
      const { exchanged } = await launchToToken();
      const path = `/Patient/${exchanged.body.patient ?? ''}`;
      expect((await fhir(path, exchanged.body.access_token)).status).toBe(200);
      gpsim.engine.clock.advance(3601_000);
      const reply = await fhir(path, exchanged.body.access_token);
      expect(reply.status).toBe(401);
      expect(reply.body.issue?.[0]?.diagnostics).toContain('expired');
    });
  });

  describe('token attacks are refused with 401', () => {
    let good: string;
    let patientPath: string;
    const now = () => Math.floor(gpsim.engine.clock.now() / 1000);
    const baseClaims = () => ({
      iss: gpsim.url,
      aud: iss,
      sub: 'attacker',
      client_id: 'gpsim-backend',
      scope: 'system/*.rs',
      jti: randomUUID(),
      iat: now(),
      exp: now() + 300,
    });

    beforeAll(async () => {
      const { exchanged } = await launchToToken();
      good = exchanged.body.access_token ?? '';
      patientPath = `/Patient/${exchanged.body.patient ?? ''}`;
    });

    const expectRefused = async (attack: string) => {
      const reply = await fhir(patientPath, attack);
      expect(reply.status).toBe(401);
      expect(reply.wwwAuthenticate).toContain('invalid_token');
    };

    it('accepts the untouched token (control)', async () => {
      expect((await fhir(patientPath, good)).status).toBe(200);
    });

    it('refuses alg none', async () => {
      const [, payload] = good.split('.');
      const header = Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url');
      await expectRefused(`${header}.${payload ?? ''}.`);
    });

    it('refuses HS256 signed with the published public key', async () => {
      const kid = jwt.decode(good, { complete: true })?.header.kid ?? '';
      const pem = await jwksPem(kid);
      const header = Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT', kid })).toString('base64url');
      const payload = Buffer.from(JSON.stringify(baseClaims())).toString('base64url');
      const signature = createHmac('sha256', pem).update(`${header}.${payload}`).digest('base64url');
      await expectRefused(`${header}.${payload}.${signature}`);
    });

    it('refuses a tampered payload', async () => {
      const [header, payload, signature] = good.split('.');
      const claims = JSON.parse(Buffer.from(payload ?? '', 'base64url').toString()) as Record<string, unknown>;
      const tampered = Buffer.from(JSON.stringify({ ...claims, scope: 'system/*.rs' })).toString('base64url');
      await expectRefused(`${header ?? ''}.${tampered}.${signature ?? ''}`);
    });

    it('refuses an expired token', async () => {
      await expectRefused(
        await signWithEngineKey(gpsim.engine, { ...baseClaims(), iat: now() - 7200, exp: now() - 3600 }),
      );
    });

    it('refuses a token that is not yet valid', async () => {
      await expectRefused(
        await signWithEngineKey(gpsim.engine, { ...baseClaims(), nbf: now() + 600, exp: now() + 1200 }),
      );
    });

    it('refuses a wrong issuer', async () => {
      await expectRefused(await signWithEngineKey(gpsim.engine, { ...baseClaims(), iss: 'https://evil.example' }));
    });

    it('refuses a wrong audience', async () => {
      await expectRefused(
        await signWithEngineKey(gpsim.engine, { ...baseClaims(), aud: 'https://other.example/fhir' }),
      );
    });

    it('accepts a well-formed token signed by the engine key (the tests above fail for their one reason)', async () => {
      expect((await fhir(patientPath, await signWithEngineKey(gpsim.engine, baseClaims()))).status).toBe(200);
    });
  });

  describe('simulated errors selectable per launch', () => {
    it('invalid_scope redirects with error=invalid_scope', async () => {
      const flow = await launchToCode({ simulateError: 'invalid_scope' });
      expect(flow.authorized.location?.searchParams.get('error')).toBe('invalid_scope');
    });

    it('invalid_client answers 401 at authorize', async () => {
      const flow = await launchToCode({ simulateError: 'invalid_client' });
      expect(flow.authorized.status).toBe(401);
    });

    it('invalid_redirect_uri answers 400 and never redirects', async () => {
      const flow = await launchToCode({ simulateError: 'invalid_redirect_uri' });
      expect(flow.authorized.status).toBe(400);
      expect(flow.authorized.location).toBeUndefined();
    });

    it('expired_code fails the token exchange with invalid_grant', async () => {
      const { exchanged } = await launchToToken({ simulateError: 'expired_code' });
      expect(exchanged.body.error).toBe('invalid_grant');
    });

    it('expired_refresh_token fails the refresh with invalid_grant', async () => {
      const { exchanged } = await launchToToken({ simulateError: 'expired_refresh_token' });
      const refreshed = await token({
        grant_type: 'refresh_token',
        refresh_token: exchanged.body.refresh_token ?? '',
        client_id: 'gpsim-demo',
      });
      expect(refreshed.body.error).toBe('invalid_grant');
    });

    it('invalid_token makes the first resource request fail with 401', async () => {
      const { exchanged } = await launchToToken({ simulateError: 'invalid_token' });
      expect((await fhir(`/Patient/${exchanged.body.patient ?? ''}`, exchanged.body.access_token)).status).toBe(401);
    });

    it('token_expired serves one request then answers 401 mid-session (introspection does not spend it)', async () => {
      const { exchanged } = await launchToToken({ simulateError: 'token_expired' });
      const path = `/Patient/${exchanged.body.patient ?? ''}`;
      await fetch(`${gpsim.url}/oauth/introspect`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ token: exchanged.body.access_token ?? '' }).toString(),
      });
      expect((await fhir(path, exchanged.body.access_token)).status).toBe(200);
      const second = await fhir(path, exchanged.body.access_token);
      expect(second.status).toBe(401);
      expect(second.body.issue?.[0]?.diagnostics).toContain('expired');
    });
  });

  describe('standalone launch', () => {
    it('offers a patient picker and gives the picked patient in context with a patient banner', async () => {
      const pkce = pkcePair();
      const params = {
        response_type: 'code',
        client_id: 'gpsim-demo',
        redirect_uri: DEMO_REDIRECT,
        scope: 'launch/patient openid fhirUser patient/*.rs',
        state: 'standalone',
        aud: iss,
        code_challenge: pkce.challenge,
        code_challenge_method: 'S256',
      };
      const page = await authorize(params);
      // The picker lists the archetypes of the client's practice: the first one, for an app registered without one.
      const picked = manifest.archetypes.find(
        (entry) => entry.key === 'no-allergies' && entry.ods === manifest.practices[0]?.ods,
      );
      if (!picked) throw new Error('no no-allergies archetype at the first practice');
      expect(page.text).toContain(`<option value="${picked.nhsNumber}">`);
      const user = gpAt(picked.ods);
      const approved = await authorize(
        { ...params, username: user.username, password: 'pw', patient: picked.nhsNumber, gpsim_decision: 'approve' },
        'POST',
      );
      const exchanged = await token({
        grant_type: 'authorization_code',
        code: approved.location?.searchParams.get('code') ?? '',
        redirect_uri: DEMO_REDIRECT,
        code_verifier: pkce.verifier,
        client_id: 'gpsim-demo',
      });
      expect(exchanged.body.need_patient_banner).toBe(true);
      const patient = gpsim.engine.population.byNhsNumber(picked.nhsNumber)?.patient;
      expect(exchanged.body.patient).toBe(patient?.id);
    });
  });

  describe('CIS2-like staff login (OIDC, reference/domain.md §3.3)', () => {
    it('signs a user in through the login form and returns nhsid_nrbac_roles and selected_roleid', async () => {
      const user = manifest.users.find((candidate) => candidate.role === 'nurse');
      if (!user) throw new Error('no nurse in the estate');
      const pkce = pkcePair();
      const params = {
        response_type: 'code',
        client_id: 'gpsim-demo',
        redirect_uri: DEMO_REDIRECT,
        scope: 'openid profile nationalrbacaccess selectedrole',
        state: 'cis2',
        nonce: 'n-0S6_WzA2Mj',
        code_challenge: pkce.challenge,
        code_challenge_method: 'S256',
      };
      const page = await authorize(params);
      expect(page.status).toBe(200);
      expect(page.text).toContain('name="password"');
      const wrong = await authorize(
        { ...params, username: 'nobody', password: 'x', gpsim_decision: 'approve' },
        'POST',
      );
      expect(wrong.status).toBe(401);
      const signedIn = await authorize(
        { ...params, username: user.username, password: 'any', gpsim_decision: 'approve' },
        'POST',
      );
      expect(signedIn.location?.searchParams.get('state')).toBe('cis2');
      const exchanged = await token({
        grant_type: 'authorization_code',
        code: signedIn.location?.searchParams.get('code') ?? '',
        redirect_uri: DEMO_REDIRECT,
        code_verifier: pkce.verifier,
        client_id: 'gpsim-demo',
      });
      const idToken = jwt.decode(exchanged.body.id_token ?? '') as jwt.JwtPayload;
      expect(idToken['sub']).toBe(user.username);
      expect(idToken['nonce']).toBe('n-0S6_WzA2Mj');
      expect(idToken['selected_roleid']).toBe(user.sdsRoleProfileId);
      expect(idToken['nhsid_nrbac_roles']).toEqual([
        expect.objectContaining({ person_roleid: user.sdsRoleProfileId, org_code: user.ods }),
      ]);
    });
  });

  describe('introspection and userinfo', () => {
    it('describes an active token and calls anything else inactive', async () => {
      const { exchanged } = await launchToToken();
      const introspect = async (value: string) =>
        (await (
          await fetch(`${gpsim.url}/oauth/introspect`, {
            method: 'POST',
            headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
            body: new URLSearchParams({ token: value }).toString(),
          })
        ).json()) as Record<string, unknown>;
      expect(await introspect(exchanged.body.access_token ?? '')).toMatchObject({
        active: true,
        client_id: 'gpsim-demo',
      });
      expect(await introspect('nonsense')).toEqual({ active: false });
    });

    it('returns CIS2-shaped role claims for nationalrbacaccess and selectedrole', async () => {
      const { exchanged, patient } = await launchToToken(
        {},
        'launch openid fhirUser profile nationalrbacaccess selectedrole patient/*.rs',
      );
      const info = (await (
        await fetch(`${gpsim.url}/oauth/userinfo`, { headers: bearer(exchanged.body.access_token ?? '') })
      ).json()) as {
        sub: string;
        nhsid_nrbac_roles: { person_roleid: string; org_code: string; role_code: string }[];
        selected_roleid: string;
      };
      const user = gpAt(patient.ods);
      expect(info.sub).toBe(user.username);
      expect(info.nhsid_nrbac_roles[0]).toMatchObject({ person_roleid: user.sdsRoleProfileId, org_code: patient.ods });
      expect(info.nhsid_nrbac_roles[0]?.role_code).toMatch(/^S\d+:G\d+:R\d+$/);
      expect(info.selected_roleid).toBe(user.sdsRoleProfileId);
    });
  });
});

describe('launch options', () => {
  it('--launch-lenient accepts an unregistered public client with any redirect URI', async () => {
    const gpsim = await startTestGpsim({ ...smallEstate, launchLenient: true });
    try {
      const pkce = pkcePair();
      const reply = await fetch(
        `${gpsim.url}/oauth/authorize?${new URLSearchParams({
          response_type: 'code',
          client_id: 'my-dev-app',
          redirect_uri: 'http://localhost:9999/cb',
          scope: 'openid fhirUser user/*.rs',
          aud: `${gpsim.url}/fhir/R4`,
          code_challenge: pkce.challenge,
          code_challenge_method: 'S256',
        }).toString()}`,
        { redirect: 'manual' },
      );
      expect(reply.status).toBe(200);
      expect(await reply.text()).toContain('name="username"');
    } finally {
      await gpsim.close();
    }
  });

  it('--launch-auto-approve gives a standalone launch the practice default GP and its standard patient', async () => {
    const gpsim = await startTestGpsim({ ...smallEstate, launchAutoApprove: true });
    try {
      const manifest = (await (await fetch(`${gpsim.url}/__sim/fixtures`)).json()) as control.Manifest;
      const first = manifest.practices[0]?.ods;
      const pkce = pkcePair();
      const reply = await fetch(
        `${gpsim.url}/oauth/authorize?${new URLSearchParams({
          response_type: 'code',
          client_id: 'gpsim-demo',
          redirect_uri: DEMO_REDIRECT,
          scope: 'launch/patient openid fhirUser patient/*.rs',
          state: 'standalone',
          aud: `${gpsim.url}/fhir/R4`,
          code_challenge: pkce.challenge,
          code_challenge_method: 'S256',
        }).toString()}`,
        { redirect: 'manual' },
      );
      const code = new URL(reply.headers.get('location') ?? '').searchParams.get('code') ?? '';
      const exchanged = (await (
        await fetch(`${gpsim.url}/oauth/token`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({
            grant_type: 'authorization_code',
            code,
            redirect_uri: DEMO_REDIRECT,
            code_verifier: pkce.verifier,
            client_id: 'gpsim-demo',
          }).toString(),
        })
      ).json()) as TokenBody;
      const standard = manifest.archetypes.find((entry) => entry.key === 'standard' && entry.ods === first);
      const patient = gpsim.engine.population.byNhsNumber(standard?.nhsNumber ?? '')?.patient;
      expect(exchanged.patient).toBe(patient?.id);
      expect(exchanged.need_patient_banner).toBe(true);
    } finally {
      await gpsim.close();
    }
  });

  it('keeps the signing keys of a data directory across restarts', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'gpsim-keys-'));
    const jwks = async () => {
      const gpsim = await startTestGpsim({ ...smallEstate, store: 'sqlite', dataDir });
      try {
        return await (await fetch(`${gpsim.url}/oauth/jwks`)).text();
      } finally {
        await gpsim.close();
      }
    };
    try {
      expect(await jwks()).toBe(await jwks());
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
