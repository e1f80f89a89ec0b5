import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { Problem } from '@gpsim/simulator/domain/clinical-record';
import { SqliteStore } from '@gpsim/simulator/store/sqlite/sqlite-store';

function problem(id: string): Problem {
  return {
    kind: 'problem',
    id,
    date: '2026-01-01',
    recorded: '2026-01-01T10:00:00+00:00',
    recorderIndex: 0,
    concept: { code: '59621000', display: 'Essential hypertension' },
    status: 'active',
    significance: 'major',
    linkedIds: [],
  };
}

describe('the embedded SQLite store', () => {
  it('keeps written entries per patient, in order, across a restart', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'gpsim-store-')), 'gpsim.sqlite');
    const store = new SqliteStore(file);
    await store.records.append(7, problem('a'));
    await store.records.append(7, problem('b'));
    await store.records.append(8, problem('c'));
    await store.close();
    const reopened = new SqliteStore(file);
    expect((await reopened.records.entries(7)).map((entry) => entry.id)).toEqual(['a', 'b']);
    expect(await reopened.records.entries(9)).toEqual([]);
    await reopened.close();
  });

  it('drops changes on reset but keeps the append-only audit trail', async () => {
    const store = new SqliteStore(':memory:');
    await store.settings.put('clock', { offsetMs: 5 });
    await store.records.append(1, problem('a'));
    await store.audit.append({
      time: '2026-01-01T00:00:00Z',
      surface: 'fhir-r4',
      action: 'read-patient',
      outcome: 'allowed',
      nhsNumber: '9990000000',
    });
    await store.reset();
    expect(await store.settings.get('clock')).toBeUndefined();
    expect(await store.records.entries(1)).toEqual([]);
    expect(await store.audit.query({})).toHaveLength(1);
  });

  it('refuses to alter or delete audit events, even through SQL', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'gpsim-store-')), 'gpsim.sqlite');
    const store = new SqliteStore(file);
    await store.audit.append({
      time: '2026-01-01T00:00:00Z',
      surface: 'pds',
      action: 'read-patient',
      outcome: 'allowed',
    });
    await store.close();
    const raw = new Database(file);
    expect(() => raw.prepare("UPDATE audit SET action = 'nothing'").run()).toThrow(/append-only/);
    expect(() => raw.prepare('DELETE FROM audit').run()).toThrow(/append-only/);
    raw.close();
  });

  it('filters the audit trail by NHS number, user and surface, paging with since', async () => {
    const store = new SqliteStore(':memory:');
    for (let i = 0; i < 5; i++) {
      await store.audit.append({
        time: 't',
        surface: i % 2 ? 'pds' : 'fhir-r4',
        action: 'read',
        outcome: 'allowed',
        nhsNumber: `99900000${i}0`,
        user: 'u1',
      });
    }
    expect(await store.audit.query({ surface: 'pds' })).toHaveLength(2);
    expect((await store.audit.query({ nhsNumber: '9990000020' }))[0]?.seq).toBe(3);
    expect((await store.audit.query({ sinceSeq: 3 })).map((event) => event.seq)).toEqual([4, 5]);
    expect(await store.audit.query({ user: 'nobody' })).toEqual([]);
  });
});

describe('store migrations', () => {
  it('apply once: reopening a database does not re-run them', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'gpsim-store-')), 'gpsim.sqlite');
    await new SqliteStore(file).close();
    const store = new SqliteStore(file);
    await store.settings.put('k', 1);
    expect(await store.settings.get('k')).toBe(1);
    await store.close();
    const raw = new Database(file);
    const ids = (raw.prepare('SELECT id FROM schema_migrations ORDER BY id').all() as { id: string }[]).map(
      (row) => row.id,
    );
    expect(ids).toEqual(expect.arrayContaining(['audit-001', 'records-001', 'settings-001', 'tasks-001']));
    expect(new Set(ids).size).toBe(ids.length);
    raw.close();
  });
});
