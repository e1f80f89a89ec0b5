import { createHmac, createPublicKey, randomUUID } from 'node:crypto';
import type { JsonWebKey } from 'node:crypto';
import type { control } from '@gpsim/contracts';
import type { RunningGpsim } from '@gpsim/simulator/main';
import jwt from 'jsonwebtoken';
import { INTERACTION, gpcClient, jwtClaims, spineCode, unsignedJwt } from '../support/gpconnect';
import { smallEstate, startTestGpsim } from '../support/gpsim';
import { signWithEngineKey } from '../support/tokens';

/**
 * The JWT attack set (RFC 8725 "JSON Web Token Best Current Practices" §2: alg none, algorithm
 * confusion, tampering, expiry, issuer and audience substitution) against every face that accepts
 * gpsim's own access tokens: the UK Core R4 API, the EMIS partner API's bearer logon, token
 * introspection (RFC 7662 §2.2: a token that fails checks is just {"active": false}) and OIDC
 * UserInfo (OpenID Connect Core §5.3.3: an invalid token is a 401 invalid_token, RFC 6750 §3.1).
 */
describe('JWT attacks on every surface that checks access tokens', () => {
  let gpsim: RunningGpsim;
  let manifest: control.Manifest;
  const now = () => Math.floor(gpsim.engine.clock.now() / 1000);

  beforeAll(async () => {
    gpsim = await startTestGpsim(smallEstate);
    manifest = (await (await fetch(`${gpsim.url}/__sim/fixtures`)).json()) as control.Manifest;
  });
  afterAll(() => gpsim.close());

  interface TokenSurface {
    name: string;
    clientId: () => string;
    /** Whom the token speaks for; the client itself when omitted. */
    subject?: () => string;
    scope: string;
    /** Calls the surface with the token; true when it was accepted. */
    call: (token: string) => Promise<{ status: number; text: string }>;
    acceptedMark: RegExp;
    refusedStatus: number;
    refusedMark: RegExp;
  }

  const emisPractice = () => manifest.practices.find((practice) => practice.system === 'emis')?.ods as string;
  const surfaces: TokenSurface[] = [
    {
      name: 'fhir-r4',
      clientId: () => 'gpsim-backend',
      scope: 'system/*.rs',
      call: async (token) => {
        const response = await fetch(`${gpsim.url}/fhir/R4/Patient?identifier=9999999999`, {
          headers: { Authorization: `Bearer ${token}` },
        });
        return { status: response.status, text: await response.text() };
      },
      acceptedMark: /"resourceType":"Bundle"/,
      refusedStatus: 401,
      refusedMark: /OperationOutcome/,
    },
    {
      name: 'emis',
      clientId: () => manifest.partners.find((partner) => partner.name === 'gpsim-demo')?.clientId as string,
      scope: 'system/*.rs',
      call: async (token) => {
        const response = await fetch(`${gpsim.url}/emis/partner-api/GetMatchedPatient`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', Authorization: `Bearer ${token}` },
          body: JSON.stringify({ OrganisationId: emisPractice(), NhsNumber: '9999999999' }),
        });
        return { status: response.status, text: await response.text() };
      },
      acceptedMark: /^(?![\s\S]*"Outcome":"Failure")/,
      refusedStatus: 401,
      refusedMark: /"Outcome":"Failure".*Session(Invalid|Expired)/,
    },
    {
      name: 'oauth introspect',
      clientId: () => 'gpsim-backend',
      scope: 'system/*.rs',
      call: async (token) => {
        const response = await fetch(`${gpsim.url}/oauth/introspect`, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({ token }).toString(),
        });
        return { status: response.status, text: await response.text() };
      },
      acceptedMark: /"active":true/,
      refusedStatus: 200,
      refusedMark: /^\{"active":false\}$/,
    },
    {
      name: 'oauth userinfo',
      clientId: () => 'gpsim-demo',
      subject: () => (manifest.users[0] as control.Manifest['users'][number]).username,
      scope: 'openid fhirUser profile',
      call: async (token) => {
        const response = await fetch(`${gpsim.url}/oauth/userinfo`, { headers: { Authorization: `Bearer ${token}` } });
        return { status: response.status, text: await response.text() };
      },
      acceptedMark: /"fhirUser"/,
      refusedStatus: 401,
      refusedMark: /"error":"invalid_token"/,
    },
  ];

  const claimsFor = (surface: TokenSurface) => ({
    iss: gpsim.url,
    aud: `${gpsim.url}/fhir/R4`,
    sub: surface.subject?.() ?? 'attacker',
    client_id: surface.clientId(),
    scope: surface.scope,
    jti: randomUUID(),
    iat: now(),
    exp: now() + 300,
  });

  async function publicPem(kid: string): Promise<string> {
    const jwks = (await (await fetch(`${gpsim.url}/oauth/jwks`)).json()) as { keys: (JsonWebKey & { kid: string })[] };
    const key = jwks.keys.find((candidate) => candidate.kid === kid) ?? jwks.keys[0];
    return createPublicKey({ key: key as JsonWebKey, format: 'jwk' })
      .export({ format: 'pem', type: 'spki' })
      .toString();
  }

  const attacks: [string, (surface: TokenSurface) => Promise<string>][] = [
    ['alg none', async (surface) => unsignedJwt(claimsFor(surface), { alg: 'none', typ: 'JWT' })],
    [
      'HS256 signed with the published RSA public key (algorithm confusion)',
      async (surface) => {
        const good = await signWithEngineKey(gpsim.engine, claimsFor(surface));
        const kid = jwt.decode(good, { complete: true })?.header.kid ?? '';
        const header = Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT', kid })).toString('base64url');
        const payload = Buffer.from(JSON.stringify(claimsFor(surface))).toString('base64url');
        const signature = createHmac('sha256', await publicPem(kid))
          .update(`${header}.${payload}`)
          .digest('base64url');
        return `${header}.${payload}.${signature}`;
      },
    ],
    [
      'a tampered payload under the original signature',
      async (surface) => {
        const [header, , signature] = (await signWithEngineKey(gpsim.engine, claimsFor(surface))).split('.');
        const payload = Buffer.from(JSON.stringify({ ...claimsFor(surface), sub: 'someone-else' })).toString(
          'base64url',
        );
        return `${header ?? ''}.${payload}.${signature ?? ''}`;
      },
    ],
    [
      'an expired token',
      (surface) => signWithEngineKey(gpsim.engine, { ...claimsFor(surface), iat: now() - 7200, exp: now() - 3600 }),
    ],
    [
      'a token not yet valid (nbf in the future)',
      (surface) => signWithEngineKey(gpsim.engine, { ...claimsFor(surface), nbf: now() + 600, exp: now() + 1200 }),
    ],
    [
      'another issuer',
      (surface) => signWithEngineKey(gpsim.engine, { ...claimsFor(surface), iss: 'https://evil.example' }),
    ],
    [
      'another audience',
      (surface) => signWithEngineKey(gpsim.engine, { ...claimsFor(surface), aud: 'https://other.example/fhir' }),
    ],
    ['a token that is not a JWT', async () => 'definitely-not-a-jwt'],
  ];

  describe.each(surfaces)('$name', (surface) => {
    it('accepts a well-formed token signed by the engine key (so each refusal below has one cause)', async () => {
      const reply = await surface.call(await signWithEngineKey(gpsim.engine, claimsFor(surface)));
      expect(reply.status).toBe(200);
      expect(reply.text).toMatch(surface.acceptedMark);
    });

    it.each(attacks)('refuses %s in its own dialect', async (_name, forge) => {
      const reply = await surface.call(await forge(surface));
      expect(reply.status).toBe(surface.refusedStatus);
      expect(reply.text).toMatch(surface.refusedMark);
    });
  });

  describe('GP Connect consumer JWT rules (GPC integration_cross_organisation_audit_and_provenance.md)', () => {
    const practice = () => manifest.practices[0] as control.Manifest['practices'][number];
    const metadata = (authorization: string) =>
      gpcClient(
        practice(),
        (manifest.consumers[0] as { asid: string }).asid,
      )({
        path: '/metadata',
        interaction: INTERACTION.metadata,
        headers: { Authorization: authorization },
      });
    const nowS = () => Math.floor(gpsim.engine.clock.now() / 1000);

    it('accepts the specification example token (control)', async () => {
      expect((await metadata(`Bearer ${unsignedJwt(jwtClaims('organization/*.read', nowS()))}`)).status).toBe(200);
    });

    const forged: [string, () => string][] = [
      [
        'a signed token (GP Connect tokens are unsigned, alg none)',
        () => `Bearer ${jwt.sign(jwtClaims('organization/*.read', nowS()), 'secret', { algorithm: 'HS256' })}`,
      ],
      ['an expired token', () => `Bearer ${unsignedJwt(jwtClaims('organization/*.read', nowS() - 3600))}`],
      [
        'a lifetime other than 300 seconds',
        () => `Bearer ${unsignedJwt({ ...jwtClaims('organization/*.read', nowS()), exp: nowS() + 3600 })}`,
      ],
      [
        'no requesting practitioner',
        () => {
          const { requesting_practitioner: _omitted, ...claims } = jwtClaims('organization/*.read', nowS());
          return `Bearer ${unsignedJwt(claims)}`;
        },
      ],
      ['a token that is not a JWT', () => 'Bearer garbage'],
      ['no Authorization header', () => ''],
    ];

    it.each(forged)('refuses %s with 400 BAD_REQUEST', async (_name, authorization) => {
      const reply = await metadata(authorization());
      expect(reply.status).toBe(400);
      expect(spineCode(reply)).toBe('BAD_REQUEST');
    });
  });
});
