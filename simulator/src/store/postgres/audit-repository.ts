import type { Pool } from 'pg';
import type { AuditEvent, AuditQuery, StoredAuditEvent } from '../../domain/audit';
import type { AuditRepository } from '../store';
import type { PostgresMigration } from './migrations';

/** The audit trail is append-only: no reset empties it and a trigger refuses UPDATE, DELETE and TRUNCATE. */
export const auditMigrations: readonly PostgresMigration[] = [
  {
    id: 'audit-001',
    sql: `CREATE TABLE audit (
            seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            time TEXT NOT NULL,
            surface TEXT NOT NULL,
            action TEXT NOT NULL,
            nhs_number TEXT,
            client_id TEXT,
            user_name TEXT,
            role TEXT,
            organisation TEXT,
            device TEXT,
            reason TEXT,
            trace_id TEXT,
            outcome TEXT NOT NULL
          );
          CREATE INDEX audit_nhs_number ON audit (nhs_number, seq);
          CREATE INDEX audit_user ON audit (user_name, seq);
          CREATE FUNCTION audit_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN RAISE EXCEPTION 'the audit trail is append-only'; END $$;
          CREATE TRIGGER audit_no_change BEFORE UPDATE OR DELETE ON audit
            FOR EACH ROW EXECUTE FUNCTION audit_refuse_change();
          CREATE TRIGGER audit_no_truncate BEFORE TRUNCATE ON audit
            FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse_change();`,
  },
];

interface AuditRow {
  seq: string;
  time: string;
  surface: string;
  action: string;
  nhs_number: string | null;
  client_id: string | null;
  user_name: string | null;
  role: string | null;
  organisation: string | null;
  device: string | null;
  reason: string | null;
  trace_id: string | null;
  outcome: 'allowed' | 'refused';
}

export class PostgresAuditRepository implements AuditRepository {
  constructor(private readonly pool: Pool) {}

  /** One statement (so all or none), the events as parallel arrays so a batch of any size is 12 parameters. */
  async append(events: readonly AuditEvent[]): Promise<void> {
    if (events.length === 0) return;
    const column = (value: (event: AuditEvent) => string | undefined) => events.map((event) => value(event) ?? null);
    await this.pool.query(
      `INSERT INTO audit (time, surface, action, nhs_number, client_id, user_name, role, organisation, device, reason, trace_id, outcome)
       SELECT time, surface, action, nhs_number, client_id, user_name, role, organisation, device, reason, trace_id, outcome
       FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[], $11::text[], $12::text[])
         WITH ORDINALITY AS batch (time, surface, action, nhs_number, client_id, user_name, role, organisation, device, reason, trace_id, outcome, position)
       ORDER BY position`,
      [
        column((event) => event.time),
        column((event) => event.surface),
        column((event) => event.action),
        column((event) => event.nhsNumber),
        column((event) => event.clientId),
        column((event) => event.user),
        column((event) => event.role),
        column((event) => event.organisation),
        column((event) => event.device),
        column((event) => event.reason),
        column((event) => event.traceId),
        column((event) => event.outcome),
      ],
    );
  }

  async query(query: AuditQuery): Promise<StoredAuditEvent[]> {
    const values: unknown[] = [query.sinceSeq ?? 0];
    const conditions: string[] = ['seq > $1'];
    const filter = (column: string, value: string | undefined) => {
      if (value === undefined) return;
      values.push(value);
      conditions.push(`${column} = $${values.length}`);
    };
    filter('nhs_number', query.nhsNumber);
    filter('user_name', query.user);
    filter('surface', query.surface);
    filter('action', query.action);
    filter('organisation', query.organisation);
    filter('device', query.device);
    values.push(query.limit ?? 100);
    const { rows } = await this.pool.query<AuditRow>(
      `SELECT * FROM audit WHERE ${conditions.join(' AND ')} ORDER BY seq LIMIT $${values.length}`,
      values,
    );
    return rows.map(fromRow);
  }
}

function fromRow(row: AuditRow): StoredAuditEvent {
  const event: StoredAuditEvent = {
    seq: Number(row.seq),
    time: row.time,
    surface: row.surface,
    action: row.action,
    outcome: row.outcome,
  };
  if (row.nhs_number !== null) event.nhsNumber = row.nhs_number;
  if (row.client_id !== null) event.clientId = row.client_id;
  if (row.user_name !== null) event.user = row.user_name;
  if (row.role !== null) event.role = row.role;
  if (row.organisation !== null) event.organisation = row.organisation;
  if (row.device !== null) event.device = row.device;
  if (row.reason !== null) event.reason = row.reason;
  if (row.trace_id !== null) event.traceId = row.trace_id;
  return event;
}
