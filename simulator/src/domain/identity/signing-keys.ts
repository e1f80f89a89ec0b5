import { generateKeyPairSync, createHash, createPublicKey } from 'node:crypto';
import type { JsonWebKey } from 'node:crypto';
import type { SettingsRepository } from '../../store/store';

export type SigningAlgorithm = 'RS256' | 'ES256';

export interface SigningKey {
  alg: SigningAlgorithm;
  kid: string;
  /** PKCS#8 PEM; never logged nor served. */
  privatePem: string;
  publicJwk: JsonWebKey;
}

export interface SigningKeys {
  RS256: SigningKey;
  ES256: SigningKey;
}

const SETTING = 'oauth-signing-keys';

function generate(alg: SigningAlgorithm): SigningKey {
  const { privateKey, publicKey } =
    alg === 'RS256'
      ? generateKeyPairSync('rsa', { modulusLength: 2048 })
      : generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const publicJwk = publicKey.export({ format: 'jwk' });
  const kid = createHash('sha256').update(JSON.stringify(publicJwk)).digest('base64url').slice(0, 16);
  return {
    alg,
    kid,
    privatePem: privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
    publicJwk: { ...publicJwk, kid, alg, use: 'sig' },
  };
}

export function generateSigningKeys(): SigningKeys {
  return { RS256: generate('RS256'), ES256: generate('ES256') };
}

/** The public half of every key, as served at /oauth/jwks. */
export function publicJwks(keys: SigningKeys): { keys: JsonWebKey[] } {
  return { keys: [keys.RS256.publicJwk, keys.ES256.publicJwk] };
}

export function publicPem(key: SigningKey): string {
  return createPublicKey({ key: key.publicJwk, format: 'jwk' }).export({ format: 'pem', type: 'spki' }).toString();
}

/**
 * Keys are made once per data directory and kept in the store, so tokens and the JWKS that
 * clients cached stay valid across restarts (an in-memory store makes new ones per process).
 */
export async function loadSigningKeys(settings: SettingsRepository): Promise<SigningKeys> {
  const stored = await settings.get<SigningKeys>(SETTING);
  if (stored) return stored;
  // Replicas starting together over one store each generate keys; the first stored wins for all.
  return settings.claim(SETTING, generateSigningKeys());
}

export async function saveSigningKeys(settings: SettingsRepository, keys: SigningKeys): Promise<void> {
  await settings.put(SETTING, keys);
}
