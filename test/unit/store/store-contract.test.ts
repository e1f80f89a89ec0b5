import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { Booking } from '@gpsim/simulator/domain/booking';
import type { Problem } from '@gpsim/simulator/domain/clinical-record';
import type { Task } from '@gpsim/simulator/domain/tasks';
import { PostgresStore } from '@gpsim/simulator/store/postgres/postgres-store';
import { SqliteStore } from '@gpsim/simulator/store/sqlite/sqlite-store';
import type { Store } from '@gpsim/simulator/store/store';
import { createScratchDatabase, runSql } from '../../support/postgres';

// Creating databases and starting processes is slow on a loaded shared machine.
jest.setTimeout(60_000);

/** A fresh, empty database behind one store kind; `open` again is a restart over the same data. */
interface ScratchStore {
  open(): Promise<Store>;
  /** One SQL statement run directly against the database, bypassing gpsim. */
  sql(statement: string): Promise<unknown[]>;
  dispose(): Promise<void>;
}

interface Backend {
  name: string;
  fresh(): Promise<ScratchStore>;
}

function tracking(open: () => Promise<Store>): { open: () => Promise<Store>; closeAll: () => Promise<void> } {
  const opened: Store[] = [];
  return {
    open: async () => {
      const store = await open();
      opened.push(store);
      return store;
    },
    closeAll: async () => {
      for (const store of opened.splice(0)) await store.close().catch(() => undefined);
    },
  };
}

const sqlite: Backend = {
  name: 'the embedded SQLite store',
  async fresh() {
    const file = join(mkdtempSync(join(tmpdir(), 'gpsim-store-')), 'gpsim.sqlite');
    const stores = tracking(async () => new SqliteStore(file));
    return {
      open: stores.open,
      async sql(statement) {
        const raw = new Database(file);
        try {
          const prepared = raw.prepare(statement);
          return prepared.reader ? (prepared.all() as unknown[]) : [prepared.run()];
        } catch (error) {
          // The native addon builds its errors in whichever test file's realm loaded it first, where
          // jest's instanceof Error check fails; the message is what the case asserts.
          throw new Error((error as { message: string }).message);
        } finally {
          raw.close();
        }
      },
      dispose: stores.closeAll,
    };
  },
};

const postgres: Backend = {
  name: 'the shared PostgreSQL store',
  async fresh() {
    const database = await createScratchDatabase();
    const stores = tracking(() => PostgresStore.open(database.url));
    return {
      open: stores.open,
      sql: (statement) => runSql(database.url, statement),
      async dispose() {
        await stores.closeAll();
        await database.drop();
      },
    };
  },
};

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

function booking(id: string, slotId: string): Booking {
  return {
    id,
    ods: 'B82617',
    slotId,
    patientOrdinal: 3,
    status: 'booked',
    version: 1,
    start: '2026-02-01T09:00:00+00:00',
    end: '2026-02-01T09:10:00+00:00',
    bookingOrganization: { ods: 'X99999', name: 'Fictitious consumer' },
    created: '2026-01-31T12:00:00+00:00',
  };
}

function task(id: string, reference: string): Task {
  return {
    id,
    ods: 'X10001',
    type: 'document',
    title: 'Consultation report',
    status: 'new',
    urgency: 'routine',
    nhsNumber: '9990000018',
    source: { surface: 'mesh', sender: 'X26AB1234', reference },
    links: [],
    comments: [],
    version: 1,
    createdAt: '2026-01-01T00:00:00Z',
    updatedAt: '2026-01-01T00:00:00Z',
    history: [],
  };
}

describe.each([sqlite, postgres])('$name', (backend) => {
  let database: ScratchStore;
  let store: Store;

  beforeEach(async () => {
    database = await backend.fresh();
    store = await database.open();
  });

  afterEach(async () => {
    await database.dispose();
  });

  it('keeps written entries per patient, in order, across a restart', async () => {
    await store.records.append(7, problem('a'));
    await store.records.append(7, problem('b'));
    await store.records.append(8, problem('c'));
    await store.close();
    const reopened = await database.open();
    expect((await reopened.records.entries(7)).map((entry) => entry.id)).toEqual(['a', 'b']);
    expect(await reopened.records.entries(9)).toEqual([]);
  });

  it('drops changes on reset but keeps the append-only audit trail', async () => {
    await store.settings.put('clock', { offsetMs: 5 });
    await store.records.append(1, problem('a'));
    await store.bookings.create(booking('b1', 'slot-1'));
    await store.faults.insert({ id: 'rule-1', fault: { kind: 'latency', ms: 50 } } as never);
    await store.audit.append([
      {
        time: '2026-01-01T00:00:00Z',
        surface: 'fhir-r4',
        action: 'read-patient',
        outcome: 'allowed',
        nhsNumber: '9990000000',
      },
    ]);
    await store.reset();
    expect(await store.settings.get('clock')).toBeUndefined();
    expect(await store.records.entries(1)).toEqual([]);
    expect(await store.bookings.get('b1')).toBeUndefined();
    expect(await store.faults.list()).toEqual([]);
    expect(await store.audit.query({})).toHaveLength(1);
  });

  it('refuses to alter or delete audit events, even through SQL', async () => {
    await store.audit.append([
      {
        time: '2026-01-01T00:00:00Z',
        surface: 'pds',
        action: 'read-patient',
        outcome: 'allowed',
      },
    ]);
    await expect(database.sql("UPDATE audit SET action = 'nothing'")).rejects.toThrow(/append-only/);
    await expect(database.sql('DELETE FROM audit')).rejects.toThrow(/append-only/);
    expect(await store.audit.query({})).toEqual([expect.objectContaining({ action: 'read-patient' })]);
  });

  it('appends a batch of audit events in order, numbered one after another', async () => {
    const batch = ['9990000018', '9990000026', '9990000034'].map((nhsNumber) => ({
      time: '2026-01-01T00:00:00Z',
      surface: 'gpconnect',
      action: 'read-patient',
      outcome: 'allowed' as const,
      nhsNumber,
    }));
    await store.audit.append(batch);
    await store.audit.append([]);
    const stored = await store.audit.query({});
    expect(stored.map((event) => event.nhsNumber)).toEqual(['9990000018', '9990000026', '9990000034']);
    expect(stored.map((event) => event.seq)).toEqual([1, 2, 3]);
  });

  it('filters the audit trail by NHS number, user, surface, action, organisation and device, paging with since', async () => {
    for (let i = 0; i < 5; i++) {
      await store.audit.append([
        {
          time: 't',
          surface: i % 2 ? 'pds' : 'fhir-r4',
          action: 'read',
          outcome: 'allowed',
          nhsNumber: `99900000${i}0`,
          user: 'u1',
          ...(i === 4 ? { action: 'device-passcode-sent', organisation: 'X10001', device: 'desk-7' } : {}),
        },
      ]);
    }
    expect((await store.audit.query({ action: 'device-passcode-sent' })).map((event) => event.seq)).toEqual([5]);
    expect((await store.audit.query({ organisation: 'X10001' })).map((event) => event.seq)).toEqual([5]);
    expect((await store.audit.query({ device: 'desk-7' })).map((event) => event.seq)).toEqual([5]);
    expect(await store.audit.query({ surface: 'pds' })).toHaveLength(2);
    expect((await store.audit.query({ nhsNumber: '9990000020' }))[0]?.seq).toBe(3);
    expect((await store.audit.query({ sinceSeq: 3 })).map((event) => event.seq)).toEqual([4, 5]);
    expect((await store.audit.query({ user: 'u1', limit: 2 })).map((event) => event.user)).toEqual(['u1', 'u1']);
    expect(await store.audit.query({ user: 'nobody' })).toEqual([]);
  });

  it('lets exactly one of concurrent bookers hold a slot, and frees it on cancellation', async () => {
    const attempts = await Promise.all(
      Array.from({ length: 8 }, (_, i) => store.bookings.create(booking(`b${i}`, 'slot-9'))),
    );
    expect(attempts.filter(Boolean)).toHaveLength(1);
    const winner = `b${attempts.indexOf(true)}`;
    expect(await store.bookings.bookedSlotIds('B82617')).toEqual(new Set(['slot-9']));
    const held = (await store.bookings.get(winner)) as Booking;
    expect(await store.bookings.replace({ ...held, status: 'cancelled', version: 2 }, 1)).toBe(true);
    expect(await store.bookings.bookedSlotIds('B82617')).toEqual(new Set());
    expect(await store.bookings.create(booking('again', 'slot-9'))).toBe(true);
  });

  it('takes every slot of a multi-slot booking or none, whichever slot overlaps', async () => {
    const pair = { ...booking('pair', 'slot-1'), additionalSlotIds: ['slot-2'] };
    const overlapping = { ...booking('overlap', 'slot-3'), additionalSlotIds: ['slot-2'] };
    const outcomes = await Promise.all([store.bookings.create(pair), store.bookings.create(overlapping)]);
    expect(outcomes.filter(Boolean)).toHaveLength(1);
    const held = await store.bookings.bookedSlotIds('B82617');
    expect(held.size === 2 && held.has('slot-2')).toBe(true);
    const winner = (await store.bookings.get(outcomes[0] ? 'pair' : 'overlap')) as Booking;
    expect(await store.bookings.replace({ ...winner, status: 'cancelled', version: 2 }, 1)).toBe(true);
    expect(await store.bookings.bookedSlotIds('B82617')).toEqual(new Set());
  });

  it('replaces a booking or task only at the version the writer read', async () => {
    await store.bookings.create(booking('b1', 'slot-1'));
    expect(await store.bookings.replace({ ...booking('b1', 'slot-1'), version: 2, comment: 'first' }, 1)).toBe(true);
    expect(await store.bookings.replace({ ...booking('b1', 'slot-1'), version: 2, comment: 'stale' }, 1)).toBe(false);
    expect((await store.bookings.get('b1'))?.comment).toBe('first');
    expect(await store.bookings.forPatient(3, 'B82617')).toHaveLength(1);

    await store.tasks.create(task('t1', 'ref-1'));
    expect(await store.tasks.replace({ ...task('t1', 'ref-1'), status: 'in-progress', version: 2 }, 1)).toBe(true);
    expect(await store.tasks.replace({ ...task('t1', 'ref-1'), status: 'rejected', version: 2 }, 1)).toBe(false);
    expect((await store.tasks.get('t1'))?.status).toBe('in-progress');
  });

  it('creates one task per sender reference, however often it is retried, and filters by patient', async () => {
    const first = await store.tasks.create(task('t1', 'ref-1'));
    const retried = await Promise.all([
      store.tasks.create(task('t2', 'ref-1')),
      store.tasks.create(task('t3', 'ref-1')),
    ]);
    expect(first.created).toBe(true);
    expect(retried.map((result) => [result.created, result.task.id])).toEqual([
      [false, 't1'],
      [false, 't1'],
    ]);
    await store.tasks.create(task('t4', 'ref-2'));
    expect((await store.tasks.list({ ods: 'X10001', open: true })).map((found) => found.id)).toEqual(['t1', 't4']);
    expect(await store.tasks.list({ nhsNumber: '9990000018', limit: 1 })).toHaveLength(1);
    expect(await store.tasks.list({ nhsNumber: '9990000026' })).toEqual([]);
  });

  it('lets the first of several writers claim a setting (replicas generating signing keys together)', async () => {
    const claims = await Promise.all(['first', 'second', 'third'].map((value) => store.settings.claim('keys', value)));
    expect(new Set(claims).size).toBe(1);
    expect(await store.settings.get('keys')).toBe(claims[0]);
    await store.settings.put('keys', 'replaced');
    expect(await store.settings.claim('keys', 'late')).toBe('replaced');
  });

  it('keeps one temporary registration per practice and NHS number', async () => {
    const registration = { ods: 'B82617', nhsNumber: '9990000018', patientOrdinal: 4, registeredAt: '2026-01-01' };
    expect(await store.registrations.create(registration)).toBe(true);
    expect(await store.registrations.create({ ...registration, patientOrdinal: 5 })).toBe(false);
    expect(await store.registrations.get('B82617', '9990000018')).toEqual(registration);
  });

  it('streams MESH content in parts, pages the inbox and refuses a replayed nonce', async () => {
    const message = {
      id: 'm1',
      recipient: 'X26OT001',
      status: 'accepted',
      expiresAt: '2026-03-01T00:00:00.000Z',
    } as unknown as Parameters<Store['mesh']['insert']>[0];
    await store.mesh.insert(message);
    await store.mesh.insert({ ...message, id: 'm2' });
    await store.mesh.appendPart('m1', 1, 0, Buffer.from('hello '));
    await store.mesh.appendPart('m1', 1, 1, Buffer.from('world'));
    await store.mesh.appendPart('m1', 2, 0, Buffer.from('!'));
    expect((await store.mesh.part('m1', 1, 1))?.toString()).toBe('world');
    expect(await store.mesh.part('m1', 1, 2)).toBeUndefined();
    expect(await store.mesh.chunkNumbers('m1')).toEqual([1, 2]);
    expect(await store.mesh.deleteChunk('m1', 1)).toBe(11);
    expect(await store.mesh.chunkNumbers('m1')).toEqual([2]);

    const first = await store.mesh.inbox('X26OT001', '2026-02-01T00:00:00.000Z', 1, 0);
    expect(first).toMatchObject({ ids: ['m1'], count: 2 });
    const second = await store.mesh.inbox('X26OT001', '2026-02-01T00:00:00.000Z', 1, first.next ?? -1);
    expect(second).toEqual({ ids: ['m2'], count: 2 });
    expect((await store.mesh.expired('2026-03-01T00:00:00.000Z', 10)).map((found) => found.id)).toEqual(['m1', 'm2']);

    expect(await store.mesh.useNonce('X26OT001', 'n1', '1')).toBe(true);
    expect(await store.mesh.useNonce('X26OT001', 'n1', '1')).toBe(false);
  });

  it('adds up fault-rule counters and removes rules by id, scenario or all at once', async () => {
    await store.faults.insert({ id: 'r1', scenario: 'outage', fault: { kind: 'latency', ms: 5 } } as never);
    await store.faults.insert({ id: 'r2', fault: { kind: 'latency', ms: 5 } } as never);
    await store.faults.insert({ id: 'r3', fault: { kind: 'latency', ms: 5 } } as never);
    await store.faults.count('r2', 3, 1);
    await store.faults.count('r2', 2, 2);
    expect((await store.faults.list()).map((stored) => [stored.rule.id, stored.matched, stored.hits])).toEqual([
      ['r1', 0, 0],
      ['r2', 5, 3],
      ['r3', 0, 0],
    ]);
    expect(await store.faults.deleteByScenario('outage')).toBe(1);
    expect(await store.faults.delete('r2')).toBe(true);
    expect(await store.faults.delete('r2')).toBe(false);
    expect(await store.faults.clear()).toBe(1);
  });

  it('journals requests in one sequence, filters them and keeps only the newest', async () => {
    const entry = (status: number, surface: 'pds' | 'mesh', time: string) => ({
      time,
      node: 's11',
      surface,
      method: 'GET',
      path: '/x',
      query: '',
      status,
      latencyMs: 1,
      clientId: undefined,
      traceId: 't',
      ods: undefined,
      interaction: undefined,
    });
    await store.journal.append([entry(200, 'pds', '2026-01-01T00:00:00Z'), entry(404, 'mesh', '2026-01-02T00:00:00Z')]);
    await store.journal.append([entry(503, 'pds', '2026-01-03T00:00:00Z')]);
    expect(await store.journal.lastSeq()).toBe(3);
    expect((await store.journal.list({})).map((found) => [found.seq, found.status])).toEqual([
      [1, 200],
      [2, 404],
      [3, 503],
    ]);
    expect((await store.journal.list({ surface: 'pds', limit: 1 })).map((found) => found.seq)).toEqual([3]);
    expect((await store.journal.list({ statusClass: 4 })).map((found) => found.seq)).toEqual([2]);
    expect((await store.journal.list({ status: 200 })).map((found) => found.seq)).toEqual([1]);
    expect((await store.journal.list({ sinceSeq: 1, sinceTime: Date.parse('2026-01-03T00:00:00Z') })).length).toBe(1);
    await store.journal.trim(2);
    expect((await store.journal.list({})).map((found) => found.seq)).toEqual([2, 3]);
  });

  it('keeps webhook subscriptions in order and counts them', async () => {
    const subscription = { id: 's1' } as unknown as Parameters<Store['subscriptions']['add']>[0];
    await store.subscriptions.add(subscription);
    await store.subscriptions.add({ ...subscription, id: 's2' });
    expect((await store.subscriptions.list()).map((found) => found.id)).toEqual(['s1', 's2']);
    expect(await store.subscriptions.remove('s1')).toBe(true);
    expect(await store.subscriptions.count()).toBe(1);
  });

  it('applies migrations once: reopening a database does not re-run them', async () => {
    await store.close();
    const reopened = await database.open();
    await reopened.settings.put('k', 1);
    expect(await reopened.settings.get('k')).toBe(1);
    const ids = ((await database.sql('SELECT id FROM schema_migrations ORDER BY id')) as { id: string }[]).map(
      (row) => row.id,
    );
    expect(ids).toEqual(
      expect.arrayContaining(['audit-001', 'bookings-001', 'records-001', 'settings-001', 'tasks-001']),
    );
    expect(new Set(ids).size).toBe(ids.length);
  });
});

describe('the shared PostgreSQL store', () => {
  it('migrates once when several replicas start together', async () => {
    const database = await createScratchDatabase();
    try {
      const replicas = await Promise.all(Array.from({ length: 4 }, () => PostgresStore.open(database.url)));
      const rows = (await runSql(database.url, 'SELECT id FROM schema_migrations')) as { id: string }[];
      expect(rows.length).toBeGreaterThan(5);
      expect(new Set(rows.map((row) => row.id)).size).toBe(rows.length);
      await Promise.all(replicas.map((replica) => replica.close()));
    } finally {
      await database.drop();
    }
  });

  it('never shows the password of its connection string', async () => {
    const database = await createScratchDatabase();
    const url = new URL(database.url);
    url.password = 'not-a-real-secret';
    try {
      const store = await PostgresStore.open(url.toString());
      expect(store.location).not.toContain('not-a-real-secret');
      expect(store.location).toContain(url.pathname);
      await store.close();
    } finally {
      await database.drop();
    }
  });

  it('says clearly where it could not connect, without the password', async () => {
    await expect(PostgresStore.open('postgres://gpsim:hunter2@127.0.0.1:1/none')).rejects.toThrow(
      /cannot open the PostgreSQL store at postgres:\/\/gpsim:\*\*\*@127\.0\.0\.1:1\/none/,
    );
  });
});
