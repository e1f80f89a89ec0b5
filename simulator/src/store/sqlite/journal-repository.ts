import type Database from 'better-sqlite3';
import type { JournalEntry, JournalQuery } from '../../control/journal';
import type { JournalRepository } from '../store';
import type { Migration } from './migrations';

export const journalMigrations: readonly Migration[] = [
  {
    id: 'journal-001',
    sql: `CREATE TABLE journal (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            time_ms INTEGER NOT NULL,
            surface TEXT NOT NULL,
            status INTEGER NOT NULL,
            entry TEXT NOT NULL
          )`,
  },
];

/** The journal of every `--workers` process over one SQLite file, written in batches off the request path. */
export class SqliteJournalRepository implements JournalRepository {
  private readonly insert: Database.Statement<[number, string, number, string]>;
  private readonly select: Database.Statement;
  private readonly last: Database.Statement<[], { seq: number | null }>;
  private readonly removeOld: Database.Statement<[number]>;

  constructor(private readonly db: Database.Database) {
    this.insert = db.prepare('INSERT INTO journal (time_ms, surface, status, entry) VALUES (?, ?, ?, ?)');
    this.select = db.prepare(
      `SELECT seq, entry FROM journal
        WHERE seq > @sinceSeq AND (@surface IS NULL OR surface = @surface) AND (@status IS NULL OR status = @status)
          AND (@statusClass IS NULL OR status / 100 = @statusClass) AND (@sinceTime IS NULL OR time_ms >= @sinceTime)
        ORDER BY seq DESC LIMIT @limit`,
    );
    this.last = db.prepare('SELECT MAX(seq) AS seq FROM journal');
    this.removeOld = db.prepare('DELETE FROM journal WHERE seq <= (SELECT MAX(seq) FROM journal) - ?');
  }

  async append(entries: readonly Omit<JournalEntry, 'seq'>[]): Promise<void> {
    this.db.transaction(() => {
      for (const entry of entries)
        this.insert.run(Date.parse(entry.time), entry.surface, entry.status, JSON.stringify(entry));
    })();
  }

  async list(query: JournalQuery): Promise<JournalEntry[]> {
    const rows = this.select.all({
      sinceSeq: query.sinceSeq ?? 0,
      surface: query.surface ?? null,
      status: query.status ?? null,
      statusClass: query.statusClass ?? null,
      sinceTime: query.sinceTime ?? null,
      limit: query.limit ?? 100,
    }) as { seq: number; entry: string }[];
    return rows.reverse().map((row) => ({ ...(JSON.parse(row.entry) as JournalEntry), seq: row.seq }));
  }

  async lastSeq(): Promise<number> {
    return this.last.get()?.seq ?? 0;
  }

  async trim(keep: number): Promise<void> {
    this.removeOld.run(keep);
  }
}
