import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { control } from '@gpsim/contracts';
import type { RunningGpsim } from '@gpsim/simulator/main';
import { parseXml } from '@gpsim/simulator/surfaces/shared/xml';
import { savedNames } from '@gpsim/simulator/verify/capture';
import { toJunitXml } from '@gpsim/simulator/verify/report';
import type { CaseResult } from '@gpsim/simulator/verify/runner';
import { VerifySetupError, loadCases, loadContext, runVerify } from '@gpsim/simulator/verify/runner';
import { verifySurfaces } from '@gpsim/simulator/verify/verify-case';
import { verifyCommand } from '@gpsim/simulator/verify/verify-command';
import { freePort, requireBuiltCli, runCli } from '../support/cli';
import { smallEstate, startTestGpsim } from '../support/gpsim';

const silent = { write: () => true } as unknown as NodeJS.WritableStream;

/**
 * A deliberately broken target: it publishes gpsim's manifest (so every case can be addressed) but
 * answers every other request 200 with a JSON object of the wrong shape.
 */
async function startBrokenTarget(manifest: control.Manifest): Promise<{ url: string; server: Server }> {
  const server = createServer((request, response) => {
    request.resume();
    const body =
      request.url === '/__sim/fixtures' ? manifest : { resourceType: 'Patient', note: 'not what you asked for' };
    response.writeHead(200, { 'Content-Type': 'application/json' });
    response.end(JSON.stringify(body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

/**
 * A target that forwards to gpsim but drops `id` from what a booking answers: the capture of the
 * appointment id fails, so the cases that need it must be skipped, not run with a hole in them.
 */
async function startIdlessBookingProxy(upstream: string): Promise<{ url: string; server: Server }> {
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const headers = Object.fromEntries(
        Object.entries(request.headers).filter(
          (entry): entry is [string, string] => typeof entry[1] === 'string' && entry[0] !== 'host',
        ),
      );
      const body = chunks.length > 0 ? Buffer.concat(chunks) : undefined;
      void fetch(`${upstream}${request.url ?? '/'}`, {
        method: request.method ?? 'GET',
        headers,
        ...(body ? { body } : {}),
      })
        .then(async (answer) => {
          let text = await answer.text();
          if (request.method === 'POST' && /\/Appointment$/.test(request.url ?? '')) {
            const { id: _dropped, ...rest } = JSON.parse(text) as Record<string, unknown>;
            text = JSON.stringify(rest);
          }
          const passed = ['content-type', 'etag', 'location'].flatMap((name) => {
            const value = answer.headers.get(name);
            return value === null ? [] : [[name, value] as [string, string]];
          });
          response.writeHead(answer.status, Object.fromEntries(passed));
          response.end(text);
        })
        .catch((error: Error) => {
          response.writeHead(502);
          response.end(error.message);
        });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

describe('gpsim verify', () => {
  let gpsim: RunningGpsim;
  let manifest: control.Manifest;
  const cases = loadCases();

  beforeAll(async () => {
    gpsim = await startTestGpsim(smallEstate);
    manifest = (await (await fetch(`${gpsim.url}/__sim/fixtures`)).json()) as control.Manifest;
  });
  afterAll(() => gpsim.close());

  it('has cases for every surface, each with a spec citation and tags', () => {
    for (const surface of verifySurfaces) expect(cases.some((entry) => entry.surface === surface)).toBe(true);
    for (const entry of cases) {
      expect(entry.citation.length).toBeGreaterThan(5);
      expect(entry.tags.length).toBeGreaterThan(0);
    }
    expect(new Set(cases.map((entry) => entry.id)).size).toBe(cases.length);
  });

  it('passes 100% against gpsim itself, writes included', async () => {
    const context = await loadContext(gpsim.url);
    const results = await runVerify(context, cases, { surfaces: verifySurfaces, allowWrites: true });
    const failures = results.filter((result) => result.outcome !== 'passed');
    expect(failures.map((result) => `${result.case.id}: ${result.messages.join('; ')}`)).toEqual([]);
    expect(results).toHaveLength(cases.length);
  });

  it('passes against every practice of the estate, SystmOne and EMIS alike (--ods)', async () => {
    for (const practice of manifest.practices.slice(0, 2)) {
      const context = await loadContext(gpsim.url, { ods: practice.ods });
      const results = await runVerify(context, cases, { surfaces: ['gpconnect'] });
      expect(results.filter((result) => result.outcome === 'failed').map((result) => result.case.id)).toEqual([]);
    }
  });

  it('skips the cases that change the target unless writes are allowed', async () => {
    const context = await loadContext(`${gpsim.url}/__sim/fixtures`);
    const results = await runVerify(context, cases, { surfaces: ['mesh'] });
    const writing = results.filter((result) => result.case.writes);
    expect(writing.length).toBeGreaterThan(0);
    for (const result of writing) {
      expect(result.outcome).toBe('skipped');
      expect(result.messages[0]).toContain('--allow-writes');
    }
  });

  describe('chained cases (capture and {{saved.<name>}})', () => {
    const bookingChain = [
      'gpc.roundtrip.book',
      'gpc.roundtrip.read',
      'gpc.roundtrip.patient-appointments',
      'gpc.roundtrip.amend',
      'gpc.roundtrip.amend-stale',
      'gpc.roundtrip.cancel',
    ];
    const outcomes = (results: CaseResult[], ids: string[]) =>
      ids.map((id) => {
        const result = results.find((entry) => entry.case.id === id);
        return [id, result?.outcome, result?.messages[0]];
      });

    it('runs a read-only chain without --allow-writes, and skips what needs a write, saying why', async () => {
      const context = await loadContext(gpsim.url);
      const results = await runVerify(context, cases, { surfaces: ['gpconnect'], only: ['roundtrip', 'patient'] });
      expect(outcomes(results, ['gpc.foundations.find-patient', 'gpc.foundations.read-found-patient'])).toEqual([
        ['gpc.foundations.find-patient', 'passed', undefined],
        ['gpc.foundations.read-found-patient', 'passed', undefined],
      ]);
      const [book, read] = outcomes(results, bookingChain);
      expect(book).toEqual(['gpc.roundtrip.book', 'skipped', 'changes the target: run with --allow-writes']);
      expect(read?.[1]).toBe('skipped');
      expect(read?.[2]).toMatch(/^needs \{\{saved\.appointmentId\}\}, which no earlier case of this run captured/);
    });

    it('skips a case whose value-giving case was not selected', async () => {
      const context = await loadContext(gpsim.url);
      const results = await runVerify(context, cases, { surfaces: ['mesh'], only: ['mesh.roundtrip.download'] });
      expect(results.map((result) => [result.outcome, result.messages[0]])).toEqual([
        ['skipped', expect.stringContaining('needs {{saved.messageId}}')],
      ]);
    });

    it('fails the booking that answers without an id and skips every case that needed the id', async () => {
      const proxy = await startIdlessBookingProxy(gpsim.url);
      try {
        const context = await loadContext(proxy.url);
        const results = await runVerify(context, cases, { surfaces: ['gpconnect'], allowWrites: true });
        const [book, ...dependants] = outcomes(results, bookingChain);
        expect(book).toEqual(['gpc.roundtrip.book', 'failed', 'capture appointmentId: $.id found nothing']);
        for (const dependant of dependants) {
          expect(dependant[1]).toBe('skipped');
          expect(dependant[2]).toContain('{{saved.appointmentId}}');
        }
        // Everything else still passes through the proxy: only the chain is affected.
        expect(results.filter((result) => result.outcome === 'failed').map((result) => result.case.id)).toEqual([
          'gpc.roundtrip.book',
        ]);
      } finally {
        await new Promise<void>((resolve) => proxy.server.close(() => resolve()));
      }
    });

    it('matches a saved value literally in body patterns (a dot is a dot)', async () => {
      const server = createServer((request, response) => {
        response.writeHead(200, { 'Content-Type': 'application/json' });
        response.end(request.url === '/value' ? JSON.stringify({ value: 'a.c' }) : 'abc');
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      try {
        const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
        const context = await loadContext(url, { manifest });
        const base = { citation: 'test', tags: ['t'], writes: false, surface: 'smart' as const };
        const request = (path: string) => ({ method: 'GET' as const, path, auth: 'none' as const, headers: {} });
        const results = await runVerify(
          context,
          [
            {
              ...base,
              id: 'save',
              title: 'save',
              request: request('/value'),
              expect: { status: 200 },
              capture: { v: '$.value' },
            },
            {
              ...base,
              id: 'use',
              title: 'use',
              request: request('/text'),
              expect: { status: 200, bodyMatches: '^{{saved.v}}$' },
            },
          ],
          { surfaces: ['smart'] },
        );
        expect(results.map((result) => [result.case.id, result.outcome, result.messages])).toEqual([
          ['save', 'passed', []],
          ['use', 'failed', ['body: expected to match /^a\\.c$/, got "abc"']],
        ]);
      } finally {
        await new Promise<void>((resolve) => server.close(() => resolve()));
      }
    });

    it('refuses a case file that uses a saved value no earlier case captures', () => {
      const directory = mkdtempSync(join(tmpdir(), 'gpsim-cases-'));
      writeFileSync(
        join(directory, 'chain.yaml'),
        [
          'surface: mesh',
          'cases:',
          "  - { id: a, title: t, citation: c, request: { path: /x }, expect: { status: 200 }, capture: { one: '$.id' } }",
          "  - { id: b, title: t, citation: c, request: { path: '/x/{{saved.two}}' }, expect: { status: 200 } }",
          '',
        ].join('\n'),
      );
      expect(() => loadCases(directory)).toThrow(
        'chain.yaml: case b uses {{saved.two}}, which no earlier case captures.',
      );
    });
  });

  it('selects cases by tag or id with --only', async () => {
    const context = await loadContext(gpsim.url);
    const results = await runVerify(context, cases, { surfaces: verifySurfaces, only: ['smoke'] });
    expect(results.length).toBeGreaterThan(3);
    expect(results.every((result) => result.case.tags.includes('smoke'))).toBe(true);
  });

  describe('against a deliberately broken target', () => {
    let broken: { url: string; server: Server };
    beforeAll(async () => {
      broken = await startBrokenTarget(manifest);
    });
    afterAll(() => new Promise<void>((resolve) => broken.server.close(() => resolve())));

    it('fails every case and says what differed, with the spec to read', async () => {
      const context = await loadContext(broken.url);
      const results = await runVerify(context, cases, { surfaces: verifySurfaces });
      const ran = results.filter((result) => result.outcome !== 'skipped');
      expect(ran.every((result) => result.outcome === 'failed')).toBe(true);
      const byId = new Map(results.map((result) => [result.case.id, result.messages.join('\n')]));
      expect(byId.get('gpc.foundations.invalid-nhs-number')).toContain('status: expected 400, got 200');
      expect(byId.get('smart.configuration')).toMatch(/shape oauth.SmartConfiguration at authorization_endpoint/);
      expect(byId.get('gpc.foundations.find-patient')).toMatch(/shape gpconnect.Bundle at resourceType/);
      expect(byId.get('gpc.foundations.find-patient')).toContain(
        'at entry.0.resource.resourceType: expected "Patient", got nothing',
      );
      expect(byId.get('systmone.patient-record')).toMatch(/content-type: expected \/xml\//);
    });

    it('stops after the first failure with --bail, skipping the rest', async () => {
      const context = await loadContext(broken.url);
      const results = await runVerify(context, cases, { surfaces: verifySurfaces, bail: true });
      expect(results[0]?.outcome).toBe('failed');
      expect(results.slice(1).every((result) => result.outcome === 'skipped')).toBe(true);
    });

    it('exits 1 and writes a JUnit report whose counts match the run', async () => {
      const directory = mkdtempSync(join(tmpdir(), 'gpsim-verify-'));
      const junit = join(directory, 'verify.xml');
      const json = join(directory, 'verify.json');
      const code = await verifyCommand({ target: broken.url, surface: 'smart', junit, json }, silent);
      expect(code).toBe(1);
      const suites = parseXml(readFileSync(junit, 'utf8'));
      expect(suites.name).toBe('testsuites');
      const smart = cases.filter((entry) => entry.surface === 'smart');
      // Cases that need a value an earlier (failed) case should have captured are skipped, not failed.
      const chained = smart.filter((entry) => savedNames([entry.request, entry.expect]).length > 0).length;
      expect(chained).toBeGreaterThan(0);
      const smartCases = smart.length - chained;
      expect(suites.attributes).toMatchObject({
        tests: String(smart.length),
        failures: String(smartCases),
        skipped: String(chained),
      });
      const failure = suites.children[0]?.children[0]?.children.find((element) => element.name === 'failure');
      expect(failure?.text).toContain('spec: ');
      const report = JSON.parse(readFileSync(json, 'utf8')) as { failed: number };
      expect(report.failed).toBe(smartCases);
    });
  });

  it('exits 0 for gpsim itself and reads extra headers and the practice from --config', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'gpsim-verify-'));
    const config = join(directory, 'verify.yaml');
    writeFileSync(
      config,
      `target: ${gpsim.url}\nods: ${manifest.practices[1]?.ods}\nheaders:\n  smart:\n    X-Verify: yes\n`,
    );
    expect(await verifyCommand({ surface: 'smart', config }, silent)).toBe(0);
  });

  it('escapes what it writes into JUnit XML', () => {
    const entry = cases[0] as CaseResult['case'];
    const xml = toJunitXml([
      {
        surface: 'gpconnect',
        case: { ...entry, title: 'a <b> & "c"' },
        outcome: 'failed',
        messages: ['<&>'],
        durationMs: 1,
      },
    ]);
    expect(() => parseXml(xml)).not.toThrow();
    expect(xml).toContain('a &lt;b&gt; &amp; &quot;c&quot;');
  });

  it('refuses a case file that breaks the case schema, naming the file and field', () => {
    const directory = mkdtempSync(join(tmpdir(), 'gpsim-cases-'));
    writeFileSync(
      join(directory, 'bad.yaml'),
      'surface: mesh\ncases:\n  - id: x\n    title: t\n    citation: c\n    request: { path: nowhere }\n    expect: { status: 200 }\n',
    );
    expect(() => loadCases(directory)).toThrow(VerifySetupError);
    expect(() => loadCases(directory)).toThrow(/bad.yaml: cases.0.request.path/);
  });

  describe('from the command line', () => {
    // Each case starts a node process; on a loaded machine that alone can take seconds.
    const processTimeout = 30_000;
    beforeAll(requireBuiltCli);

    it(
      'exits 0 against gpsim with progress on stderr',
      async () => {
        const run = await runCli(['verify', '--target', gpsim.url, '--surface', 'mesh']);
        expect(run.stderr).toMatch(/\[#+\.*\] 1\/\d+ ok {3}mesh/);
        expect(run.code).toBe(0);
      },
      processTimeout,
    );

    it(
      'exits 2 with a clear message when no target answers',
      async () => {
        const run = await runCli(['verify', '--target', `http://127.0.0.1:${await freePort()}`]);
        expect(run.code).toBe(2);
        expect(run.stderr).toContain('could not read the manifest');
      },
      processTimeout,
    );

    it(
      'exits 2 for an unknown surface',
      async () => {
        const run = await runCli(['verify', '--target', gpsim.url, '--surface', 'nhsapp']);
        expect(run.code).toBe(2);
        expect(run.stderr).toContain('--surface must be one of');
      },
      processTimeout,
    );
  });
});
