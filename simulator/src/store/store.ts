import type { AuditEvent, AuditQuery, StoredAuditEvent } from '../domain/audit';
import type { RecordEntry } from '../domain/clinical-record';

/**
 * Persistence of what changes, one repository per feature: settings, written record entries, the
 * audit trail (and, as the surfaces grow, bookings, tasks, messages). The computed population is
 * never stored. Every method is async so a shared PostgreSQL store can stand behind the same
 * interface.
 */
export interface Store {
  /** sqlite | memory | postgres */
  readonly kind: string;
  /** Where the data lives, safe to show (no credentials). */
  readonly location: string;
  readonly settings: SettingsRepository;
  readonly records: RecordRepository;
  readonly audit: AuditRepository;
  close(): Promise<void>;
  /** Drops every change, back to the seed state. The audit trail is kept: it is append-only. */
  reset(): Promise<void>;
}

export interface SettingsRepository {
  get<T>(key: string): Promise<T | undefined>;
  put(key: string, value: unknown): Promise<void>;
}

export interface RecordRepository {
  append(patientOrdinal: number, entry: RecordEntry): Promise<void>;
  entries(patientOrdinal: number): Promise<RecordEntry[]>;
}

export interface AuditRepository {
  /** Appends an event and returns its sequence number. There is no way to change or delete one. */
  append(event: AuditEvent): Promise<number>;
  query(query: AuditQuery): Promise<StoredAuditEvent[]>;
}
