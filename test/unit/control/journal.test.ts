import { Journal } from '@gpsim/simulator/control/journal';
import type { JournalEntry } from '@gpsim/simulator/control/journal';

function entry(status: number, surface: JournalEntry['surface'] = 'fhir-r4'): Omit<JournalEntry, 'seq'> {
  return {
    time: new Date(Date.UTC(2026, 0, 1, 0, 0, 0)).toISOString(),
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
  };
}

describe('request journal ring buffer', () => {
  it('keeps only the last `capacity` entries however many are recorded', () => {
    const journal = new Journal(100);
    for (let i = 0; i < 10_000; i++) journal.record(entry(200));
    expect(journal.size).toBe(100);
    expect(journal.lastSeq).toBe(10_000);
    const all = journal.list({ limit: 1000 });
    expect(all).toHaveLength(100);
    expect(all[0]?.seq).toBe(9_901);
    expect(all[99]?.seq).toBe(10_000);
  });

  it('pages with since: only entries after the given sequence number, oldest first', () => {
    const journal = new Journal(50);
    for (let i = 0; i < 30; i++) journal.record(entry(200));
    expect(journal.list({ sinceSeq: 25 }).map((e) => e.seq)).toEqual([26, 27, 28, 29, 30]);
  });

  it('keeps the most recent matches when a limit applies', () => {
    const journal = new Journal(50);
    for (let i = 0; i < 30; i++) journal.record(entry(200));
    expect(journal.list({ limit: 3 }).map((e) => e.seq)).toEqual([28, 29, 30]);
  });

  it('filters by surface, exact status and status class', () => {
    const journal = new Journal(50);
    journal.record(entry(200, 'pds'));
    journal.record(entry(404, 'fhir-r4'));
    journal.record(entry(503, 'fhir-r4'));
    expect(journal.list({ surface: 'pds' })).toHaveLength(1);
    expect(journal.list({ status: 404 }).map((e) => e.status)).toEqual([404]);
    expect(journal.list({ statusClass: 5 }).map((e) => e.status)).toEqual([503]);
  });

  it('refuses a capacity below one', () => {
    expect(() => new Journal(0)).toThrow(RangeError);
  });
});

describe('journal subscriptions and request detail', () => {
  it('tells subscribers of every new entry until they unsubscribe, and ends them on request', () => {
    const journal = new Journal(10);
    const seen: number[] = [];
    let ended = false;
    const stop = journal.subscribe(
      (recorded) => seen.push(recorded.seq),
      () => (ended = true),
    );
    journal.record(entry(200));
    journal.record(entry(503));
    stop();
    journal.record(entry(200));
    expect(seen).toEqual([1, 2]);
    journal.subscribe(
      () => undefined,
      () => (ended = true),
    );
    expect(journal.subscribers).toBe(1);
    journal.endSubscriptions();
    expect(ended).toBe(true);
    expect(journal.subscribers).toBe(0);
  });

  it('finds an entry by sequence number with its detail, and forgets both once they fall out of the ring', () => {
    const journal = new Journal(3);
    const detail = { requestHeaders: {}, requestBody: 'a', responseHeaders: {}, responseBody: 'b' };
    journal.record(entry(200), detail);
    expect(journal.get(1)?.detail?.requestBody).toBe('a');
    for (let i = 0; i < 3; i++) journal.record(entry(200));
    expect(journal.get(1)).toBeUndefined();
    expect(journal.get(4)?.entry.seq).toBe(4);
    expect(journal.get(4)?.detail).toBeUndefined();
    expect(journal.get(5)).toBeUndefined();
  });

  it('filters by client id', () => {
    const journal = new Journal(10);
    journal.record({ ...entry(200), clientId: 'app-a' });
    journal.record({ ...entry(200), clientId: 'app-b' });
    expect(journal.list({ clientId: 'app-b' }).map((found) => found.seq)).toEqual([2]);
  });
});
