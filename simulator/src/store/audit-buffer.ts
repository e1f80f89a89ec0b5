import type { Logger } from 'pino';
import type { AuditEvent, AuditQuery, StoredAuditEvent } from '../domain/audit';
import type { AuditRepository } from './store';

/** How long an audit event waits in memory at most before it is written with the others. */
export const AUDIT_FLUSH_INTERVAL_MS = 10;
/** A batch this large is written at once rather than at the end of the interval. */
const MAX_BATCH = 500;
/** Past this many unwritten events (the store is failing) recording waits for a write, so requests fail as before. */
const MAX_PENDING = 20_000;

/**
 * The audit trail's write path: events wait in memory for at most 10 ms (or 500 events) and are
 * written in one transaction, instead of one synchronous insert per request. Every read of the
 * trail writes what is waiting first, and shutdown writes it too, so no reader ever misses an
 * event; a process killed outright (SIGKILL, power loss) loses at most the last 10 ms of audit
 * events. The changes the requests made (bookings, record entries, tasks) are never buffered:
 * they are written before the response, as ever (docs/decisions/019-hot-read-path.md).
 */
export class AuditBuffer {
  private pending: AuditEvent[] = [];
  private timer: NodeJS.Timeout | undefined;
  private writing: Promise<void> = Promise.resolve();

  constructor(
    private readonly repository: AuditRepository,
    private readonly logger: Logger,
  ) {}

  async record(event: AuditEvent): Promise<void> {
    this.pending.push(event);
    if (this.pending.length >= MAX_PENDING) await this.flush();
    else if (this.pending.length >= MAX_BATCH) this.flushLater(0);
    else this.flushLater(AUDIT_FLUSH_INTERVAL_MS);
  }

  private flushLater(delayMs: number): void {
    if (this.timer !== undefined && delayMs > 0) return;
    clearTimeout(this.timer);
    // A failed write is logged (and its events kept) by flush itself.
    this.timer = setTimeout(() => void this.flush().catch(() => undefined), delayMs).unref();
  }

  /** Writes every waiting event (after any write already under way); rejects if the store refuses them. */
  flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    const batch = this.pending;
    this.pending = [];
    const write = this.writing.then(async () => {
      if (batch.length === 0) return;
      try {
        await this.repository.append(batch);
      } catch (error) {
        // Kept, in order, ahead of anything recorded since, for the next write to try again.
        this.pending = [...batch, ...this.pending];
        this.flushLater(AUDIT_FLUSH_INTERVAL_MS);
        this.logger.error({ err: error, events: batch.length }, 'could not write audit events to the store');
        throw error;
      }
    });
    this.writing = write.catch(() => undefined);
    return write;
  }

  async query(query: AuditQuery): Promise<StoredAuditEvent[]> {
    await this.flush();
    return this.repository.query(query);
  }
}
