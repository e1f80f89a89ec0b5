import type { control } from '@gpsim/contracts';
import type { RunningGpsim } from '@gpsim/simulator/main';
import { smallEstate, startTestGpsim } from '../support/gpsim';

describe('Internet SystmOne device sign-in and the mailbox (/__sim/devices, /__sim/mailbox)', () => {
  let gpsim: RunningGpsim;
  let manifest: control.Manifest;

  beforeAll(async () => {
    gpsim = await startTestGpsim(smallEstate);
    manifest = (await (await fetch(`${gpsim.url}/__sim/fixtures`)).json()) as control.Manifest;
  });
  afterAll(() => gpsim.close());

  const post = async (path: string, body: unknown) => {
    const response = await fetch(`${gpsim.url}/__sim/devices/${path}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };

  it('e-mails a passcode for an unknown device, and the passcode from the mailbox trusts it', async () => {
    const user = manifest.users.find((candidate) => candidate.email !== undefined);
    if (!user?.email) throw new Error('the estate has no user with an email');
    const login = await post('login', { username: user.username, password: 'secret', deviceId: 'qa-laptop' });
    expect(login.body['status']).toBe('passcode-sent');
    const mailbox = (await (await fetch(`${gpsim.url}/__sim/mailbox?to=${encodeURIComponent(user.email)}`)).json()) as {
      messages: control.MailMessage[];
    };
    const passcode = /passcode is (\d{6})/.exec(mailbox.messages[0]?.body ?? '')?.[1] ?? '';
    expect(passcode).toMatch(/^\d{6}$/);
    const verified = await post('verify', { username: user.username, deviceId: 'qa-laptop', passcode });
    expect(verified.status).toBe(200);
    const again = await post('login', { username: user.username, password: 'secret', deviceId: 'qa-laptop' });
    expect(again.body['status']).toBe('trusted');
  });

  it('answers 403 with advice for a user without a work email', async () => {
    const user = manifest.users.find((candidate) => candidate.email === undefined);
    if (!user) throw new Error('the estate has no user without an email');
    const login = await post('login', { username: user.username, password: 'secret', deviceId: 'qa-laptop' });
    expect(login.status).toBe(403);
    expect(JSON.stringify(login.body)).toContain('System Administrator');
  });

  it('rejects a missing password and an unknown user with 4xx', async () => {
    expect((await post('login', { username: 'x', deviceId: 'd' })).status).toBe(400);
    expect((await post('login', { username: 'nobody-here', password: 'p', deviceId: 'd' })).status).toBe(404);
  });

  it('puts device sign-in in the audit trail, filterable by surface, action, organisation and device', async () => {
    const user = manifest.users.filter((candidate) => candidate.email !== undefined)[1];
    if (!user) throw new Error('the estate has no second user with an email');
    await post('login', { username: user.username, password: 'secret', deviceId: 'audit-desk' });
    expect((await post('verify', { username: user.username, deviceId: 'audit-desk', passcode: 'nope' })).status).toBe(
      401,
    );
    type Events = { events: { action: string; user?: string; organisation?: string; device?: string }[] };
    const audit = async (query: string) =>
      ((await (await fetch(`${gpsim.url}/__sim/audit?${query}`)).json()) as Events).events;
    const signIn = await audit(`surface=device&device=audit-desk&organisation=${user.ods}`);
    expect(signIn.map((event) => event.action)).toEqual(['device-passcode-sent', 'device-passcode-wrong']);
    expect(signIn[0]).toMatchObject({ user: user.username, organisation: user.ods, device: 'audit-desk' });
    const wrong = await audit(`action=device-passcode-wrong&user=${user.username}`);
    expect(wrong).toHaveLength(1);
    expect(await audit('surface=device&device=no-such-device')).toEqual([]);
  });
});
