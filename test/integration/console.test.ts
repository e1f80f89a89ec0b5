import { control } from '@gpsim/contracts';
import type { RunningGpsim } from '@gpsim/simulator/main';
import { smallEstate, startTestGpsim } from '../support/gpsim';

interface PatientSummary {
  nhsNumber: string;
  name: string;
  birthDate: string;
  archetype?: string;
  sensitive: boolean;
  deceasedDate?: string;
}

describe('console: static files, patient lookup and the live journal', () => {
  let gpsim: RunningGpsim;
  let manifest: control.Manifest;
  const archetype = (key: string) =>
    manifest.archetypes.find((candidate) => candidate.key === key) as control.Manifest['archetypes'][number];

  beforeAll(async () => {
    gpsim = await startTestGpsim(smallEstate);
    manifest = control.Manifest.parse(await (await fetch(`${gpsim.url}/__sim/fixtures`)).json());
  });
  afterAll(() => gpsim.close());

  describe('static files', () => {
    it('serves the console page with a strict CSP, no inline script, and revalidation by ETag', async () => {
      const page = await fetch(`${gpsim.url}/`);
      expect(page.status).toBe(200);
      expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
      const csp = page.headers.get('content-security-policy') ?? '';
      expect(csp).toContain("script-src 'self'");
      expect(csp).not.toContain('unsafe-inline');
      expect(page.headers.get('cache-control')).toBe('no-cache');
      const html = await page.text();
      expect(html).not.toMatch(/<script>(?!<)/);
      expect(html).toContain('src="/console/main.js"');
      const again = await fetch(`${gpsim.url}/`, { headers: { 'If-None-Match': page.headers.get('etag') ?? '' } });
      expect(again.status).toBe(304);
    });

    it('serves the compiled modules as JavaScript and the stylesheet as CSS', async () => {
      const script = await fetch(`${gpsim.url}/console/main.js`);
      expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
      expect(await script.text()).toContain('import');
      const style = await fetch(`${gpsim.url}/console/console.css`);
      expect(style.headers.get('content-type')).toBe('text/css; charset=utf-8');
      const app = await fetch(`${gpsim.url}/__sim/sample-app/`);
      expect(app.headers.get('content-type')).toBe('text/html; charset=utf-8');
    });

    it('answers 404 in the control API dialect for a file the console does not have', async () => {
      const missing = await fetch(`${gpsim.url}/console/../../package.json`);
      expect(missing.status).toBe(404);
      const other = await fetch(`${gpsim.url}/console/nothing.js`);
      expect(other.status).toBe(404);
      expect(((await other.json()) as control.ControlError).error.code).toBe('not_found');
    });
  });

  describe('GET /__sim/patients', () => {
    const search = async (q: string) => {
      const response = await fetch(`${gpsim.url}/__sim/patients?q=${encodeURIComponent(q)}`);
      expect(response.status).toBe(200);
      return ((await response.json()) as { patients: PatientSummary[] }).patients;
    };

    it('lists the archetype patients when there is nothing to search for', async () => {
      const keys = new Set((await search('')).map((patient) => patient.archetype));
      expect(keys.has('sensitive')).toBe(true);
      expect(keys.has('deceased')).toBe(true);
    });

    it('finds by NHS number written 3-3-4, by date of birth and by name', async () => {
      const standard = archetype('standard');
      const nhs = standard.nhsNumber;
      expect((await search(`${nhs.slice(0, 3)} ${nhs.slice(3, 6)} ${nhs.slice(6)}`)).map((p) => p.nhsNumber)).toEqual([
        nhs,
      ]);
      const [year, month, day] = standard.birthDate.split('-');
      expect((await search(`${day}/${month}/${year}`)).map((p) => p.nhsNumber)).toContain(nhs);
      expect((await search(standard.name.split(' ').pop() as string)).map((p) => p.nhsNumber)).toContain(nhs);
    });

    it('includes sensitive patients, as the practice itself sees them', async () => {
      const sensitive = archetype('sensitive');
      expect(await search(sensitive.nhsNumber)).toEqual([
        expect.objectContaining({ nhsNumber: sensitive.nhsNumber, sensitive: true }),
      ]);
    });

    it('refuses an over-long query and an unknown practice with a 400 and a 404', async () => {
      expect((await fetch(`${gpsim.url}/__sim/patients?q=${'a'.repeat(101)}`)).status).toBe(400);
      expect((await fetch(`${gpsim.url}/__sim/patients?ods=ZZZZZ`)).status).toBe(404);
    });

    it('returns the record with banner facts; 404 for an unknown NHS number', async () => {
      const deceased = archetype('deceased');
      const response = await fetch(`${gpsim.url}/__sim/patients/${deceased.nhsNumber}`);
      expect(response.status).toBe(200);
      const body = (await response.json()) as PatientSummary & { record: Record<string, unknown[]> };
      expect(body.deceasedDate).toBeTruthy();
      expect(Array.isArray(body.record.problems)).toBe(true);
      expect((await fetch(`${gpsim.url}/__sim/patients/9990000000`)).status).toBe(404);
    });
  });

  describe('journal stream and detail', () => {
    it('streams new entries as Server-Sent Events, filtered by surface and status', async () => {
      const abort = new AbortController();
      const response = await fetch(`${gpsim.url}/__sim/journal/stream?surface=fhir-r4&status=4xx`, {
        signal: abort.signal,
      });
      expect(response.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
      const reader = (response.body as ReadableStream<Uint8Array>).getReader();
      await fetch(`${gpsim.url}/__sim/health`);
      await fetch(`${gpsim.url}/fhir/R4/Patient/unknown`);
      let text = '';
      while (!text.includes('event: entry')) {
        const { value, done } = await reader.read();
        if (done) break;
        text += Buffer.from(value).toString('utf8');
      }
      abort.abort();
      const data = JSON.parse(/data: (.*)\n/.exec(text)?.[1] ?? '{}') as control.JournalEntry;
      expect(data).toMatchObject({ surface: 'fhir-r4', path: '/fhir/R4/Patient/unknown' });
      expect(data.status).toBeGreaterThanOrEqual(400);
      expect(text).toMatch(new RegExp(`^id: ${data.seq}$`, 'm'));
      expect(text).not.toContain('/__sim/health');
    });

    it('replays from Last-Event-ID so a reconnecting console misses nothing', async () => {
      const before = ((await (await fetch(`${gpsim.url}/__sim/journal?limit=1`)).json()) as control.JournalPage)
        .lastSeq;
      await fetch(`${gpsim.url}/fhir/R4/metadata`);
      const abort = new AbortController();
      const response = await fetch(`${gpsim.url}/__sim/journal/stream?surface=fhir-r4`, {
        headers: { 'Last-Event-ID': String(before) },
        signal: abort.signal,
      });
      const reader = (response.body as ReadableStream<Uint8Array>).getReader();
      let text = '';
      while (!text.includes('/fhir/R4/metadata')) {
        const { value, done } = await reader.read();
        if (done) break;
        text += Buffer.from(value).toString('utf8');
      }
      abort.abort();
      expect(text).toContain('/fhir/R4/metadata');
    });

    it('shows one request with its headers and bodies, secrets masked', async () => {
      await fetch(`${gpsim.url}/oauth/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: 'Basic c2VjcmV0OnNlY3JldA==' },
        body: 'grant_type=client_credentials&client_secret=hunter2hunter2',
      });
      const page = (await (
        await fetch(`${gpsim.url}/__sim/journal?surface=oauth&limit=1`)
      ).json()) as control.JournalPage;
      const seq = page.entries[0]?.seq as number;
      const detail = (await (await fetch(`${gpsim.url}/__sim/journal/${seq}`)).json()) as {
        path: string;
        detail: { requestHeaders: Record<string, string>; requestBody: string };
      };
      expect(detail.path).toBe('/oauth/token');
      expect(detail.detail.requestHeaders.authorization).toBe('Basic ••••••');
      expect(detail.detail.requestBody).toBe('grant_type=client_credentials&client_secret=••••••');
      expect((await fetch(`${gpsim.url}/__sim/journal/99999999`)).status).toBe(404);
      expect((await fetch(`${gpsim.url}/__sim/journal/abc`)).status).toBe(400);
    });
  });
});
