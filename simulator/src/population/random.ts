/**
 * Deterministic randomness for the population. Only 32-bit integer arithmetic is used so that the
 * same seed yields the same estate on every machine and Node version (no Math.random, no floats
 * from transcendental functions on the generation path).
 */

/** Hashes a string to 32 bits (FNV-1a followed by a murmur3 finaliser for avalanche). */
export function hashString(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return fmix32(h);
}

/** murmur3's 32-bit finaliser: a cheap bijective mixer. */
export function fmix32(x: number): number {
  let h = x | 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Combines integers into one 32-bit key; order matters. */
export function mixKeys(...parts: number[]): number {
  let h = 0x9e3779b9;
  for (const part of parts) {
    h = fmix32((h ^ part) + 0x7f4a7c15 + (h << 6) + (h >>> 2));
  }
  return h >>> 0;
}

/**
 * A small, fast generator (sfc32) seeded from a key. Every patient, practice and record section
 * gets its own stream keyed by (seed, what, indexes), so generating one never disturbs another.
 */
export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(key: number) {
    this.a = 0x9e3779b9;
    this.b = 0x243f6a88;
    this.c = 0xb7e15162;
    this.d = key >>> 0;
    for (let i = 0; i < 12; i++) this.nextUint32();
  }

  /** A new independent stream derived from this generator's key space. */
  static of(...parts: number[]): Rng {
    return new Rng(mixKeys(...parts));
  }

  nextUint32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    if (n <= 1) return 0;
    // 53-bit product keeps the modulo bias negligible for the small n used here.
    return Math.floor((this.nextUint32() / 4294967296) * n);
  }

  /** Uniform integer in [min, max] inclusive. */
  between(min: number, max: number): number {
    return min + this.int(max - min + 1);
  }

  /** A fraction in [0, 1) with 32 bits of resolution. */
  fraction(): number {
    return this.nextUint32() / 4294967296;
  }

  /** True with probability p (0..1). */
  chance(p: number): boolean {
    return this.fraction() < p;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new RangeError('pick from an empty list');
    return items[this.int(items.length)] as T;
  }

  /** Picks an index with probability proportional to its weight. */
  weightedIndex(weights: readonly number[]): number {
    let total = 0;
    for (const w of weights) total += w;
    let r = this.fraction() * total;
    for (let i = 0; i < weights.length; i++) {
      r -= weights[i] as number;
      if (r < 0) return i;
    }
    return weights.length - 1;
  }

  /** An approximately normal value (Irwin–Hall sum of four uniforms): no transcendental maths. */
  normal(mean: number, sd: number): number {
    const sum = this.fraction() + this.fraction() + this.fraction() + this.fraction();
    return mean + (sum - 2) * sd * 1.7320508075688772;
  }
}
