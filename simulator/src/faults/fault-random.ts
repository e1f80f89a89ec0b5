import { hashString, mixKeys } from '../population/random';

/**
 * A fault rule's draws: a pure function of (seed, request ordinal, purpose), so a failing CI run
 * replays exactly whatever the timing, and one purpose (jitter) never shifts another (the decision).
 */
export function uniformDraw(seed: string, ordinal: number, purpose: string): number {
  const key = mixKeys(hashString(seed), ordinal >>> 0, Math.floor(ordinal / 2 ** 32), hashString(purpose));
  // 32 bits are plenty for a probability; the +0.5 keeps the draw strictly inside (0, 1).
  return (key + 0.5) / 2 ** 32;
}

/** A standard normal draw (Box-Muller over two independent uniform draws). */
export function normalDraw(seed: string, ordinal: number, purpose: string): number {
  const u1 = uniformDraw(seed, ordinal, `${purpose}:1`);
  const u2 = uniformDraw(seed, ordinal, `${purpose}:2`);
  return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
}
