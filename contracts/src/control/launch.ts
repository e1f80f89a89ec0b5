import { z } from 'zod';

/** How a registered app authenticates at the token endpoint (SMART client types). */
export const clientTypes = ['public', 'confidential', 'backend'] as const;
export const ClientType = z.enum(clientTypes);
export type ClientType = z.infer<typeof ClientType>;

/**
 * Errors a launch can be told to produce at one stage, like smart-launcher's simulated errors:
 * authorize (invalid_client, invalid_redirect_uri, invalid_scope), token (expired_code,
 * expired_refresh_token) or resource request (invalid_token, token_expired mid-session).
 */
export const simulatedLaunchErrors = [
  'invalid_client',
  'invalid_redirect_uri',
  'invalid_scope',
  'expired_code',
  'expired_refresh_token',
  'invalid_token',
  'token_expired',
] as const;
export const SimulatedLaunchError = z.enum(simulatedLaunchErrors);
export type SimulatedLaunchError = z.infer<typeof SimulatedLaunchError>;

const RedirectUri = z
  .string()
  .max(2000)
  .refine((value) => URL.canParse(value) && !/^(javascript|data|vbscript):/i.test(value), {
    message: 'must be an absolute URI (custom schemes such as myapp://callback are fine)',
  });

export const OAuthClient = z.object({
  clientId: z.string().min(1).max(200),
  clientSecret: z.string().min(16).max(200).optional().describe('For confidential and backend clients.'),
  redirectUris: z.array(RedirectUri).max(20),
  launchUrl: z.string().max(2000).optional(),
  type: ClientType,
  jwks: z
    .object({ keys: z.array(z.record(z.string(), z.unknown())).min(1).max(10) })
    .optional()
    .describe('Public keys for private_key_jwt client authentication (backend services).'),
  ods: z.string().max(10).optional().describe('Practice of standalone launches; the first practice otherwise.'),
  username: z.string().max(100).optional().describe('User of auto-approved standalone launches.'),
  nhsNumber: z
    .string()
    .regex(/^\d{10}$/)
    .optional()
    .describe('Patient of auto-approved standalone launches.'),
});
export type OAuthClient = z.infer<typeof OAuthClient>;

export const LaunchRequest = z.object({
  ods: z.string().min(1).max(10),
  nhsNumber: z.string().regex(/^\d{10}$/, 'nhsNumber must be 10 digits'),
  username: z.string().min(1).max(100),
  app: z.object({ launchUrl: z.string().max(2000).optional(), clientId: z.string().min(1).max(200) }),
  autoApprove: z.boolean().optional(),
  encounter: z.string().max(100).optional().describe('Encounter id to put in context.'),
  device: z
    .string()
    .regex(/^[A-Za-z0-9._:-]{1,100}$/)
    .optional()
    .describe('The workstation launching the app; recorded on the audit trail of every read the app makes.'),
  simulateError: SimulatedLaunchError.optional(),
});
export type LaunchRequest = z.infer<typeof LaunchRequest>;

export const LaunchResult = z.object({
  url: z.string().describe('launchUrl?iss=…&launch=…: open it to start the app.'),
  iss: z.url(),
  launch: z.string(),
});
export type LaunchResult = z.infer<typeof LaunchResult>;
