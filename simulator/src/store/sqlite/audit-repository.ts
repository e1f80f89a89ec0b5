import type Database from 'better-sqlite3';
import type { AuditEvent, AuditQuery, StoredAuditEvent } from '../../domain/audit';
import type { AuditRepository } from '../store';
import type { Migration } from './migrations';

/** The audit trail is append-only: no reset empties it and a trigger refuses any UPDATE or DELETE. */
export const auditMigrations: readonly Migration[] = [
  {
    id: 'audit-001',
    sql: `CREATE TABLE audit (
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
          CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
          CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;`,
  },
  { id: 'audit-002-device', sql: 'ALTER TABLE audit ADD COLUMN device TEXT' },
];

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
  device: string | null;
  reason: string | null;
  trace_id: string | null;
  outcome: 'allowed' | 'refused';
}

export class SqliteAuditRepository implements AuditRepository {
  private readonly insertAll: (events: readonly AuditEvent[]) => void;

  constructor(private readonly db: Database.Database) {
    const insert = db.prepare(
      `INSERT INTO audit (time, surface, action, nhs_number, client_id, user, role, organisation, device, reason, trace_id, outcome)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.insertAll = db.transaction((events: readonly AuditEvent[]) => {
      for (const event of events) {
        insert.run(
          event.time,
          event.surface,
          event.action,
          event.nhsNumber ?? null,
          event.clientId ?? null,
          event.user ?? null,
          event.role ?? null,
          event.organisation ?? null,
          event.device ?? null,
          event.reason ?? null,
          event.traceId ?? null,
          event.outcome,
        );
      }
    });
  }

  async append(events: readonly AuditEvent[]): Promise<void> {
    this.insertAll(events);
  }

  async query(query: AuditQuery): Promise<StoredAuditEvent[]> {
    const conditions: string[] = ['seq > @sinceSeq'];
    if (query.nhsNumber !== undefined) conditions.push('nhs_number = @nhsNumber');
    if (query.user !== undefined) conditions.push('user = @user');
    if (query.surface !== undefined) conditions.push('surface = @surface');
    if (query.action !== undefined) conditions.push('action = @action');
    if (query.organisation !== undefined) conditions.push('organisation = @organisation');
    if (query.device !== undefined) conditions.push('device = @device');
    const rows = this.db
      .prepare(
        `SELECT seq, time, surface, action, nhs_number, client_id, user, role, organisation, device, reason, trace_id, outcome
         FROM audit WHERE ${conditions.join(' AND ')} ORDER BY seq LIMIT @limit`,
      )
      .all({
        sinceSeq: query.sinceSeq ?? 0,
        nhsNumber: query.nhsNumber ?? null,
        user: query.user ?? null,
        surface: query.surface ?? null,
        action: query.action ?? null,
        organisation: query.organisation ?? null,
        device: query.device ?? null,
        limit: query.limit ?? 100,
      }) as AuditRow[];
    return rows.map(fromRow);
  }
}

function fromRow(row: AuditRow): StoredAuditEvent {
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
  if (row.device !== null) event.device = row.device;
  if (row.reason !== null) event.reason = row.reason;
  if (row.trace_id !== null) event.traceId = row.trace_id;
  return event;
}
