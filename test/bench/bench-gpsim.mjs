// Starting a built gpsim for a benchmark: a child process on its own port and data directory.
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
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
  // A minute: on a loaded shared machine a start can take many seconds.
  for (let attempt = 0; attempt < 2400; attempt++) {
    try {
      if ((await fetch(`${base}/__sim/health`)).ok) return;
    } catch {
      // not up yet
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error('bench: gpsim did not start');
}

/** An access token for the R4 face from the manifest's backend client (client_credentials). */
export async function r4Token(base) {
  const manifest = await (await fetch(`${base}/__sim/fixtures`)).json();
  const client = manifest.clients.find((candidate) => candidate.type === 'backend' && candidate.clientSecret);
  const response = await fetch(`${base}/oauth/token`, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/x-www-form-urlencoded',
      Authorization: `Basic ${Buffer.from(`${client.clientId}:${client.clientSecret}`).toString('base64')}`,
    },
    body: new URLSearchParams({ grant_type: 'client_credentials', scope: 'system/*.rs' }).toString(),
  });
  const body = await response.json();
  if (!body.access_token) throw new Error(`bench: no R4 token: ${response.status} ${body.error_description ?? ''}`);
  return body.access_token;
}

/** A port nothing listens on now (the OS picks it), for a server the bench starts. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}
