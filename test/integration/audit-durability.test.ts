import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { control } from '@gpsim/contracts';
import { SqliteStore } from '@gpsim/simulator/store/sqlite/sqlite-store';
import type { ManifestPractice } from '../support/gpconnect';
import { INTERACTION, gpcClient } from '../support/gpconnect';
import { smallEstate, startTestGpsim } from '../support/gpsim';

jest.setTimeout(60_000);

/**
 * Audit events are written in batches (docs/decisions/019-hot-read-path.md); a clean shutdown
 * must still leave every one of them in the store, whether or not the 10 ms interval has passed.
 */
describe('audit events on shutdown', () => {
  let dataDir: string;
  beforeAll(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'gpsim-audit-'));
  });
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('writes the audit events still waiting when gpsim closes, so the store has every read', async () => {
    const gpsim = await startTestGpsim({ ...smallEstate, store: 'sqlite', dataDir });
    const manifest = (await (await fetch(`${gpsim.url}/__sim/fixtures`)).json()) as control.Manifest;
    const practice = manifest.practices[0] as ManifestPractice;
    const standard = manifest.archetypes.find((found) => found.key === 'standard' && found.ods === practice.ods);
    const id = gpsim.engine.population.byNhsNumber(standard?.nhsNumber ?? '')?.patient.id ?? '';
    const gpc = gpcClient(practice, (manifest.consumers[0] as { asid: string }).asid);
    const auditUrl = `${gpsim.url}/__sim/audit?nhsNumber=${standard?.nhsNumber}&action=readPatient&limit=1000`;
    const before = ((await (await fetch(auditUrl)).json()) as { events: unknown[] }).events.length;
    const reads = await Promise.all(
      Array.from({ length: 20 }, () => gpc({ path: `/Patient/${id}`, interaction: INTERACTION.readPatient })),
    );
    expect(reads.map((reply) => reply.status)).toEqual(Array.from({ length: 20 }, () => 200));
    await gpsim.close();

    const store = new SqliteStore(join(dataDir, 'gpsim.sqlite'));
    try {
      const events = await store.audit.query({ nhsNumber: standard?.nhsNumber, action: 'readPatient', limit: 1000 });
      expect(events).toHaveLength(before + 20);
    } finally {
      await store.close();
    }
  });
});
