import { z } from 'zod';

const DeviceId = z
  .string()
  .regex(/^[A-Za-z0-9._:-]{1,100}$/, 'deviceId must be 1–100 letters, digits or . _ : -')
  .describe('Identifies the device signing in (Internet SystmOne device authentication).');

export const DeviceLogin = z.object({
  username: z.string().min(1).max(100),
  password: z.string().min(1, 'password is required').max(200),
  deviceId: DeviceId,
});
export type DeviceLogin = z.infer<typeof DeviceLogin>;

export const DeviceVerify = z.object({
  username: z.string().min(1).max(100),
  deviceId: DeviceId,
  passcode: z.string().min(1).max(20),
});
export type DeviceVerify = z.infer<typeof DeviceVerify>;

export const MailMessage = z.object({
  seq: z.number().int(),
  sent: z.string(),
  to: z.string(),
  subject: z.string(),
  body: z.string(),
});
export type MailMessage = z.infer<typeof MailMessage>;
