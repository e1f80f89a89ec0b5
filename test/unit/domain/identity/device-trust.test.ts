import { SimClock } from '@gpsim/simulator/domain/clock';
import { SimError } from '@gpsim/simulator/domain/errors';
import type { StaffUser } from '@gpsim/simulator/domain/estate';
import type { AuditEvent } from '@gpsim/simulator/domain/audit';
import { DeviceTrust, maskEmail } from '@gpsim/simulator/domain/identity/device-trust';
import { Mailbox } from '@gpsim/simulator/domain/mailbox';

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

function staff(email?: string): StaffUser {
  return {
    id: 'u1',
    index: 0,
    ods: 'A12345',
    role: 'gp',
    username: 'jsmith1234',
    prefix: 'Dr',
    given: 'Jo',
    family: 'Smith',
    sex: 'female',
    sdsUserId: '123456789012',
    sdsRoleProfileId: '223456789012',
    jobRole: { code: 'R0260', display: 'General Medical Practitioner' },
    accessRole: { code: 'R8000', display: 'Clinical Practitioner Access Role' },
    ...(email === undefined ? {} : { email }),
  };
}

/** Internet SystmOne two-factor device authentication (seeds/internet-systmone-guide.txt). */
describe('device trust', () => {
  let now: number;
  let clock: SimClock;
  let mailbox: Mailbox;
  let devices: DeviceTrust;
  let audit: Omit<AuditEvent, 'time'>[];
  const user = staff('jo.smith@nhs.net');

  beforeEach(() => {
    now = Date.parse('2026-11-01T09:00:00Z');
    clock = new SimClock(() => now);
    mailbox = new Mailbox(clock);
    audit = [];
    devices = new DeviceTrust(
      clock,
      mailbox,
      async (event) => {
        audit.push(event);
      },
      () => '123456',
    );
  });

  const codeError = async (run: () => Promise<unknown>): Promise<SimError> => {
    try {
      await run();
    } catch (error) {
      if (error instanceof SimError) return error;
    }
    throw new Error('expected a SimError');
  };

  it('sends a one-time passcode to the work email when the device is unknown', async () => {
    const result = await devices.login(user, 'laptop-1');
    expect(result).toMatchObject({ status: 'passcode-sent', sentTo: 'j*****@nhs.net' });
    const [mail] = mailbox.list({ to: 'jo.smith@nhs.net' });
    expect(mail?.body).toContain('123456');
  });

  it('trusts the device for 30 days of simulated time after the right passcode', async () => {
    await devices.login(user, 'laptop-1');
    await devices.verify(user, 'laptop-1', '123456');
    expect((await devices.login(user, 'laptop-1')).status).toBe('trusted');
    now += 30 * DAY - 1;
    expect(devices.isTrusted(user, 'laptop-1')).toBe(true);
    now += 1;
    expect(devices.isTrusted(user, 'laptop-1')).toBe(false);
    expect((await devices.login(user, 'laptop-1')).status).toBe('passcode-sent');
  });

  it('trusts only the device that was validated', async () => {
    await devices.login(user, 'laptop-1');
    await devices.verify(user, 'laptop-1', '123456');
    expect((await devices.login(user, 'desktop-2')).status).toBe('passcode-sent');
  });

  it('refuses a user without a work email and tells them to ask a System Administrator', async () => {
    const error = await codeError(() => devices.login(staff(), 'laptop-1'));
    expect(error.code).toBe('forbidden');
    expect(error.message).toMatch(/System Administrator/);
    expect(mailbox.list()).toHaveLength(0);
  });

  it('counts wrong passcodes down and locks the device after the fifth', async () => {
    await devices.login(user, 'laptop-1');
    for (let left = 4; left >= 1; left--) {
      const error = await codeError(() => devices.verify(user, 'laptop-1', '000000'));
      expect(error.code).toBe('unauthorised');
      expect(error.message).toContain(`${left} tries left`);
    }
    expect((await codeError(() => devices.verify(user, 'laptop-1', '000000'))).code).toBe('rate-limited');
    // Even the right code is refused while locked, and no new code is sent.
    expect((await codeError(() => devices.verify(user, 'laptop-1', '123456'))).code).toBe('rate-limited');
    expect((await codeError(() => devices.login(user, 'laptop-1'))).code).toBe('rate-limited');
    now += 15 * MINUTE;
    expect((await devices.login(user, 'laptop-1')).status).toBe('passcode-sent');
    expect((await devices.verify(user, 'laptop-1', '123456')).trustedUntil).toBeDefined();
  });

  it('does not resend within a minute, so a double click sends one email', async () => {
    await devices.login(user, 'laptop-1');
    await devices.login(user, 'laptop-1');
    expect(mailbox.list()).toHaveLength(1);
    now += MINUTE;
    await devices.login(user, 'laptop-1');
    expect(mailbox.list()).toHaveLength(2);
  });

  it('refuses a passcode after its 10 minutes', async () => {
    await devices.login(user, 'laptop-1');
    now += 10 * MINUTE;
    expect((await codeError(() => devices.verify(user, 'laptop-1', '123456'))).code).toBe('invalid-request');
  });

  it('records each step in the audit trail with the user, role, organisation and device', async () => {
    await devices.login(user, 'laptop-1');
    await codeError(() => devices.verify(user, 'laptop-1', '000000'));
    await devices.verify(user, 'laptop-1', '123456');
    await devices.login(user, 'laptop-1');
    now += 30 * DAY;
    await devices.login(user, 'laptop-1');
    expect(audit.map((event) => [event.action, event.outcome])).toEqual([
      ['device-passcode-sent', 'allowed'],
      ['device-passcode-wrong', 'refused'],
      ['device-passcode-accepted', 'allowed'],
      ['device-login-trusted', 'allowed'],
      ['device-trust-lapsed', 'refused'],
      ['device-passcode-sent', 'allowed'],
    ]);
    for (const event of audit) {
      expect(event).toMatchObject({
        surface: 'device',
        user: 'jsmith1234',
        role: 'gp',
        organisation: 'A12345',
        device: 'laptop-1',
      });
    }
  });

  it('audits the lockout and a user who has no work email', async () => {
    await devices.login(user, 'laptop-1');
    for (let tries = 0; tries < 5; tries++) await codeError(() => devices.verify(user, 'laptop-1', '000000'));
    await codeError(() => devices.login(staff(), 'desk-9'));
    expect(audit.slice(-2).map((event) => [event.action, event.device])).toEqual([
      ['device-locked-out', 'laptop-1'],
      ['device-no-email', 'desk-9'],
    ]);
  });

  it('masks the email address it reports', async () => {
    expect(maskEmail('a@x.nhs.uk')).toBe('*@x.nhs.uk');
    expect(maskEmail('pat.jones@nhs.net')).toBe('p*****@nhs.net');
  });
});
