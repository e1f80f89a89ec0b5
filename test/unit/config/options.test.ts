import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OptionError, defaultOptions, optionSpecs, resolveOptions } from '@gpsim/simulator/config/options';

describe('options: flag, then environment, then config file, then default', () => {
  const directory = mkdtempSync(join(tmpdir(), 'gpsim-options-'));
  const configFile = join(directory, 'gpsim.yaml');
  writeFileSync(configFile, 'port: 4300\nseed: from-file\npatientsPerPractice: 500\n');

  it('defaults to port 4100, backup 4101, TCP 2135, sqlite in ./.gpsim', () => {
    const options = defaultOptions();
    expect(options).toMatchObject({
      port: 4100,
      backupPort: 4101,
      tcpPort: 2135,
      store: 'sqlite',
      dataDir: './.gpsim',
    });
  });

  it('gives every option an environment twin named GPSIM_*', () => {
    for (const spec of optionSpecs) expect(spec.env).toMatch(/^GPSIM_[A-Z_]+$/);
  });

  it('lets the config file override defaults, the environment override the file, and flags override both', () => {
    const options = resolveOptions({
      configFile,
      env: { GPSIM_SEED: 'from-env', GPSIM_PORT: '4200' },
      flags: { port: '4400' },
    });
    expect(options.port).toBe(4400);
    expect(options.seed).toBe('from-env');
    expect(options.patientsPerPractice).toBe(500);
  });

  it('turns listeners off with "none"', () => {
    expect(resolveOptions({ flags: { backupPort: 'none', tcpPort: 'off' } })).toMatchObject({
      backupPort: null,
      tcpPort: null,
    });
  });

  it.each([
    [{ port: '70000' }, /port must be a whole number from 0 to 65535/],
    [{ patientsPerPractice: '25000' }, /patients per practice/],
    [{ populationDate: '2026-13-45' }, /YYYY-MM-DD/],
    [{ logLevel: 'loud' }, /log level/],
    [{ publicUrl: 'ftp://x' }, /http\(s\) URL/],
    [{ workflowActor: 'robot' }, /manual or auto/],
    [{ workflowActorDelay: '10 minutes' }, /ISO 8601 duration/],
    [{ workflowActorDelay: 'PT' }, /ISO 8601 duration/],
  ])('rejects %o with a message saying what is allowed', (flags, message) => {
    expect(() => resolveOptions({ flags })).toThrow(OptionError);
    expect(() => resolveOptions({ flags })).toThrow(message);
  });

  it('rejects unknown keys in the config file, listing the known ones', () => {
    const bad = join(directory, 'bad.yaml');
    writeFileSync(bad, 'prot: 4100\n');
    expect(() => resolveOptions({ configFile: bad })).toThrow(/unknown option "prot"/);
  });

  it('explains a missing or malformed config file', () => {
    expect(() => resolveOptions({ configFile: join(directory, 'missing.yaml') })).toThrow(/cannot read config file/);
    const broken = join(directory, 'broken.yaml');
    writeFileSync(broken, 'port: [4100\n');
    expect(() => resolveOptions({ configFile: broken })).toThrow(/not valid YAML/);
  });
});
