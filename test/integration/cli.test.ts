import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { control } from '@gpsim/contracts';
import { freePort, requireBuiltCli, runCli, startCli } from '../support/cli';

jest.setTimeout(60_000);

describe('gpsim command line', () => {
  beforeAll(requireBuiltCli);

  it('shows help listing the commands and every option with its environment twin', async () => {
    const top = await runCli(['--help']);
    expect(top.code).toBe(0);
    for (const command of ['start', 'fixtures', 'reset', 'patient', 'verify', 'pact-verify'])
      expect(top.stdout).toContain(command);
    const start = await runCli(['start', '--help']);
    for (const flag of ['--port', '--backup-port', '--tcp-port', '--data-dir', '--seed', '--store', '--config']) {
      expect(start.stdout).toContain(flag);
    }
    expect(start.stdout).toContain('GPSIM_PORT');
  });

  it('runs two instances side by side with their own ports, data directories and seeds', async () => {
    const [a, b, c, d, t1, t2] = await Promise.all([
      freePort(),
      freePort(),
      freePort(),
      freePort(),
      freePort(),
      freePort(),
    ]);
    const dirA = mkdtempSync(join(tmpdir(), 'gpsim-cli-a-'));
    const dirB = mkdtempSync(join(tmpdir(), 'gpsim-cli-b-'));
    const small = ['--patients-per-practice', '100', '--log-level', 'info'];
    const first = await startCli([
      '--port',
      `${a}`,
      '--backup-port',
      `${b}`,
      '--tcp-port',
      `${t1}`,
      '--data-dir',
      dirA,
      '--seed',
      'alpha',
      ...small,
    ]);
    const second = await startCli([
      '--port',
      `${c}`,
      '--backup-port',
      `${d}`,
      '--tcp-port',
      `${t2}`,
      '--data-dir',
      dirB,
      '--seed',
      'beta',
      ...small,
    ]);
    try {
      for (const [port, seed] of [
        [a, 'alpha'],
        [b, 'alpha'],
        [c, 'beta'],
        [d, 'beta'],
      ] as const) {
        const health = control.Health.parse(await (await fetch(`http://127.0.0.1:${port}/__sim/health`)).json());
        expect(health.seed).toBe(seed);
        expect(health.store).toBe('sqlite');
      }
      expect(existsSync(join(dirA, 'gpsim.sqlite'))).toBe(true);
      expect(existsSync(join(dirB, 'gpsim.sqlite'))).toBe(true);
      const manifest = control.Manifest.parse(await (await fetch(`http://127.0.0.1:${a}/__sim/fixtures`)).json());
      expect(manifest.nodes).toEqual([
        { name: 's11', url: `http://127.0.0.1:${a}` },
        { name: 's12', url: `http://127.0.0.1:${b}` },
      ]);
    } finally {
      expect(await first.stop()).toBe(0);
      expect(await second.stop()).toBe(0);
    }
  });

  it('takes options from the environment twins and a --config file', async () => {
    const port = await freePort();
    const started = await startCli(['--backup-port', 'none', '--store', 'memory'], {
      GPSIM_PORT: String(port),
      GPSIM_SEED: 'from-env',
      GPSIM_PATIENTS_PER_PRACTICE: '100',
    });
    try {
      const health = control.Health.parse(await (await fetch(`http://127.0.0.1:${port}/__sim/health`)).json());
      expect(health).toMatchObject({ seed: 'from-env', store: 'memory' });
    } finally {
      await started.stop();
    }
  });

  it('explains a port that is already taken instead of crashing with a stack trace', async () => {
    const port = await freePort();
    const first = await startCli([
      '--port',
      `${port}`,
      '--backup-port',
      'none',
      '--tcp-port',
      'none',
      '--store',
      'memory',
      '--patients-per-practice',
      '100',
    ]);
    try {
      const second = await runCli([
        'start',
        '--port',
        `${port}`,
        '--backup-port',
        'none',
        '--tcp-port',
        'none',
        '--store',
        'memory',
      ]);
      expect(second.code).toBe(2);
      expect(second.stderr).toMatch(/already in use/);
      expect(second.stderr).not.toMatch(/\n\s+at /);
    } finally {
      await first.stop();
    }
  });

  it.each([
    [['start', '--port', 'abc'], /port must be a whole number/],
    [['start', '--store', 'mongodb://x'], /Unknown store/],
    [['patient', '123'], /no patient with NHS number 123/],
    [['fixtures', '--patients-per-practice', '5'], /patients per practice/],
  ])('rejects %j with a clear message and exit code 2', async (args, message) => {
    const result = await runCli(args);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
  });

  it('is deterministic across processes: the same seed prints byte-identical manifests and patient records', async () => {
    const args = ['--patients-per-practice', '300', '--seed', 'cross-process'];
    const [one, two] = await Promise.all([runCli(['fixtures', ...args]), runCli(['fixtures', ...args])]);
    expect(one.code).toBe(0);
    expect(two.stdout).toBe(one.stdout);
    const manifest = control.Manifest.parse(JSON.parse(one.stdout));
    const standard = manifest.archetypes.find((archetype) => archetype.key === 'large-record');
    const [first, second] = await Promise.all([
      runCli(['patient', standard?.nhsNumber ?? '', '--record', ...args]),
      runCli(['patient', standard?.nhsNumber ?? '', '--record', ...args]),
    ]);
    expect(first.code).toBe(0);
    expect(second.stdout).toBe(first.stdout);
    expect(JSON.parse(first.stdout).patient.nhsNumber).toBe(standard?.nhsNumber);
  });
});
