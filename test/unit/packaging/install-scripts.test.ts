import { readFileSync } from 'node:fs';
import { join } from 'node:path';

// Issue 12's dependency hygiene: no install script runs beyond better-sqlite3's native build. npm 11
// runs only the scripts `allowScripts` permits, so every locked package that declares one must be
// listed there, and only better-sqlite3 may be allowed.
const root = join(__dirname, '..', '..', '..');
const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8')) as {
  packages: Record<string, { hasInstallScript?: boolean; dev?: boolean }>;
};
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  allowScripts: Record<string, boolean>;
};

const packageName = (lockPath: string) =>
  lockPath.slice(lockPath.lastIndexOf('node_modules/') + 'node_modules/'.length);
const withScripts = Object.entries(lock.packages)
  .filter(([, entry]) => entry.hasInstallScript)
  .map(([lockPath, entry]) => ({ name: packageName(lockPath), dev: entry.dev === true }));

describe('install scripts', () => {
  it('the lockfile lists the packages that declare one (so this check sees them)', () => {
    expect(withScripts.map((entry) => entry.name)).toContain('better-sqlite3');
  });

  it('every package with an install script is decided in allowScripts', () => {
    const undecided = withScripts.filter((entry) => !(entry.name in manifest.allowScripts)).map((entry) => entry.name);
    expect(undecided).toEqual([]);
  });

  it('only better-sqlite3 may run one', () => {
    const allowed = Object.entries(manifest.allowScripts)
      .filter(([, allow]) => allow)
      .map(([name]) => name);
    expect(allowed).toEqual(['better-sqlite3']);
  });

  // msw's script only copies its browser worker; vue-demi's (under Scalar's API reference) picks a Vue
  // shim whose default already fits Vue 3 — the /__sim/docs tests run with both denied.
  it('the runtime dependencies that declare one are better-sqlite3, msw and vue-demi', () => {
    const runtime = [...new Set(withScripts.filter((entry) => !entry.dev).map((entry) => entry.name))].sort();
    expect(runtime).toEqual(['better-sqlite3', 'msw', 'vue-demi']);
  });
});
