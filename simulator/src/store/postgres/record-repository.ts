import type { Pool } from 'pg';
import type { RecordEntry } from '../../domain/clinical-record';
import type { RecordRepository } from '../store';
import type { PostgresMigration } from './migrations';

export const recordMigrations: readonly PostgresMigration[] = [
  {
    id: 'records-001',
    sql: `CREATE TABLE record_entries (
            seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            patient_ordinal INTEGER NOT NULL,
            entry TEXT NOT NULL
          );
          CREATE INDEX record_entries_patient ON record_entries (patient_ordinal, seq);`,
    resetTables: ['record_entries'],
  },
];

/** Record entries partners wrote back, per patient, in the order they were written. */
export class PostgresRecordRepository implements RecordRepository {
  constructor(private readonly pool: Pool) {}

  async append(patientOrdinal: number, entry: RecordEntry): Promise<void> {
    await this.pool.query('INSERT INTO record_entries (patient_ordinal, entry) VALUES ($1, $2)', [
      patientOrdinal,
      JSON.stringify(entry),
    ]);
  }

  async entries(patientOrdinal: number): Promise<RecordEntry[]> {
    const { rows } = await this.pool.query<{ entry: string }>(
      'SELECT entry FROM record_entries WHERE patient_ordinal = $1 ORDER BY seq',
      [patientOrdinal],
    );
    return rows.map((row) => JSON.parse(row.entry) as RecordEntry);
  }
}
