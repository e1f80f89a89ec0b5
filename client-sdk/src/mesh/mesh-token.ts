/** The MESH credentials of one mailbox and the environment's shared secret. */
export interface MeshCredentials {
  mailboxId: string;
  password: string;
  sharedSecret: string;
}

const encoder = new TextEncoder();

const hex = (bytes: ArrayBuffer): string =>
  [...new Uint8Array(bytes)].map((byte) => byte.toString(16).padStart(2, '0')).join('');

/**
 * The NHSMESH authorization header (MESH API spec, Authentication):
 * `NHSMESH mailbox:nonce:nonce_count:yyyyMMddHHmm:HMAC-SHA256(secret, mailbox:nonce:nonce_count:password:timestamp)`.
 * A fresh nonce each call, so a token is never replayed.
 */
export async function meshAuthorization(credentials: MeshCredentials, at: Date): Promise<string> {
  const nonce = crypto.randomUUID();
  const nonceCount = '1';
  const timestamp = at.toISOString().replace(/[-:T]/g, '').slice(0, 12);
  const key = await crypto.subtle.importKey(
    'raw',
    encoder.encode(credentials.sharedSecret),
    { name: 'HMAC', hash: 'SHA-256' },
    false,
    ['sign'],
  );
  const message = `${credentials.mailboxId}:${nonce}:${nonceCount}:${credentials.password}:${timestamp}`;
  const signature = hex(await crypto.subtle.sign('HMAC', key, encoder.encode(message)));
  return `NHSMESH ${credentials.mailboxId}:${nonce}:${nonceCount}:${timestamp}:${signature}`;
}
