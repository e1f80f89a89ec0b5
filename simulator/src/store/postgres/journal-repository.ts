import type { Pool } from 'pg';
import type { JournalEntry, JournalQuery } from '../../control/journal';
import type { JournalRepository } from '../store';
import type { PostgresMigration } from './migrations';

export const journalMigrations: readonly PostgresMigration[] = [
  {
    id: 'journal-001',
    sql: `CREATE TABLE journal (
            seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            time_ms BIGINT NOT NULL,
            surface TEXT NOT NULL,
            status INTEGER NOT NULL,
            entry TEXT NOT NULL
          )`,
  },
];

/** The journal of every replica, written in batches (one INSERT of many rows) off the request path. */
export class PostgresJournalRepository implements JournalRepository {
  constructor(private readonly pool: Pool) {}

  async append(entries: readonly Omit<JournalEntry, 'seq'>[]): Promise<void> {
    if (entries.length === 0) return;
    await this.pool.query(
      `INSERT INTO journal (time_ms, surface, status, entry)
       SELECT * FROM unnest($1::bigint[], $2::text[], $3::integer[], $4::text[])`,
      [
        entries.map((entry) => Date.parse(entry.time)),
        entries.map((entry) => entry.surface),
        entries.map((entry) => entry.status),
        entries.map((entry) => JSON.stringify(entry)),
      ],
    );
  }

  async list(query: JournalQuery): Promise<JournalEntry[]> {
    const { rows } = await this.pool.query<{ seq: string; entry: string }>(
      `SELECT seq, entry FROM journal
        WHERE seq > $1 AND ($2::text IS NULL OR surface = $2) AND ($3::integer IS NULL OR status = $3)
          AND ($4::integer IS NULL OR status / 100 = $4) AND ($5::bigint IS NULL OR time_ms >= $5)
        ORDER BY seq DESC LIMIT $6`,
      [
        query.sinceSeq ?? 0,
        query.surface ?? null,
        query.status ?? null,
        query.statusClass ?? null,
        query.sinceTime ?? null,
        query.limit ?? 100,
      ],
    );
    return rows.reverse().map((row) => ({ ...(JSON.parse(row.entry) as JournalEntry), seq: Number(row.seq) }));
  }

  async lastSeq(): Promise<number> {
    const { rows } = await this.pool.query<{ seq: string | null }>('SELECT MAX(seq) AS seq FROM journal');
    return Number(rows[0]?.seq ?? 0);
  }

  async trim(keep: number): Promise<void> {
    await this.pool.query('DELETE FROM journal WHERE seq <= (SELECT MAX(seq) FROM journal) - $1', [keep]);
  }
}
