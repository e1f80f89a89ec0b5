import type { RecordEntry } from '../domain/clinical-record';
import type { AuditEvent, AuditQuery, StoredAuditEvent } from '../domain/audit';

/**
 * Persistence of what changes: settings, written record entries, the audit trail (and, as the
 * surfaces grow, bookings, tasks and messages). The computed population is never stored.
 * Every method is async so a shared PostgreSQL store can stand behind the same interface.
 */
export interface Store {
  /** sqlite | memory | postgres */
  readonly kind: string;
  /** Where the data lives, safe to show (no credentials). */
  readonly location: string;
  close(): Promise<void>;
  /** Drops every change, back to the seed state. The audit trail is kept: it is append-only. */
  reset(): Promise<void>;

  getSetting<T>(key: string): Promise<T | undefined>;
  putSetting(key: string, value: unknown): Promise<void>;

  appendRecordEntry(patientOrdinal: number, entry: RecordEntry): Promise<void>;
  recordEntries(patientOrdinal: number): Promise<RecordEntry[]>;

  /** Appends to the audit trail and returns the event's sequence number. The trail is append-only. */
  appendAudit(event: AuditEvent): Promise<number>;
  queryAudit(query: AuditQuery): Promise<StoredAuditEvent[]>;
}
