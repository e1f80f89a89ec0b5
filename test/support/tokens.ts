import { createHash, randomBytes } from 'node:crypto';
import type { control } from '@gpsim/contracts';
import type { SigningKeys } from '@gpsim/simulator/domain/identity/signing-keys';
import type { Engine } from '@gpsim/simulator/engine';
import jwt from 'jsonwebtoken';

/**
 * An access token for gpsim's R4 face, from the backend client the manifest lists
 * (client_credentials with client_secret_basic), so tests read the API as an authorised system.
 */
export async function backendToken(baseUrl: string, scope = 'system/*.rs'): Promise<string> {
  const manifest = (await (await fetch(`${baseUrl}/__sim/fixtures`)).json()) as control.Manifest;
  const client = manifest.clients.find((candidate) => candidate.type === 'backend' && candidate.clientSecret);
  if (!client?.clientSecret) throw new Error('the manifest lists no backend client');
  const response = await fetch(`${baseUrl}/oauth/token`, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/x-www-form-urlencoded',
      Authorization: `Basic ${Buffer.from(`${client.clientId}:${client.clientSecret}`).toString('base64')}`,
    },
    body: new URLSearchParams({ grant_type: 'client_credentials', scope }).toString(),
  });
  const body = (await response.json()) as { access_token?: string; error_description?: string };
  if (!body.access_token) throw new Error(`no token: ${response.status} ${body.error_description ?? ''}`);
  return body.access_token;
}

/** Headers carrying a bearer token. */
export function bearer(token: string): Record<string, string> {
  return { Authorization: `Bearer ${token}` };
}

/** Signs arbitrary claims with the engine's own RS256 key: for tests of what the server does with claims. */
export async function signWithEngineKey(engine: Engine, claims: object): Promise<string> {
  const keys = await engine.store.settings.get<SigningKeys>('oauth-signing-keys');
  if (!keys) throw new Error('the engine has not stored its signing keys');
  return jwt.sign(claims, keys.RS256.privatePem, { algorithm: 'RS256', keyid: keys.RS256.kid });
}

/** A PKCE pair (RFC 7636, S256). */
export function pkcePair(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}
