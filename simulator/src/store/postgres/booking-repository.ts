import type { Pool } from 'pg';
import type { Booking } from '../../domain/booking';
import type { BookingRepository } from '../store';
import type { PostgresMigration } from './migrations';

export const bookingMigrations: readonly PostgresMigration[] = [
  {
    id: 'bookings-001',
    // The partial unique index lets exactly one of concurrent bookers, on any replica, hold a slot.
    sql: `CREATE TABLE gpc_bookings (
            id TEXT PRIMARY KEY,
            ods TEXT NOT NULL,
            slot_id TEXT NOT NULL,
            patient_ordinal INTEGER NOT NULL,
            status TEXT NOT NULL,
            version INTEGER NOT NULL,
            data TEXT NOT NULL
          );
          CREATE UNIQUE INDEX gpc_bookings_active_slot ON gpc_bookings (slot_id) WHERE status = 'booked';
          CREATE INDEX gpc_bookings_patient ON gpc_bookings (patient_ordinal);`,
    resetTables: ['gpc_bookings'],
  },
];

export class PostgresBookingRepository implements BookingRepository {
  constructor(private readonly pool: Pool) {}

  async create(booking: Booking): Promise<boolean> {
    const result = await this.pool.query(
      `INSERT INTO gpc_bookings (id, ods, slot_id, patient_ordinal, status, version, data)
       VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (slot_id) WHERE status = 'booked' DO NOTHING`,
      [
        booking.id,
        booking.ods,
        booking.slotId,
        booking.patientOrdinal,
        booking.status,
        booking.version,
        JSON.stringify(booking),
      ],
    );
    return result.rowCount === 1;
  }

  async get(id: string): Promise<Booking | undefined> {
    const { rows } = await this.pool.query<{ data: string }>('SELECT data FROM gpc_bookings WHERE id = $1', [id]);
    return rows[0] ? (JSON.parse(rows[0].data) as Booking) : undefined;
  }

  async forPatient(patientOrdinal: number, ods: string): Promise<Booking[]> {
    const { rows } = await this.pool.query<{ data: string }>(
      'SELECT data FROM gpc_bookings WHERE patient_ordinal = $1 AND ods = $2',
      [patientOrdinal, ods],
    );
    return rows.map((row) => JSON.parse(row.data) as Booking);
  }

  async bookedSlotIds(ods: string): Promise<Set<string>> {
    const { rows } = await this.pool.query<{ slot_id: string }>(
      "SELECT slot_id FROM gpc_bookings WHERE ods = $1 AND status = 'booked'",
      [ods],
    );
    return new Set(rows.map((row) => row.slot_id));
  }

  async replace(booking: Booking, previousVersion: number): Promise<boolean> {
    const result = await this.pool.query(
      'UPDATE gpc_bookings SET status = $1, version = $2, data = $3 WHERE id = $4 AND version = $5',
      [booking.status, booking.version, JSON.stringify(booking), booking.id, previousVersion],
    );
    return result.rowCount === 1;
  }
}
