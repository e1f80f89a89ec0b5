import type { control } from '@gpsim/contracts';
import type { RunningGpsim } from '@gpsim/simulator/main';
import jwt from 'jsonwebtoken';
import { smallEstate, startTestGpsim } from '../support/gpsim';
import { bearer, pkcePair } from '../support/tokens';

const REDIRECT = 'http://localhost:3000/callback';

/** CIS2 (reference/domain.md §3.3): a user with roles at several organisations selects one at login. */
describe('multi-site staff: CIS2-like role selection (selectedrole, selected_roleid)', () => {
  let gpsim: RunningGpsim;
  let manifest: control.Manifest;
  let iss: string;
  let home: control.Manifest['users'][number];
  let other: NonNullable<control.Manifest['users'][number]['otherRoles']>[number];

  beforeAll(async () => {
    gpsim = await startTestGpsim(smallEstate);
    manifest = (await (await fetch(`${gpsim.url}/__sim/fixtures`)).json()) as control.Manifest;
    iss = manifest.endpoints.fhirR4;
    const multiSite = manifest.users.find((user) => (user.otherRoles ?? []).length > 0);
    if (!multiSite?.otherRoles?.[0]) throw new Error('the estate has no multi-site user');
    home = multiSite;
    other = multiSite.otherRoles[0];
  });
  afterAll(() => gpsim.close());

  const authorize = async (form: Record<string, string>) => {
    const response = await fetch(`${gpsim.url}/oauth/authorize`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(form).toString(),
    });
    const location = response.headers.get('location');
    return { status: response.status, location: location ? new URL(location) : undefined, text: await response.text() };
  };
  const signIn = () => {
    const pkce = pkcePair();
    const params = {
      response_type: 'code',
      client_id: 'gpsim-demo',
      redirect_uri: REDIRECT,
      scope: 'openid fhirUser user/*.rs nationalrbacaccess selectedrole',
      state: 'multi-site',
      aud: iss,
      code_challenge: pkce.challenge,
      code_challenge_method: 'S256',
    };
    return { pkce, params };
  };
  const exchange = async (code: string, verifier: string) => {
    const response = await fetch(`${gpsim.url}/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        code,
        redirect_uri: REDIRECT,
        code_verifier: verifier,
        client_id: 'gpsim-demo',
      }).toString(),
    });
    return (await response.json()) as { access_token: string; id_token: string };
  };

  it('lists the same person at both practices in the manifest, each role with its own role profile', () => {
    const atOther = manifest.users.find((user) => user.username === home.username && user.ods === other.ods);
    expect(atOther).toMatchObject({ sdsRoleProfileId: other.sdsRoleProfileId, sdsUserId: home.sdsUserId });
    expect(atOther?.otherRoles).toEqual([{ ods: home.ods, role: home.role, sdsRoleProfileId: home.sdsRoleProfileId }]);
  });

  it('asks for a role after sign-in, then issues tokens for the organisation picked', async () => {
    const { pkce, params } = signIn();
    const picker = await authorize({ ...params, username: home.username, password: 'pw', gpsim_decision: 'approve' });
    expect(picker.status).toBe(200);
    expect(picker.text).toContain('name="selected_roleid"');
    expect(picker.text).toContain(`value="${home.sdsRoleProfileId}"`);
    expect(picker.text).toContain(`value="${other.sdsRoleProfileId}"`);

    const chosen = await authorize({
      ...params,
      username: home.username,
      selected_roleid: other.sdsRoleProfileId,
      gpsim_decision: 'approve',
    });
    expect(chosen.status).toBe(302);
    const tokens = await exchange(chosen.location?.searchParams.get('code') ?? '', pkce.verifier);
    const idToken = jwt.decode(tokens.id_token) as jwt.JwtPayload;
    expect(idToken['selected_roleid']).toBe(other.sdsRoleProfileId);
    expect(idToken['nhsid_nrbac_roles']).toEqual([
      expect.objectContaining({ person_roleid: expect.any(String), org_code: expect.any(String) }),
      expect.objectContaining({ person_roleid: expect.any(String), org_code: expect.any(String) }),
    ]);
    expect((idToken['nhsid_nrbac_roles'] as { org_code: string }[]).map((role) => role.org_code).sort()).toEqual(
      [home.ods, other.ods].sort(),
    );
    const access = jwt.decode(tokens.access_token) as jwt.JwtPayload;
    expect(access).toMatchObject({ ods: other.ods, role: other.role, sds_role_profile_id: other.sdsRoleProfileId });

    // Every read is audited against the organisation the user selected.
    const nhsNumber = manifest.archetypes.find((a) => a.ods === other.ods && a.key === 'standard')?.nhsNumber ?? '';
    const search = await fetch(`${iss}/Patient?identifier=https://fhir.nhs.uk/Id/nhs-number|${nhsNumber}`, {
      headers: bearer(tokens.access_token),
    });
    expect(search.status).toBe(200);
    const { events } = (await (
      await fetch(`${gpsim.url}/__sim/audit?user=${home.username}&surface=fhir-r4`)
    ).json()) as { events: { organisation?: string; role?: string }[] };
    expect(events.at(-1)).toMatchObject({ organisation: other.ods, role: other.role });
  });

  it('refuses a role the user does not hold', async () => {
    const { params } = signIn();
    const refused = await authorize({
      ...params,
      username: home.username,
      selected_roleid: '100000000000',
      gpsim_decision: 'approve',
    });
    expect(refused.status).toBe(400);
    expect(refused.text).toContain(home.sdsRoleProfileId);
  });

  it('signs a single-role user straight in, with their only role selected', async () => {
    const single = manifest.users.find((user) => user.role === 'nurse' && user.otherRoles === undefined);
    if (!single) throw new Error('no single-role nurse');
    const { pkce, params } = signIn();
    const signedIn = await authorize({
      ...params,
      username: single.username,
      password: 'pw',
      gpsim_decision: 'approve',
    });
    expect(signedIn.status).toBe(302);
    const tokens = await exchange(signedIn.location?.searchParams.get('code') ?? '', pkce.verifier);
    expect((jwt.decode(tokens.id_token) as jwt.JwtPayload)['selected_roleid']).toBe(single.sdsRoleProfileId);
  });
});
