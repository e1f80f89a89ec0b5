import type { control } from '@gpsim/contracts';
import type { RunningGpsim } from '@gpsim/simulator/main';
import { smallEstate, startTestGpsim } from '../support/gpsim';
import { pkcePair } from '../support/tokens';

const REDIRECT = 'http://localhost:3000/callback';

/**
 * The sign-in page's device step (Internet SystmOne guide, "Two-Factor Authentication"): with the
 * practice's deviceTrust switch on, a sign-in from an unvalidated browser is held until the passcode
 * e-mailed to the user's work address is entered; the browser is named by an HttpOnly device cookie.
 */
describe('sign-in page: device passcode for practices with device trust on', () => {
  let gpsim: RunningGpsim;
  let manifest: control.Manifest;
  let user: control.Manifest['users'][number];

  beforeAll(async () => {
    gpsim = await startTestGpsim(smallEstate);
    manifest = (await (await fetch(`${gpsim.url}/__sim/fixtures`)).json()) as control.Manifest;
    const ods = manifest.practices.find((practice) => practice.system === 'systmone')?.ods;
    user = manifest.users.find(
      (candidate) => candidate.ods === ods && candidate.email && !candidate.otherRoles?.length,
    ) as control.Manifest['users'][number];
  });
  afterAll(() => gpsim.close());

  const switchDeviceTrust = async (ods: string, on: boolean) => {
    const response = await fetch(`${gpsim.url}/__sim/practices/${ods}`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ deviceTrust: on }),
    });
    expect(response.status).toBe(200);
  };
  const signIn = async (username: string, extra: Record<string, string> = {}, cookie?: string) => {
    const response = await fetch(`${gpsim.url}/oauth/authorize`, {
      method: 'POST',
      redirect: 'manual',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        ...(cookie === undefined ? {} : { cookie }),
      },
      body: new URLSearchParams({
        response_type: 'code',
        client_id: 'gpsim-demo',
        redirect_uri: REDIRECT,
        scope: 'openid fhirUser user/*.rs',
        state: 'device',
        aud: manifest.endpoints.fhirR4,
        code_challenge: pkcePair().challenge,
        code_challenge_method: 'S256',
        username,
        password: 'pw',
        gpsim_decision: 'approve',
        ...extra,
      }).toString(),
    });
    return { status: response.status, headers: response.headers, text: await response.text() };
  };
  const latestPasscode = async (to: string) => {
    const { messages } = (await (await fetch(`${gpsim.url}/__sim/mailbox?limit=100`)).json()) as {
      messages: { to: string; body: string }[];
    };
    const mine = messages.filter((message) => message.to === to);
    return /passcode is (\d{6})/.exec(mine.at(-1)?.body ?? '')?.[1] as string;
  };

  it('signs straight in while the practice has device trust off (the default)', async () => {
    const response = await signIn(user.username);
    expect(response.status).toBe(302);
    expect(response.headers.get('set-cookie')).toBeNull();
  });

  it('holds the sign-in for a passcode, then trusts the device for later sign-ins', async () => {
    await switchDeviceTrust(user.ods, true);
    const held = await signIn(user.username);
    expect(held.status).toBe(200);
    expect(held.text).toContain('name="device_passcode"');
    expect(held.text).not.toContain(user.email as string);
    const setCookie = held.headers.get('set-cookie') as string;
    expect(setCookie).toMatch(
      /^gpsim_device=browser-[0-9a-f-]{36}; Path=\/oauth; Max-Age=2592000; HttpOnly; SameSite=Lax$/,
    );
    const cookie = setCookie.split(';')[0] as string;

    const wrong = await signIn(user.username, { device_passcode: '0000000' }, cookie);
    expect(wrong.status).toBe(401);
    expect(wrong.text).toContain('Wrong passcode: 4 tries left');
    expect(wrong.text).toContain('name="device_passcode"');

    const passcode = await latestPasscode(user.email as string);
    const accepted = await signIn(user.username, { device_passcode: passcode }, cookie);
    expect(accepted.status).toBe(302);

    const again = await signIn(user.username, {}, cookie);
    expect(again.status).toBe(302);
    // A browser without the cookie is another device: held again.
    expect((await signIn(user.username)).status).toBe(200);
  });

  it('ignores a forged device cookie and names the browser afresh', async () => {
    const held = await signIn(user.username, {}, 'gpsim_device=../../etc/passwd');
    expect(held.status).toBe(200);
    expect(held.headers.get('set-cookie')).toMatch(/^gpsim_device=browser-/);
  });

  it('holds a multi-site user only when the organisation they pick has device trust on', async () => {
    const home = manifest.users.find((candidate) => candidate.email && (candidate.otherRoles ?? []).length > 0);
    const other = home?.otherRoles?.[0];
    if (!home || !other) throw new Error('the estate has no multi-site user with a work email');
    await switchDeviceTrust(home.ods, false);
    await switchDeviceTrust(other.ods, true);
    expect((await signIn(home.username, { selected_roleid: home.sdsRoleProfileId })).status).toBe(302);
    const held = await signIn(home.username, { selected_roleid: other.sdsRoleProfileId });
    expect(held.status).toBe(200);
    expect(held.text).toContain(`name="selected_roleid" value="${other.sdsRoleProfileId}"`);
    await switchDeviceTrust(other.ods, false);
  });

  it('tells a user without a work email to ask a System Administrator, on the page, not as a server error', async () => {
    const noEmail = manifest.users.find((candidate) => !candidate.email && !candidate.otherRoles?.length);
    if (!noEmail) throw new Error('the estate has no user without a work email');
    await switchDeviceTrust(noEmail.ods, true);
    const refused = await signIn(noEmail.username);
    expect(refused.status).toBe(401);
    expect(refused.text).toContain('ask a System Administrator');
    expect(refused.text).not.toContain('name="device_passcode"');
  });
});
