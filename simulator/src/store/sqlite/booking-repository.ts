import type Database from 'better-sqlite3';
import type { Booking } from '../../domain/booking';
import type { BookingRepository } from '../store';
import type { Migration } from './migrations';

export const bookingMigrations: readonly Migration[] = [
  {
    id: 'bookings-001',
    // The partial unique index lets exactly one of concurrent bookers hold a slot; a cancellation frees it.
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

export class SqliteBookingRepository implements BookingRepository {
  private readonly insert: Database.Statement<[string, string, string, number, string, number, string]>;
  private readonly select: Database.Statement<[string], { data: string }>;
  private readonly byPatient: Database.Statement<[number, string], { data: string }>;
  private readonly activeSlots: Database.Statement<[string], { slot_id: string }>;
  private readonly replaceIf: Database.Statement<[string, number, string, string, number]>;

  constructor(db: Database.Database) {
    this.insert = db.prepare(
      'INSERT INTO gpc_bookings (id, ods, slot_id, patient_ordinal, status, version, data) VALUES (?, ?, ?, ?, ?, ?, ?)',
    );
    this.select = db.prepare('SELECT data FROM gpc_bookings WHERE id = ?');
    this.byPatient = db.prepare('SELECT data FROM gpc_bookings WHERE patient_ordinal = ? AND ods = ?');
    this.activeSlots = db.prepare("SELECT slot_id FROM gpc_bookings WHERE ods = ? AND status = 'booked'");
    this.replaceIf = db.prepare(
      'UPDATE gpc_bookings SET status = ?, version = ?, data = ? WHERE id = ? AND version = ?',
    );
  }

  async create(booking: Booking): Promise<boolean> {
    try {
      this.insert.run(
        booking.id,
        booking.ods,
        booking.slotId,
        booking.patientOrdinal,
        booking.status,
        booking.version,
        JSON.stringify(booking),
      );
      return true;
    } catch (error) {
      if ((error as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE') return false;
      throw error;
    }
  }

  async get(id: string): Promise<Booking | undefined> {
    const row = this.select.get(id);
    return row ? (JSON.parse(row.data) as Booking) : undefined;
  }

  async forPatient(patientOrdinal: number, ods: string): Promise<Booking[]> {
    return this.byPatient.all(patientOrdinal, ods).map((row) => JSON.parse(row.data) as Booking);
  }

  async bookedSlotIds(ods: string): Promise<Set<string>> {
    return new Set(this.activeSlots.all(ods).map((row) => row.slot_id));
  }

  async replace(booking: Booking, previousVersion: number): Promise<boolean> {
    const result = this.replaceIf.run(
      booking.status,
      booking.version,
      JSON.stringify(booking),
      booking.id,
      previousVersion,
    );
    return result.changes === 1;
  }
}
