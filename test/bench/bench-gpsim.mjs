// Starting a built gpsim for a benchmark: a child process on its own port and data directory.
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Spawns `gpsim start` (a built cli.js, by default this checkout's) (no backup node; TCP off unless tcpPort is given) and returns the child. */
export function startBenchGpsim(port, { tcpPort = 'none', args = [], cli = join('simulator', 'dist', 'cli.js') } = {}) {
  return spawn(
    process.execPath,
    [
      cli,
      'start',
      '--port',
      `${port}`,
      '--backup-port',
      'none',
      '--tcp-port',
      `${tcpPort}`,
      '--data-dir',
      mkdtempSync(join(tmpdir(), 'gpsim-bench-')),
      '--log-level',
      'warn',
      ...args,
    ],
    { stdio: 'ignore' },
  );
}

/** Waits until the gpsim at `base` answers /__sim/health. */
export async function waitForHealth(base) {
  for (let attempt = 0; attempt < 400; attempt++) {
    try {
      if ((await fetch(`${base}/__sim/health`)).ok) return;
    } catch {
      // not up yet
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error('bench: gpsim did not start');
}
