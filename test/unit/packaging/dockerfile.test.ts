import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * No Docker engine runs on these machines, so the Dockerfile is checked statically: the properties
 * the image must have, and that everything it copies from the build context exists.
 */
describe('Dockerfile', () => {
  const root = join(__dirname, '..', '..', '..');
  const text = readFileSync(join(root, 'Dockerfile'), 'utf8');
  const lines = text.split('\n').map((line) => line.trim());

  it('is multi-stage: a build stage and a runtime stage', () => {
    expect(lines.filter((line) => /^FROM /.test(line))).toHaveLength(2);
    expect(text).toMatch(/^FROM \S+ AS build$/m);
    expect(text).toMatch(/COPY --from=build/);
  });

  it('runs on the Node major version the machines and engines field use', () => {
    const engines = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { engines: { node: string } })
      .engines.node;
    expect(engines).toMatch(/^>=20/);
    for (const line of lines.filter((l) => l.startsWith('FROM '))) expect(line).toMatch(/^FROM node:20-/);
  });

  it('runs as a non-root user', () => {
    const user = lines.filter((line) => line.startsWith('USER ')).pop();
    expect(user).toBeDefined();
    expect(user).not.toMatch(/root|\b0\b/);
  });

  it('checks its health on /__sim/health', () => {
    expect(text).toMatch(/HEALTHCHECK[\s\S]*\/__sim\/health/);
  });

  it('runs the compiled JavaScript, not TypeScript sources', () => {
    const command = lines.filter((line) => line.startsWith('CMD ')).pop();
    expect(command).toContain('simulator/dist/cli.js');
    expect(command).not.toMatch(/ts-node|tsx|\.ts"/);
  });

  it('listens beyond localhost inside the container and keeps data on a volume', () => {
    expect(text).toMatch(/GPSIM_HOST=0\.0\.0\.0/);
    expect(text).toMatch(/GPSIM_DATA_DIR=\/data/);
    expect(text).toMatch(/VOLUME \["\/data"\]/);
  });

  it('copies only paths that exist in the build context', () => {
    const copies = lines.filter((line) => line.startsWith('COPY ') && !line.includes('--from='));
    expect(copies.length).toBeGreaterThan(0);
    for (const line of copies) {
      const parts = line.replace(/^COPY\s+/, '').split(/\s+/);
      for (const source of parts.slice(0, -1)) expect(existsSync(join(root, source))).toBe(true);
    }
  });

  it('keeps build output and local data out of the context', () => {
    const ignore = readFileSync(join(root, '.dockerignore'), 'utf8');
    for (const entry of ['node_modules', 'dist', '.gpsim', '.git']) expect(ignore).toContain(entry);
  });
});
