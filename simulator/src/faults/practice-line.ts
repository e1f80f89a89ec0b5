import type { control } from '@gpsim/contracts';
import type { PaceOptions } from './body-shaping';
import { SharedLine } from './body-shaping';

/**
 * The Internet SystmOne guide's practice line sizing (seeds/internet-systmone-guide.txt, bandwidth
 * per user, §3.3.1 "Fixed Broadband Connections"): 64 Kbps per user on the primary line, 32 Kbps on the
 * backup, never below 512 Kbps primary or 256 Kbps backup (the table's "<8 users" row).
 */
export const LINE_KBPS_PER_USER = { primary: 64, backup: 32 } as const;
export const LINE_MIN_KBPS = { primary: 512, backup: 256 } as const;
/** Lines kept at once (one per rule and practice); the oldest is dropped past this. */
const MAX_LINES = 10_000;

export function practiceLineBitsPerSecond(users: number, link: 'primary' | 'backup' = 'primary'): number {
  return Math.max(LINE_MIN_KBPS[link], users * LINE_KBPS_PER_USER[link]) * 1000;
}

/** The pace of one response on its practice's line, shared with every other response of that practice. */
export function practiceLinePace(
  lines: Map<string, SharedLine>,
  ruleId: string,
  ods: string | undefined,
  fault: Extract<control.Fault, { kind: 'practice-line' }>,
): PaceOptions {
  const key = `${ruleId}|${ods ?? ''}`;
  let line = lines.get(key);
  if (line === undefined) {
    line = new SharedLine(practiceLineBitsPerSecond(fault.users, fault.link));
    lines.set(key, line);
    if (lines.size > MAX_LINES) lines.delete(lines.keys().next().value as string);
  }
  // About fifty chunks a second per line, so responses interleave finely.
  return { chunkBytes: Math.max(256, Math.round(line.bitsPerSecond / 8 / 50)), line };
}
