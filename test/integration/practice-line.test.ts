import { control } from '@gpsim/contracts';
import type { RunningGpsim } from '@gpsim/simulator/main';
import { practiceLineBitsPerSecond } from '@gpsim/simulator/faults/practice-line';
import { smallEstate, startTestGpsim } from '../support/gpsim';
import { clientIntegrationRequest, errorCode, find, postClientIntegration } from '../support/systmone';

type Partner = control.Manifest['partners'][number];

/**
 * Issue 7 "A shared practice line" and internet-systmone's unreachable third-party services, from
 * the Internet SystmOne guide (seeds/internet-systmone-guide.txt §3.3.1 "Fixed Broadband
 * Connections"; "Local Pathology Systems"; "OptimiseRx").
 */
describe('the shared practice line', () => {
  it('is sized by the guide: 64 Kbps per user primary, 32 Kbps backup, at least 512 / 256 Kbps', () => {
    expect(practiceLineBitsPerSecond(5)).toBe(512_000);
    expect(practiceLineBitsPerSecond(10)).toBe(640_000);
    expect(practiceLineBitsPerSecond(20)).toBe(1_280_000);
    expect(practiceLineBitsPerSecond(5, 'backup')).toBe(256_000);
    expect(practiceLineBitsPerSecond(50, 'backup')).toBe(1_600_000);
  });

  describe('over HTTP', () => {
    let gpsim: RunningGpsim;
    let demo: Partner;
    let ods: string;

    beforeAll(async () => {
      gpsim = await startTestGpsim(smallEstate);
      const manifest = control.Manifest.parse(await (await fetch(`${gpsim.url}/__sim/fixtures`)).json());
      demo = manifest.partners.find((p) => p.name === 'gpsim-demo') as Partner;
      ods = manifest.practices.find((p) => p.system === 'systmone')?.ods as string;
    });
    afterAll(() => gpsim.close());
    afterEach(async () => {
      await fetch(`${gpsim.url}/__sim/faults`, { method: 'DELETE' });
      await fetch(`${gpsim.url}/__sim/scenarios/stop`, { method: 'POST' });
    });

    const timedMetadata = async (): Promise<{ ms: number; bytes: number }> => {
      const started = performance.now();
      const bytes = (await (await fetch(`${gpsim.url}/fhir/R4/metadata`)).arrayBuffer()).byteLength;
      return { ms: performance.now() - started, bytes };
    };

    it('shares one line between every client: four concurrent replies take about four times as long as one', async () => {
      const response = await fetch(`${gpsim.url}/__sim/faults`, {
        method: 'POST',
        body: JSON.stringify({ match: { surface: 'fhir-r4' }, fault: { kind: 'practice-line', users: 4 } }),
      });
      expect(response.status).toBe(201);
      const alone = await timedMetadata();
      // 512 Kbps for fewer than 8 users: one reply's bytes take bytes × 8 / 512,000 s on the line.
      const expectedMs = (alone.bytes * 8 * 1000) / 512_000;
      expect(alone.ms).toBeGreaterThanOrEqual(expectedMs * 0.85);
      const started = performance.now();
      await Promise.all([timedMetadata(), timedMetadata(), timedMetadata(), timedMetadata()]);
      const together = performance.now() - started;
      expect(together).toBeGreaterThanOrEqual(expectedMs * 4 * 0.85);
      expect(together).toBeLessThanOrEqual(expectedMs * 4 * 1.5 + 200);
    });

    it('refuses a practice-line rule without users, naming the field', async () => {
      const response = await fetch(`${gpsim.url}/__sim/faults`, {
        method: 'POST',
        body: JSON.stringify({ fault: { kind: 'practice-line' } }),
      });
      expect(response.status).toBe(400);
      expect(JSON.stringify(await response.json())).toMatch(/users/);
    });

    it('internet-systmone: launching ICE or OptimiseRx answers that the HSCN-hosted service is unreachable; other screens still open', async () => {
      const start = await fetch(`${gpsim.url}/__sim/scenarios/internet-systmone/start`, { method: 'POST' });
      expect(start.status).toBeLessThan(300);
      const launch = (screen: string) =>
        postClientIntegration(
          gpsim.url,
          ods,
          clientIntegrationRequest({
            partner: demo,
            fn: 'LaunchFunctionality',
            parameters: `<Functionality>${screen}</Functionality>`,
          }),
        );
      for (const screen of ['ICE', 'OptimiseRx']) {
        const { status, xml, text } = await launch(screen);
        expect(status).toBe(503);
        expect(errorCode(xml)).toBe('Unavailable');
        expect(text).toMatch(/unreachable from Internet SystmOne/);
      }
      const other = await launch('RecordAppointment');
      expect(find(other.xml, 'Response', 'Launched')?.text).toBe('RecordAppointment');
      await fetch(`${gpsim.url}/__sim/scenarios/stop`, { method: 'POST' });
      expect(find((await launch('ICE')).xml, 'Response', 'Launched')?.text).toBe('ICE');
    });
  });
});
