import type { Pool, PoolClient } from 'pg';
import type { Booking } from '../../domain/booking';
import { bookingSlotIds } from '../../domain/booking';
import type { BookingRepository } from '../store';
import type { PostgresMigration } from './migrations';

const uniqueViolation = '23505';

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
  {
    id: 'bookings-002',
    // Every slot an appointment holds (several when adjacent slots are booked together), so one
    // unique index decides between concurrent bookers whichever of their slots overlap.
    sql: `CREATE TABLE gpc_booking_slots (
            slot_id TEXT NOT NULL,
            booking_id TEXT NOT NULL,
            active BOOLEAN NOT NULL
          );
          CREATE UNIQUE INDEX gpc_booking_slots_active ON gpc_booking_slots (slot_id) WHERE active;
          CREATE INDEX gpc_booking_slots_booking ON gpc_booking_slots (booking_id);
          INSERT INTO gpc_booking_slots (slot_id, booking_id, active)
            SELECT slot_id, id, TRUE FROM gpc_bookings WHERE status = 'booked';`,
    resetTables: ['gpc_booking_slots'],
  },
];

export class PostgresBookingRepository implements BookingRepository {
  constructor(private readonly pool: Pool) {}

  async create(booking: Booking): Promise<boolean> {
    // All of a booking's slots are taken, or none: a unique violation rolls the whole insert back.
    try {
      await this.inTransaction(async (client) => {
        await client.query(
          `INSERT INTO gpc_bookings (id, ods, slot_id, patient_ordinal, status, version, data)
           VALUES ($1, $2, $3, $4, $5, $6, $7)`,
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
        await client.query(
          'INSERT INTO gpc_booking_slots (slot_id, booking_id, active) SELECT unnest($1::text[]), $2, TRUE',
          [bookingSlotIds(booking), booking.id],
        );
      });
      return true;
    } catch (error) {
      if ((error as { code?: string }).code === uniqueViolation) return false;
      throw error;
    }
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
      `SELECT s.slot_id FROM gpc_booking_slots s JOIN gpc_bookings b ON b.id = s.booking_id
       WHERE b.ods = $1 AND s.active`,
      [ods],
    );
    return new Set(rows.map((row) => row.slot_id));
  }

  async replace(booking: Booking, previousVersion: number): Promise<boolean> {
    return this.inTransaction(async (client) => {
      const result = await client.query(
        'UPDATE gpc_bookings SET status = $1, version = $2, data = $3 WHERE id = $4 AND version = $5',
        [booking.status, booking.version, JSON.stringify(booking), booking.id, previousVersion],
      );
      const replaced = result.rowCount === 1;
      if (replaced && booking.status !== 'booked') {
        await client.query('UPDATE gpc_booking_slots SET active = FALSE WHERE booking_id = $1', [booking.id]);
      }
      return replaced;
    });
  }

  private async inTransaction<T>(work: (client: PoolClient) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const result = await work(client);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK');
      throw error;
    } finally {
      client.release();
    }
  }
}
