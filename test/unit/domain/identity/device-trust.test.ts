import { SimClock } from '@gpsim/simulator/domain/clock';
import { SimError } from '@gpsim/simulator/domain/errors';
import type { StaffUser } from '@gpsim/simulator/domain/estate';
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
  const user = staff('jo.smith@nhs.net');

  beforeEach(() => {
    now = Date.parse('2026-11-01T09:00:00Z');
    clock = new SimClock(() => now);
    mailbox = new Mailbox(clock);
    devices = new DeviceTrust(clock, mailbox, () => '123456');
  });

  const codeError = (run: () => unknown): SimError => {
    try {
      run();
    } catch (error) {
      if (error instanceof SimError) return error;
    }
    throw new Error('expected a SimError');
  };

  it('sends a one-time passcode to the work email when the device is unknown', () => {
    const result = devices.login(user, 'laptop-1');
    expect(result).toMatchObject({ status: 'passcode-sent', sentTo: 'j*****@nhs.net' });
    const [mail] = mailbox.list({ to: 'jo.smith@nhs.net' });
    expect(mail?.body).toContain('123456');
  });

  it('trusts the device for 30 days of simulated time after the right passcode', () => {
    devices.login(user, 'laptop-1');
    devices.verify(user, 'laptop-1', '123456');
    expect(devices.login(user, 'laptop-1').status).toBe('trusted');
    now += 30 * DAY - 1;
    expect(devices.isTrusted(user, 'laptop-1')).toBe(true);
    now += 1;
    expect(devices.isTrusted(user, 'laptop-1')).toBe(false);
    expect(devices.login(user, 'laptop-1').status).toBe('passcode-sent');
  });

  it('trusts only the device that was validated', () => {
    devices.login(user, 'laptop-1');
    devices.verify(user, 'laptop-1', '123456');
    expect(devices.login(user, 'desktop-2').status).toBe('passcode-sent');
  });

  it('refuses a user without a work email and tells them to ask a System Administrator', () => {
    const error = codeError(() => devices.login(staff(), 'laptop-1'));
    expect(error.code).toBe('forbidden');
    expect(error.message).toMatch(/System Administrator/);
    expect(mailbox.list()).toHaveLength(0);
  });

  it('counts wrong passcodes down and locks the device after the fifth', () => {
    devices.login(user, 'laptop-1');
    for (let left = 4; left >= 1; left--) {
      const error = codeError(() => devices.verify(user, 'laptop-1', '000000'));
      expect(error.code).toBe('unauthorised');
      expect(error.message).toContain(`${left} tries left`);
    }
    expect(codeError(() => devices.verify(user, 'laptop-1', '000000')).code).toBe('rate-limited');
    // Even the right code is refused while locked, and no new code is sent.
    expect(codeError(() => devices.verify(user, 'laptop-1', '123456')).code).toBe('rate-limited');
    expect(codeError(() => devices.login(user, 'laptop-1')).code).toBe('rate-limited');
    now += 15 * MINUTE;
    expect(devices.login(user, 'laptop-1').status).toBe('passcode-sent');
    expect(devices.verify(user, 'laptop-1', '123456').trustedUntil).toBeDefined();
  });

  it('does not resend within a minute, so a double click sends one email', () => {
    devices.login(user, 'laptop-1');
    devices.login(user, 'laptop-1');
    expect(mailbox.list()).toHaveLength(1);
    now += MINUTE;
    devices.login(user, 'laptop-1');
    expect(mailbox.list()).toHaveLength(2);
  });

  it('refuses a passcode after its 10 minutes', () => {
    devices.login(user, 'laptop-1');
    now += 10 * MINUTE;
    expect(codeError(() => devices.verify(user, 'laptop-1', '123456')).code).toBe('invalid-request');
  });

  it('masks the email address it reports', () => {
    expect(maskEmail('a@x.nhs.uk')).toBe('*@x.nhs.uk');
    expect(maskEmail('pat.jones@nhs.net')).toBe('p*****@nhs.net');
  });
});
