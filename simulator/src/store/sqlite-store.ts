import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import type { AuditEvent, AuditQuery, StoredAuditEvent } from '../domain/audit';
import type { RecordEntry } from '../domain/clinical-record';
import type { Store } from './store';

/**
 * Migrations run in order, once each, inside a transaction; the applied version is kept in
 * SQLite's user_version. Append new ones; never edit an applied one.
 */
const migrations: readonly string[] = [
  `CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
   CREATE TABLE record_entries (
     seq INTEGER PRIMARY KEY AUTOINCREMENT,
     patient_ordinal INTEGER NOT NULL,
     entry TEXT NOT NULL
   );
   CREATE INDEX record_entries_patient ON record_entries (patient_ordinal, seq);
   CREATE TABLE audit (
     seq INTEGER PRIMARY KEY AUTOINCREMENT,
     time TEXT NOT NULL,
     surface TEXT NOT NULL,
     action TEXT NOT NULL,
     nhs_number TEXT,
     client_id TEXT,
     user TEXT,
     role TEXT,
     organisation TEXT,
     reason TEXT,
     trace_id TEXT,
     outcome TEXT NOT NULL
   );
   CREATE INDEX audit_nhs_number ON audit (nhs_number, seq);
   CREATE INDEX audit_user ON audit (user, seq);
   CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;`,
];

/** Tables a reset empties. The audit trail is not one of them: it is append-only, through resets too. */
const changeTables = ['settings', 'record_entries'] as const;

/**
 * The embedded default store: one SQLite file in the data directory, in WAL mode so readers never
 * wait for a writer, or an in-memory database for `--store memory` and in-process mode.
 */
export class SqliteStore implements Store {
  readonly kind: string;
  readonly location: string;
  private readonly db: Database.Database;
  private readonly statements: ReturnType<SqliteStore['prepare']>;

  constructor(file: string | ':memory:') {
    this.kind = file === ':memory:' ? 'memory' : 'sqlite';
    this.location = file;
    if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    // NORMAL in WAL mode keeps committed writes through a process crash (only power loss can
    // drop the last transactions), at a fraction of FULL's fsync cost.
    this.db.pragma('synchronous = NORMAL');
    this.db.pragma('busy_timeout = 5000');
    this.migrate();
    this.statements = this.prepare();
  }

  private migrate(): void {
    const current = this.db.pragma('user_version', { simple: true }) as number;
    for (let version = current; version < migrations.length; version++) {
      this.db.transaction(() => {
        this.db.exec(migrations[version] as string);
        this.db.pragma(`user_version = ${version + 1}`);
      })();
    }
  }

  private prepare() {
    return {
      getSetting: this.db.prepare<[string], { value: string }>('SELECT value FROM settings WHERE key = ?'),
      putSetting: this.db.prepare<[string, string]>(
        'INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
      ),
      appendEntry: this.db.prepare<[number, string]>(
        'INSERT INTO record_entries (patient_ordinal, entry) VALUES (?, ?)',
      ),
      entries: this.db.prepare<[number], { entry: string }>(
        'SELECT entry FROM record_entries WHERE patient_ordinal = ? ORDER BY seq',
      ),
      appendAudit: this.db.prepare(
        `INSERT INTO audit (time, surface, action, nhs_number, client_id, user, role, organisation, reason, trace_id, outcome)
         VALUES (@time, @surface, @action, @nhsNumber, @clientId, @user, @role, @organisation, @reason, @traceId, @outcome)`,
      ),
    };
  }

  async close(): Promise<void> {
    this.db.close();
  }

  async reset(): Promise<void> {
    this.db.transaction(() => {
      for (const table of changeTables) this.db.exec(`DELETE FROM ${table}`);
    })();
  }

  async getSetting<T>(key: string): Promise<T | undefined> {
    const row = this.statements.getSetting.get(key);
    return row ? (JSON.parse(row.value) as T) : undefined;
  }

  async putSetting(key: string, value: unknown): Promise<void> {
    this.statements.putSetting.run(key, JSON.stringify(value));
  }

  async appendRecordEntry(patientOrdinal: number, entry: RecordEntry): Promise<void> {
    this.statements.appendEntry.run(patientOrdinal, JSON.stringify(entry));
  }

  async recordEntries(patientOrdinal: number): Promise<RecordEntry[]> {
    return this.statements.entries.all(patientOrdinal).map((row) => JSON.parse(row.entry) as RecordEntry);
  }

  async appendAudit(event: AuditEvent): Promise<number> {
    const result = this.statements.appendAudit.run({
      time: event.time,
      surface: event.surface,
      action: event.action,
      nhsNumber: event.nhsNumber ?? null,
      clientId: event.clientId ?? null,
      user: event.user ?? null,
      role: event.role ?? null,
      organisation: event.organisation ?? null,
      reason: event.reason ?? null,
      traceId: event.traceId ?? null,
      outcome: event.outcome,
    });
    return Number(result.lastInsertRowid);
  }

  async queryAudit(query: AuditQuery): Promise<StoredAuditEvent[]> {
    const conditions: string[] = ['seq > @sinceSeq'];
    if (query.nhsNumber !== undefined) conditions.push('nhs_number = @nhsNumber');
    if (query.user !== undefined) conditions.push('user = @user');
    if (query.surface !== undefined) conditions.push('surface = @surface');
    const rows = this.db
      .prepare(
        `SELECT seq, time, surface, action, nhs_number, client_id, user, role, organisation, reason, trace_id, outcome
         FROM audit WHERE ${conditions.join(' AND ')} ORDER BY seq LIMIT @limit`,
      )
      .all({
        sinceSeq: query.sinceSeq ?? 0,
        nhsNumber: query.nhsNumber ?? null,
        user: query.user ?? null,
        surface: query.surface ?? null,
        limit: query.limit ?? 100,
      }) as AuditRow[];
    return rows.map(fromAuditRow);
  }
}

interface AuditRow {
  seq: number;
  time: string;
  surface: string;
  action: string;
  nhs_number: string | null;
  client_id: string | null;
  user: string | null;
  role: string | null;
  organisation: string | null;
  reason: string | null;
  trace_id: string | null;
  outcome: 'allowed' | 'refused';
}

function fromAuditRow(row: AuditRow): StoredAuditEvent {
  const event: StoredAuditEvent = {
    seq: row.seq,
    time: row.time,
    surface: row.surface,
    action: row.action,
    outcome: row.outcome,
  };
  if (row.nhs_number !== null) event.nhsNumber = row.nhs_number;
  if (row.client_id !== null) event.clientId = row.client_id;
  if (row.user !== null) event.user = row.user;
  if (row.role !== null) event.role = row.role;
  if (row.organisation !== null) event.organisation = row.organisation;
  if (row.reason !== null) event.reason = row.reason;
  if (row.trace_id !== null) event.traceId = row.trace_id;
  return event;
}
