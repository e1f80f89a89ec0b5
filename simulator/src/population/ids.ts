import { fmix32, hashString, mixKeys } from './random';

/**
 * Logical ids of computed resources. An id is a UUID that encrypts (kind, owner, n) with a seeded
 * 64-bit Feistel permutation, so any id can be decoded back to the thing it names in O(1) without
 * an index, and ids look like the opaque UUIDs real GP systems hand out. The other half of the UUID
 * is a keyed check value, so a made-up or mistyped id decodes to nothing rather than to a stranger.
 */

export const idKinds = [
  'patient',
  'practice',
  'location',
  'practitioner',
  'practitioner-role',
  'problem',
  'medication',
  'medication-issue',
  'allergy',
  'observation',
  'immunisation',
  'consultation',
  'referral',
  'document',
  'appointment',
  'slot',
  'schedule',
  'investigation',
  'diary',
  'write',
] as const;
export type IdKind = (typeof idKinds)[number];

export interface DecodedId {
  kind: IdKind;
  /** The owner: a patient ordinal for clinical entries, a practice index for practice things. */
  owner: number;
  /** Position within the owner (entry number, staff index, ...). */
  n: number;
}

const OWNER_BITS = 32;
const N_BITS = 26;
const N_MASK = (1 << N_BITS) - 1;
const ROUNDS = 4;
const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

export class IdCodec {
  private readonly key: number;

  constructor(seed: string) {
    this.key = hashString(`gpsim-ids:${seed}`);
  }

  encode(kind: IdKind, owner: number, n: number): string {
    const kindIndex = idKinds.indexOf(kind);
    if (owner < 0 || owner >= 2 ** OWNER_BITS || n < 0 || n > N_MASK) {
      throw new RangeError(`id out of range: ${kind} ${owner} ${n}`);
    }
    // 64-bit payload as two 32-bit halves: [owner][kind:6 | n:26]
    let left = owner >>> 0;
    let right = ((kindIndex << N_BITS) | n) >>> 0;
    for (let round = 0; round < ROUNDS; round++) {
      const next = (left ^ this.roundFunction(right, round)) >>> 0;
      left = right;
      right = next;
    }
    return this.format(left, right);
  }

  decode(id: string): DecodedId | undefined {
    if (!uuidPattern.test(id)) return undefined;
    const hex = id.replace(/-/g, '');
    let left = parseInt(hex.slice(0, 8), 16) >>> 0;
    let right = parseInt(hex.slice(20, 28), 16) >>> 0;
    if (this.format(left, right) !== id) return undefined;
    for (let round = ROUNDS - 1; round >= 0; round--) {
      const previousRight = left;
      const previousLeft = (right ^ this.roundFunction(previousRight, round)) >>> 0;
      left = previousLeft;
      right = previousRight;
    }
    const kind = idKinds[right >>> N_BITS];
    if (kind === undefined) return undefined;
    return { kind, owner: left, n: right & N_MASK };
  }

  private roundFunction(half: number, round: number): number {
    return mixKeys(half, this.key, round);
  }

  private format(left: number, right: number): string {
    const check1 = mixKeys(left, right, this.key, 1);
    const check2 = fmix32(check1 ^ right ^ this.key);
    // Payload halves sit at hex positions 0-7 and 20-27; the version (12) and variant (16)
    // nibbles fall inside the check value, so no payload bit is overwritten.
    const check = hex8(check1) + hex8(check2);
    const hex = hex8(left) + check.slice(0, 12) + hex8(right) + check.slice(12, 16);
    const variant = '89ab'[parseInt(hex[16] as string, 16) & 3];
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
  }
}

const HEX_BYTES: readonly string[] = Array.from({ length: 256 }, (_, byte) => byte.toString(16).padStart(2, '0'));

/** Eight hex digits; table lookups, because ids are minted for every record entry. */
function hex8(value: number): string {
  return (
    (HEX_BYTES[value >>> 24] as string) +
    (HEX_BYTES[(value >>> 16) & 255] as string) +
    (HEX_BYTES[(value >>> 8) & 255] as string) +
    (HEX_BYTES[value & 255] as string)
  );
}
