import { randomBytes } from 'node:crypto';

/** A MESH message id: the acceptance time (yyyyMMddHHmmssSSS, UTC) and a random suffix, e.g. 20220228174323222_ABCDEF. */
export function newMessageId(now: Date): string {
  const stamp = now
    .toISOString()
    .replace(/[-:T.Z]/g, '')
    .slice(0, 17);
  return `${stamp}_${randomBytes(3).toString('hex').toUpperCase()}`;
}
