import type { Pool } from 'pg';
import type { TemporaryRegistration } from '../../domain/register-patient';
import type { RegistrationRepository } from '../store';
import type { PostgresMigration } from './migrations';

export const registrationMigrations: readonly PostgresMigration[] = [
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

export class PostgresRegistrationRepository implements RegistrationRepository {
  constructor(private readonly pool: Pool) {}

  async get(ods: string, nhsNumber: string): Promise<TemporaryRegistration | undefined> {
    const { rows } = await this.pool.query<Row>(
      'SELECT * FROM temporary_registrations WHERE ods = $1 AND nhs_number = $2',
      [ods, nhsNumber],
    );
    const row = rows[0];
    return row
      ? {
          ods: row.ods,
          nhsNumber: row.nhs_number,
          patientOrdinal: row.patient_ordinal,
          registeredAt: row.registered_at,
        }
      : undefined;
  }

  async create(registration: TemporaryRegistration): Promise<boolean> {
    const result = await this.pool.query(
      `INSERT INTO temporary_registrations (ods, nhs_number, patient_ordinal, registered_at)
       VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING`,
      [registration.ods, registration.nhsNumber, registration.patientOrdinal, registration.registeredAt],
    );
    return result.rowCount === 1;
  }
}
