import type Database from 'better-sqlite3';
import type { RecordEntry } from '../../domain/clinical-record';
import type { RecordRepository } from '../store';
import type { Migration } from './migrations';

export const recordMigrations: readonly Migration[] = [
  {
    id: 'records-001',
    sql: `CREATE TABLE record_entries (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            patient_ordinal INTEGER NOT NULL,
            entry TEXT NOT NULL
          );
          CREATE INDEX record_entries_patient ON record_entries (patient_ordinal, seq);`,
    resetTables: ['record_entries'],
  },
];

/** Record entries partners wrote back, per patient, in the order they were written. */
export class SqliteRecordRepository implements RecordRepository {
  private readonly insert: Database.Statement<[number, string]>;
  private readonly select: Database.Statement<[number], { entry: string }>;

  constructor(db: Database.Database) {
    this.insert = db.prepare('INSERT INTO record_entries (patient_ordinal, entry) VALUES (?, ?)');
    this.select = db.prepare('SELECT entry FROM record_entries WHERE patient_ordinal = ? ORDER BY seq');
  }

  async append(patientOrdinal: number, entry: RecordEntry): Promise<void> {
    this.insert.run(patientOrdinal, JSON.stringify(entry));
  }

  async entries(patientOrdinal: number): Promise<RecordEntry[]> {
    return this.select.all(patientOrdinal).map((row) => JSON.parse(row.entry) as RecordEntry);
  }
}
