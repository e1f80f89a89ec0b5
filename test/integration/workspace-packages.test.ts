import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pack, root, run, tsc } from '../support/packages';

const packages = [
  { name: '@gpsim/contracts', workspace: 'contracts' },
  { name: '@gpsim/simulator', workspace: 'simulator' },
];

/**
 * @gpsim/contracts and @gpsim/simulator as a vendor installs them: the tarballs `npm pack` makes,
 * unpacked into an empty project's node_modules with only their declared dependencies beside them
 * (linked from the workspace's node_modules, so the test needs no registry), then loaded through
 * their `exports` maps and type-checked. A runtime import of a dev dependency, or a file missing
 * from `files`, fails here.
 */
describe('@gpsim/contracts and @gpsim/simulator packages', () => {
  let consumer: string;
  const flags = ['--noEmit', '--strict', '--skipLibCheck', '--module', 'nodenext', '--moduleResolution', 'nodenext'];

  beforeAll(async () => {
    await run('npx', ['tsc', '-b'], { cwd: root });
    await run('node', ['scripts/esm-wrappers.mjs'], { cwd: root });
    consumer = await mkdtemp(join(tmpdir(), 'gpsim-packages-consumer-'));
  }, 120_000);
  afterAll(() => rm(consumer, { recursive: true, force: true }));

  it.each(packages)(
    'packs $name with its built JavaScript, declarations and README only: no sources, tests, maps or build info',
    async ({ workspace }) => {
      const paths = (await pack(workspace, consumer, true)).files.map((file) => file.path);
      expect(paths).toEqual(
        expect.arrayContaining([
          'package.json',
          'README.md',
          'dist/index.js',
          'dist/index.d.ts',
          'dist/index.mjs',
          'dist/index.d.mts',
        ]),
      );
      const unexpected = paths.filter(
        (path) =>
          !/^(package\.json|README\.md|dist\/.+\.(js|d\.ts)|dist\/(index|msw)\.(mjs|d\.mts))$/.test(path) &&
          // The simulator's run-time data: verification cases and the console's static files.
          !(
            workspace === 'simulator' &&
            /^(fixtures\/verify\/[\w-]+\.yaml|web\/static\/[\w.-]+|estate-fixtures\/[\w/.-]+)$/.test(path)
          ),
      );
      expect(unexpected).toEqual([]);
      // The estate's reference data travels with the engine, so it builds outside a checkout.
      if (workspace === 'simulator')
        expect(paths).toEqual(expect.arrayContaining(['estate-fixtures/scenarios/national-outage.yaml']));
      expect(paths.some((path) => /\.map$|tsbuildinfo|(^|\/)src\/|\.test\./.test(path))).toBe(false);
    },
    60_000,
  );

  it('installs from the tarballs with only declared dependencies and loads every entry point, the msw one included', async () => {
    const modules = join(consumer, 'node_modules');
    await mkdir(join(modules, '@gpsim'), { recursive: true });
    const dependencies = new Set<string>();
    for (const { name, workspace } of packages) {
      const tarball = (await pack(workspace, consumer)).filename;
      const target = join(modules, name);
      await mkdir(target, { recursive: true });
      await run('tar', ['-xzf', join(consumer, tarball), '-C', target, '--strip-components=1']);
      const manifest = JSON.parse(await readFile(join(target, 'package.json'), 'utf8')) as {
        dependencies?: Record<string, string>;
      };
      for (const dependency of Object.keys(manifest.dependencies ?? {})) dependencies.add(dependency);
    }
    for (const dependency of dependencies) {
      if (dependency.startsWith('@gpsim/')) continue;
      await mkdir(join(modules, dependency, '..'), { recursive: true });
      await symlink(join(root, 'node_modules', dependency), join(modules, dependency), 'dir');
    }
    await writeFile(join(consumer, 'package.json'), JSON.stringify({ name: 'consumer', private: true }));

    const loaded = await run(
      'node',
      [
        '-e',
        `const contracts = require('@gpsim/contracts');
         const simulator = require('@gpsim/simulator');
         const { createInProcessGpsim } = require('@gpsim/simulator/msw');
         console.log([typeof contracts.control.Manifest.parse, typeof simulator.startGpsim,
           typeof simulator.createApp, typeof createInProcessGpsim].join());`,
      ],
      { cwd: consumer },
    );
    expect(loaded.stdout.trim()).toBe('function,function,function,function');

    const { GPSIM_FIXTURES_DIR: _unused, ...withoutFixturesDir } = process.env;
    // The packed engine answers through msw from the reference data inside the package (no GPSIM_FIXTURES_DIR).
    const answered = await run(
      'node',
      [
        '-e',
        `const { setupServer } = require('msw/node');
         const { createInProcessGpsim } = require('@gpsim/simulator/msw');
         const gpsim = createInProcessGpsim({ patientsPerPractice: 20 });
         const server = setupServer(...gpsim.handlers);
         server.listen({ onUnhandledRequest: 'error' });
         fetch(gpsim.baseUrl + '/__sim/fixtures').then((response) => response.json()).then((manifest) => {
           console.log(manifest.practices.length > 0 && manifest.archetypes.every((a) => a.nhsNumber.startsWith('999')));
           server.close();
           gpsim.close();
         });`,
      ],
      { cwd: consumer, env: withoutFixturesDir },
    );
    expect(answered.stdout.trim()).toBe('true');

    // An ES module consumer gets the same named exports through the "import" condition.
    await writeFile(
      join(consumer, 'consumer.mjs'),
      `import { control } from '@gpsim/contracts';
import { defaultOptions, startGpsim } from '@gpsim/simulator';
import { createInProcessGpsim } from '@gpsim/simulator/msw';
import { setupServer } from 'msw/node';
const gpsim = createInProcessGpsim({ patientsPerPractice: 20 });
const server = setupServer(...gpsim.handlers);
server.listen({ onUnhandledRequest: 'error' });
const manifest = control.Manifest.parse(await (await fetch(gpsim.baseUrl + '/__sim/fixtures')).json());
const entries = ['@gpsim/contracts', '@gpsim/simulator', '@gpsim/simulator/msw'].map((name) => import.meta.resolve(name));
console.log([typeof startGpsim, defaultOptions().port > 0, manifest.archetypes.every((a) => a.nhsNumber.startsWith('999')),
  entries.every((entry) => entry.endsWith('.mjs'))].join());
server.close();
await gpsim.close();
`,
    );
    const esm = await run('node', ['consumer.mjs'], { cwd: consumer, env: withoutFixturesDir });
    expect(esm.stdout.trim()).toBe('function,true,true,true');
  }, 120_000);

  it('type-checks a CommonJS consumer through both exports maps, /msw included', async () => {
    await writeFile(
      join(consumer, 'consumer.cts'),
      `import { control } from '@gpsim/contracts';
import { defaultOptions, type GpsimOptions } from '@gpsim/simulator';
import { createInProcessGpsim } from '@gpsim/simulator/msw';
const options: GpsimOptions = { ...defaultOptions(), port: 0 };
// @ts-expect-error patientsPerPractice is a number
createInProcessGpsim({ patientsPerPractice: 'many' });
export const used = [control.Manifest, options, createInProcessGpsim];
`,
    );
    await expect(run('node', [tsc, ...flags, 'consumer.cts'], { cwd: consumer })).resolves.toBeDefined();
  }, 120_000);

  it('type-checks an ES module consumer through the "import" conditions, /msw included', async () => {
    await writeFile(
      join(consumer, 'consumer.mts'),
      `import { control } from '@gpsim/contracts';
import { defaultOptions, type GpsimOptions } from '@gpsim/simulator';
import { createInProcessGpsim, type InProcessGpsim } from '@gpsim/simulator/msw';
const options: GpsimOptions = { ...defaultOptions(), port: 0 };
// @ts-expect-error patientsPerPractice is a number
createInProcessGpsim({ patientsPerPractice: 'many' });
const gpsim: InProcessGpsim = createInProcessGpsim(options);
export const used = [control.Manifest, gpsim.handlers];
`,
    );
    // --listFiles shows the "import" conditions' declarations were the ones read.
    const checked = await run('node', [tsc, ...flags, '--listFiles', 'consumer.mts'], {
      cwd: consumer,
      maxBuffer: 64 * 1024 * 1024,
    });
    for (const declarations of ['contracts/dist/index.d.mts', 'simulator/dist/index.d.mts', 'simulator/dist/msw.d.mts'])
      expect(checked.stdout).toContain(`@gpsim/${declarations}`);
  }, 120_000);
});
