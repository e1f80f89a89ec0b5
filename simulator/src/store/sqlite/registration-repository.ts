import type Database from 'better-sqlite3';
import type { TemporaryRegistration } from '../../domain/register-patient';
import type { RegistrationRepository } from '../store';
import type { Migration } from './migrations';

export const registrationMigrations: readonly Migration[] = [
  {
    id: 'registrations-001',
    sql: `CREATE TABLE temporary_registrations (
      ods TEXT NOT NULL,
      nhs_number TEXT NOT NULL,
      patient_ordinal INTEGER NOT NULL,
      registered_at TEXT NOT NULL,
      PRIMARY KEY (ods, nhs_number)
    )`,
    resetTables: ['temporary_registrations'],
  },
];

interface Row {
  ods: string;
  nhs_number: string;
  patient_ordinal: number;
  registered_at: string;
}

const fromRow = (row: Row): TemporaryRegistration => ({
  ods: row.ods,
  nhsNumber: row.nhs_number,
  patientOrdinal: row.patient_ordinal,
  registeredAt: row.registered_at,
});

export class SqliteRegistrationRepository implements RegistrationRepository {
  private readonly select: Database.Statement<[string, string], Row>;
  private readonly insert: Database.Statement<[string, string, number, string]>;

  constructor(db: Database.Database) {
    this.select = db.prepare('SELECT * FROM temporary_registrations WHERE ods = ? AND nhs_number = ?');
    this.insert = db.prepare(
      'INSERT INTO temporary_registrations (ods, nhs_number, patient_ordinal, registered_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING',
    );
  }

  async get(ods: string, nhsNumber: string): Promise<TemporaryRegistration | undefined> {
    const row = this.select.get(ods, nhsNumber);
    return row ? fromRow(row) : undefined;
  }

  async create(registration: TemporaryRegistration): Promise<boolean> {
    const result = this.insert.run(
      registration.ods,
      registration.nhsNumber,
      registration.patientOrdinal,
      registration.registeredAt,
    );
    return result.changes === 1;
  }
}
