import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pack, root, run, tsc } from '../support/packages';

/**
 * @gpsim/client as a vendor installs it: the tarball `npm pack` makes, installed into an empty
 * project, loaded by require() (CommonJS) and import() (ESM), and type-checked through its
 * `exports` map.
 */
describe('@gpsim/client package', () => {
  let consumer: string;

  beforeAll(async () => {
    await run('npm', ['run', 'build', '--workspace', 'client-sdk'], { cwd: root });
    consumer = await mkdtemp(join(tmpdir(), 'gpsim-client-consumer-'));
  }, 120_000);
  afterAll(() => rm(consumer, { recursive: true, force: true }));

  it('packs only the ESM and CJS builds with their declarations: no sources, tests, maps or build info', async () => {
    const { files } = await pack('client-sdk', consumer, true);
    const paths = files.map((file) => file.path);
    expect(paths).toEqual(
      expect.arrayContaining(['package.json', 'README.md', 'dist/cjs/index.js', 'dist/esm/index.js']),
    );
    expect(paths).toEqual(
      expect.arrayContaining(['dist/cjs/index.d.ts', 'dist/esm/index.d.ts', 'dist/esm/package.json']),
    );
    const unexpected = paths.filter(
      (path) => !/^(package\.json|README\.md|dist\/(cjs|esm)\/.+\.(js|d\.ts)|dist\/esm\/package\.json)$/.test(path),
    );
    expect(unexpected).toEqual([]);
    expect(paths.some((path) => /\.map$|tsbuildinfo|\/src\/|\.test\./.test(path))).toBe(false);
  });

  it('installs from the tarball and loads through require() and import(), whole and per client', async () => {
    const client = await pack('client-sdk', consumer);
    const contracts = await pack('contracts', consumer);
    await writeFile(join(consumer, 'package.json'), JSON.stringify({ name: 'consumer', private: true }));
    await run(
      'npm',
      [
        'install',
        '--prefer-offline',
        '--no-audit',
        '--no-fund',
        '--ignore-scripts',
        client.filename,
        contracts.filename,
      ],
      { cwd: consumer },
    );
    const required = await run(
      'node',
      [
        '-e',
        `const sdk = require('@gpsim/client'); const { MeshClient } = require('@gpsim/client/mesh');
         console.log([typeof sdk.GpConnectClient, typeof sdk.GpsimControl, MeshClient === sdk.MeshClient].join())`,
      ],
      { cwd: consumer },
    );
    expect(required.stdout.trim()).toBe('function,function,true');
    const imported = await run(
      'node',
      [
        '--input-type=module',
        '-e',
        `const sdk = await import('@gpsim/client'); const { createPkce } = await import('@gpsim/client/launch');
         const pkce = await createPkce();
         console.log([typeof sdk.SystmOneClient, typeof sdk.EmisClient, pkce.verifier.length].join())`,
      ],
      { cwd: consumer },
    );
    expect(imported.stdout.trim()).toBe('function,function,43');
  }, 120_000);

  it('builds the TypeDoc API reference from the TSDoc without a warning (warnings fail it)', async () => {
    const typedoc = join(root, 'node_modules', 'typedoc', 'bin', 'typedoc');
    await expect(
      run('node', [typedoc, '--out', join(consumer, 'api')], { cwd: join(root, 'client-sdk') }),
    ).resolves.toBeDefined();
  }, 120_000);

  it('type-checks a consumer through the exports map, as ESM and as CommonJS', async () => {
    const source = `import { GpConnectClient, type StructuredRecordQuery } from '@gpsim/client';
import { MeshClient } from '@gpsim/client/mesh';
const query: StructuredRecordQuery = { nhsNumber: '9990000018', allergies: { includeResolved: true } };
export const used = [GpConnectClient, MeshClient, query];
`;
    await writeFile(join(consumer, 'esm.mts'), source);
    await writeFile(join(consumer, 'cjs.cts'), source);
    const flags = [
      '--noEmit',
      '--strict',
      '--module',
      'nodenext',
      '--moduleResolution',
      'nodenext',
      '--lib',
      'es2023,dom',
    ];
    await expect(run('node', [tsc, ...flags, 'esm.mts', 'cjs.cts'], { cwd: consumer })).resolves.toBeDefined();
  }, 120_000);
});
