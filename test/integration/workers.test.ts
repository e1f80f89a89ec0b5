import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { get } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { control } from '@gpsim/contracts';
import { CLI, requireBuiltCli } from '../support/cli';

// Creating databases and starting processes is slow on a loaded shared machine.
jest.setTimeout(60_000);

/** GET on a fresh connection each time, so the cluster hands successive requests to different workers. */
function freshGet(url: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    get(url, { agent: false }, (response) => {
      let body = '';
      response.on('data', (chunk: Buffer) => (body += chunk.toString()));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
    }).on('error', reject);
  });
}

interface Cluster {
  process: ChildProcess;
  output: () => string;
  waitFor(pattern: RegExp, after?: number): Promise<RegExpMatchArray>;
}

function startCluster(args: string[]): Cluster {
  const child = spawn(process.execPath, [CLI, 'start', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return {
    process: child,
    output: () => output,
    waitFor: (pattern, after = 0) =>
      new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          clearInterval(poll);
          reject(new Error(`no ${pattern} within 30 s:\n${output}`));
        }, 30_000);
        const poll = setInterval(() => {
          const found = output.slice(after).match(pattern);
          if (found) {
            clearInterval(poll);
            clearTimeout(timer);
            resolve(found);
          }
        }, 20);
      }),
  };
}

describe('gpsim start --workers', () => {
  let cluster: Cluster;
  let url: string;
  let pids: number[];

  beforeAll(async () => {
    requireBuiltCli();
    const dataDir = mkdtempSync(join(tmpdir(), 'gpsim-workers-'));
    cluster = startCluster([
      '--workers=2',
      '--port=0',
      '--backup-port=none',
      '--tcp-port=none',
      `--data-dir=${dataDir}`,
      '--patients-per-practice=100',
    ]);
    const ready = await cluster.waitFor(/"pids":\[(\d+),(\d+)\].*cluster of 2 workers listening on (http:\/\/[\d.:]+)/);
    pids = [Number(ready[1]), Number(ready[2])];
    url = ready[3] as string;
  });

  afterAll(() => {
    if (cluster.process.exitCode === null) cluster.process.kill('SIGKILL');
  });

  /** The clocks the workers report; a change relayed through the primary may take a moment to arrive. */
  const clockOnEveryWorker = async (expected: string): Promise<Set<string>> => {
    const deadline = Date.now() + 1_000;
    for (;;) {
      const replies = await Promise.all(Array.from({ length: 8 }, () => freshGet(`${url}/__sim/clock`)));
      const clocks = new Set(replies.map((reply) => (JSON.parse(reply.body) as control.ClockState).now));
      if ((clocks.size === 1 && clocks.has(expected)) || Date.now() > deadline) return clocks;
    }
  };

  it('runs two workers over one SQLite store: a clock set through one is the clock of all', async () => {
    expect(new Set(pids).size).toBe(2);
    const set = await fetch(`${url}/__sim/clock`, {
      method: 'POST',
      body: JSON.stringify({ set: '2030-01-01T00:00:00Z', freeze: true }),
    });
    expect(set.status).toBe(200);
    expect(await clockOnEveryWorker('2030-01-01T00:00:00.000Z')).toEqual(new Set(['2030-01-01T00:00:00.000Z']));
  });

  it('replaces a worker that crashes, and the replacement reads the shared state', async () => {
    const before = cluster.output().length;
    process.kill(pids[0] as number, 'SIGKILL');
    await cluster.waitFor(/gpsim worker exited; started a replacement/, before);
    await cluster.waitFor(/cluster of 2 workers listening/, before);
    expect(await clockOnEveryWorker('2030-01-01T00:00:00.000Z')).toEqual(new Set(['2030-01-01T00:00:00.000Z']));
    const health = await freshGet(`${url}/__sim/health`);
    expect(health.status).toBe(200);
  });

  it('stops every worker gracefully on SIGTERM and exits 0', async () => {
    const exited = new Promise<number | null>((resolve) => cluster.process.once('exit', (code) => resolve(code)));
    cluster.process.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(cluster.output()).toMatch(/gpsim cluster stopped/);
    for (const pid of pids.slice(1)) expect(() => process.kill(pid, 0)).toThrow();
  });

  it('refuses --workers over the in-memory store, which workers cannot share', async () => {
    const refused = startCluster([
      '--workers=2',
      '--store=memory',
      '--port=0',
      '--backup-port=none',
      '--tcp-port=none',
    ]);
    const code = await new Promise<number | null>((resolve) => refused.process.once('exit', resolve));
    expect(code).toBe(2);
    expect(refused.output()).toMatch(/--workers needs a store the workers share/);
  });
});
