import pino from 'pino';
import type { AuditEvent, AuditQuery, StoredAuditEvent } from '@gpsim/simulator/domain/audit';
import { AUDIT_FLUSH_INTERVAL_MS, AuditBuffer } from '@gpsim/simulator/store/audit-buffer';
import type { AuditRepository } from '@gpsim/simulator/store/store';

/** An audit repository in memory that remembers each batch it was asked to append. */
class RecordingRepository implements AuditRepository {
  readonly batches: AuditEvent[][] = [];
  failNext = false;

  async append(events: readonly AuditEvent[]): Promise<void> {
    if (this.failNext) {
      this.failNext = false;
      throw new Error('the store is down');
    }
    this.batches.push([...events]);
  }

  async query(query: AuditQuery): Promise<StoredAuditEvent[]> {
    return this.batches
      .flat()
      .map((event, index) => ({ ...event, seq: index + 1 }))
      .filter((event) => event.seq > (query.sinceSeq ?? 0));
  }
}

const event = (nhsNumber: string): AuditEvent => ({
  time: '2026-01-01T00:00:00.000Z',
  surface: 'gpconnect',
  action: 'read-patient',
  nhsNumber,
  outcome: 'allowed',
});
const silent = pino({ level: 'silent' });
const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('AuditBuffer', () => {
  it('writes the events recorded within one interval in a single append, in order', async () => {
    const repository = new RecordingRepository();
    const buffer = new AuditBuffer(repository, silent);
    await buffer.record(event('9990000018'));
    await buffer.record(event('9990000026'));
    await buffer.record(event('9990000034'));
    expect(repository.batches).toEqual([]);
    await wait(AUDIT_FLUSH_INTERVAL_MS * 5);
    expect(repository.batches.map((batch) => batch.map((written) => written.nhsNumber))).toEqual([
      ['9990000018', '9990000026', '9990000034'],
    ]);
  });

  it('writes what is waiting before answering a query, so a reader never misses an event', async () => {
    const repository = new RecordingRepository();
    const buffer = new AuditBuffer(repository, silent);
    await buffer.record(event('9990000018'));
    expect((await buffer.query({})).map((stored) => stored.nhsNumber)).toEqual(['9990000018']);
  });

  it('writes everything waiting on flush (shutdown) without waiting for the interval', async () => {
    const repository = new RecordingRepository();
    const buffer = new AuditBuffer(repository, silent);
    await buffer.record(event('9990000018'));
    await buffer.flush();
    expect(repository.batches).toHaveLength(1);
  });

  it('keeps events the store refused, ahead of newer ones, and writes them on the next flush', async () => {
    const repository = new RecordingRepository();
    const buffer = new AuditBuffer(repository, silent);
    await buffer.record(event('9990000018'));
    repository.failNext = true;
    await expect(buffer.flush()).rejects.toThrow(/store is down/);
    await buffer.record(event('9990000026'));
    await buffer.flush();
    expect(repository.batches.flat().map((written) => written.nhsNumber)).toEqual(['9990000018', '9990000026']);
  });
});
