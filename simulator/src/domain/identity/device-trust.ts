import { randomInt } from 'node:crypto';
import type { AuditEvent } from '../audit';
import type { SimClock } from '../clock';
import { SimError } from '../errors';
import type { StaffUser } from '../estate';
import type { Mailbox } from '../mailbox';

/**
 * Internet SystmOne two-factor device authentication (seeds/internet-systmone-guide.txt,
 * "Two-Factor Authentication"): signing in on an unknown device sends a one-time passcode to the
 * work email on the user's profile; entering it trusts the device for 30 days. A user without a
 * work email cannot validate a device: a System Administrator must add one.
 */
export const DEVICE_TRUST_DAYS = 30;
export const PASSCODE_MINUTES = 10;
export const MAX_WRONG_PASSCODES = 5;
/** After the fifth wrong passcode the user must wait this long before asking for a new one. */
export const LOCKOUT_MINUTES = 15;
/** Between passcode e-mails, so a stuck button cannot flood the user's inbox. */
export const RESEND_SECONDS = 60;

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
const MAX_TRACKED = 10_000;

/** What the audit trail records of a device sign-in (surface "device"). */
export const deviceTrustActions = [
  'device-login-trusted',
  'device-passcode-sent',
  'device-no-email',
  'device-passcode-accepted',
  'device-passcode-wrong',
  'device-locked-out',
  'device-trust-lapsed',
] as const;
export type DeviceTrustAction = (typeof deviceTrustActions)[number];

/** Where device sign-in events go: the engine's append-only audit trail. */
export type DeviceAudit = (event: Omit<AuditEvent, 'time'>) => Promise<void>;

export type DeviceLoginResult =
  { status: 'trusted'; trustedUntil: string } | { status: 'passcode-sent'; sentTo: string; expiresAt: string };

interface Pending {
  code: string;
  expiresAt: number;
  sentAt: number;
  wrong: number;
  lockedUntil?: number;
}

function key(user: StaffUser, deviceId: string): string {
  return `${user.username.toLowerCase()}\u0000${deviceId}`;
}

/** "j.smith@nhs.net" → "j*****@nhs.net": enough to recognise, not to harvest. */
export function maskEmail(email: string): string {
  const at = email.indexOf('@');
  if (at <= 1) return `*${email.slice(at)}`;
  return `${email[0] ?? ''}${'*'.repeat(Math.min(5, at - 1))}${email.slice(at)}`;
}

export class DeviceTrust {
  private readonly trusted = new Map<string, number>();
  private readonly pending = new Map<string, Pending>();

  constructor(
    private readonly clock: SimClock,
    private readonly mailbox: Mailbox,
    private readonly audit: DeviceAudit,
    private readonly passcode: () => string = () => String(randomInt(0, 1_000_000)).padStart(6, '0'),
  ) {}

  /** A login from a device: trusted devices go straight in; others get a passcode by email. */
  async login(user: StaffUser, deviceId: string): Promise<DeviceLoginResult> {
    checkDeviceId(deviceId);
    const id = key(user, deviceId);
    const until = this.trusted.get(id);
    if (until !== undefined && until > this.clock.now()) {
      await this.record(user, deviceId, 'device-login-trusted', 'allowed');
      return { status: 'trusted', trustedUntil: new Date(until).toISOString() };
    }
    if (until !== undefined) {
      this.trusted.delete(id);
      await this.record(
        user,
        deviceId,
        'device-trust-lapsed',
        'refused',
        `trusted until ${new Date(until).toISOString()}`,
      );
    }
    return this.sendPasscode(user, deviceId);
  }

  private async record(
    user: StaffUser,
    deviceId: string,
    action: DeviceTrustAction,
    outcome: 'allowed' | 'refused',
    reason?: string,
  ): Promise<void> {
    await this.audit({
      surface: 'device',
      action,
      user: user.username,
      role: user.role,
      organisation: user.ods,
      device: deviceId,
      ...(reason !== undefined ? { reason } : {}),
      outcome,
    });
  }

  private async sendPasscode(user: StaffUser, deviceId: string): Promise<DeviceLoginResult> {
    if (user.email === undefined || user.email === '') {
      await this.record(user, deviceId, 'device-no-email', 'refused');
      throw new SimError(
        'forbidden',
        `${user.username} has no work email address, so this device cannot be validated: ask a System Administrator at ${user.ods} to add one to the user profile.`,
        { field: 'username' },
      );
    }
    const now = this.clock.now();
    const id = key(user, deviceId);
    const previous = this.pending.get(id);
    if (previous?.lockedUntil !== undefined && previous.lockedUntil > now) {
      await this.record(user, deviceId, 'device-locked-out', 'refused', 'sign-in while locked');
      throw new SimError(
        'rate-limited',
        `Too many wrong passcodes: this device is locked until ${new Date(previous.lockedUntil).toISOString()}; try again then.`,
        { detail: { retryAfterS: Math.ceil((previous.lockedUntil - now) / 1000) } },
      );
    }
    if (previous && previous.lockedUntil === undefined && now - previous.sentAt < RESEND_SECONDS * 1000) {
      // The passcode just sent still stands: say where it went rather than sending another.
      return {
        status: 'passcode-sent',
        sentTo: maskEmail(user.email),
        expiresAt: new Date(previous.expiresAt).toISOString(),
      };
    }
    const code = this.passcode();
    const expiresAt = now + PASSCODE_MINUTES * MINUTE;
    if (this.pending.size >= MAX_TRACKED && !this.pending.has(id)) this.pending.clear();
    this.pending.set(id, { code, expiresAt, sentAt: now, wrong: 0 });
    this.mailbox.send({
      to: user.email,
      subject: 'SystmOne device authentication passcode',
      body: `Your one-time passcode is ${code}. Enter it to authenticate this device (${deviceId}) for SystmOne. It expires in ${PASSCODE_MINUTES} minutes. If you did not try to sign in, tell your System Administrator.`,
    });
    await this.record(user, deviceId, 'device-passcode-sent', 'allowed', `sent to ${maskEmail(user.email)}`);
    return { status: 'passcode-sent', sentTo: maskEmail(user.email), expiresAt: new Date(expiresAt).toISOString() };
  }

  /** The passcode from the email: right, and the device is trusted for 30 days of simulated time. */
  async verify(user: StaffUser, deviceId: string, code: string): Promise<{ trustedUntil: string }> {
    checkDeviceId(deviceId);
    const now = this.clock.now();
    const id = key(user, deviceId);
    const pending = this.pending.get(id);
    if (!pending || pending.expiresAt <= now) {
      throw new SimError(
        'invalid-request',
        'No passcode is waiting for this device (or it expired): sign in again to get a new one.',
        {
          field: 'passcode',
        },
      );
    }
    if (pending.lockedUntil !== undefined && pending.lockedUntil > now) {
      await this.record(user, deviceId, 'device-locked-out', 'refused', 'passcode entered while locked');
      throw new SimError(
        'rate-limited',
        `Too many wrong passcodes: try again after ${new Date(pending.lockedUntil).toISOString()}.`,
        {
          detail: { retryAfterS: Math.ceil((pending.lockedUntil - now) / 1000) },
        },
      );
    }
    if (code.trim() !== pending.code) {
      pending.wrong += 1;
      if (pending.wrong >= MAX_WRONG_PASSCODES) {
        pending.lockedUntil = now + LOCKOUT_MINUTES * MINUTE;
        pending.expiresAt = pending.lockedUntil;
        await this.record(user, deviceId, 'device-locked-out', 'refused', `${MAX_WRONG_PASSCODES} wrong passcodes`);
        throw new SimError(
          'rate-limited',
          `${MAX_WRONG_PASSCODES} wrong passcodes: this device is locked for ${LOCKOUT_MINUTES} minutes, then sign in again for a new passcode.`,
          { detail: { retryAfterS: LOCKOUT_MINUTES * 60 } },
        );
      }
      await this.record(user, deviceId, 'device-passcode-wrong', 'refused', `wrong passcode ${pending.wrong}`);
      throw new SimError(
        'unauthorised',
        `Wrong passcode: ${MAX_WRONG_PASSCODES - pending.wrong} tries left. Use the latest code e-mailed to you.`,
        { field: 'passcode' },
      );
    }
    this.pending.delete(id);
    const until = now + DEVICE_TRUST_DAYS * DAY;
    if (this.trusted.size >= MAX_TRACKED && !this.trusted.has(id)) this.trusted.clear();
    this.trusted.set(id, until);
    await this.record(
      user,
      deviceId,
      'device-passcode-accepted',
      'allowed',
      `trusted until ${new Date(until).toISOString()}`,
    );
    return { trustedUntil: new Date(until).toISOString() };
  }

  isTrusted(user: StaffUser, deviceId: string): boolean {
    const until = this.trusted.get(key(user, deviceId));
    return until !== undefined && until > this.clock.now();
  }

  clear(): void {
    this.trusted.clear();
    this.pending.clear();
  }
}

function checkDeviceId(deviceId: string): void {
  if (!/^[A-Za-z0-9._:-]{1,100}$/.test(deviceId)) {
    throw new SimError('invalid-parameter', 'deviceId must be 1–100 letters, digits or . _ : -', { field: 'deviceId' });
  }
}
