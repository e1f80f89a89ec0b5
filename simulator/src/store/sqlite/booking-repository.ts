import type Database from 'better-sqlite3';
import type { Booking } from '../../domain/booking';
import { bookingSlotIds } from '../../domain/booking';
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
  {
    id: 'bookings-002',
    // Every slot an appointment holds (several when adjacent slots are booked together), so one
    // unique index decides between concurrent bookers whichever of their slots overlap.
    sql: `CREATE TABLE gpc_booking_slots (
      slot_id TEXT NOT NULL,
      booking_id TEXT NOT NULL,
      active INTEGER NOT NULL
    );
    CREATE UNIQUE INDEX gpc_booking_slots_active ON gpc_booking_slots (slot_id) WHERE active = 1;
    CREATE INDEX gpc_booking_slots_booking ON gpc_booking_slots (booking_id);
    INSERT INTO gpc_booking_slots (slot_id, booking_id, active)
      SELECT slot_id, id, 1 FROM gpc_bookings WHERE status = 'booked';`,
    resetTables: ['gpc_booking_slots'],
  },
];

export class SqliteBookingRepository implements BookingRepository {
  private readonly insert: Database.Statement<[string, string, string, number, string, number, string]>;
  private readonly select: Database.Statement<[string], { data: string }>;
  private readonly byPatient: Database.Statement<[number, string], { data: string }>;
  private readonly activeSlots: Database.Statement<[string], { slot_id: string }>;
  private readonly replaceIf: Database.Statement<[string, number, string, string, number]>;
  private readonly holdSlot: Database.Statement<[string, string]>;
  private readonly releaseSlots: Database.Statement<[string]>;
  private readonly createAll: (booking: Booking) => void;
  private readonly replaceAll: (booking: Booking, previousVersion: number) => boolean;

  constructor(db: Database.Database) {
    this.insert = db.prepare(
      'INSERT INTO gpc_bookings (id, ods, slot_id, patient_ordinal, status, version, data) VALUES (?, ?, ?, ?, ?, ?, ?)',
    );
    this.select = db.prepare('SELECT data FROM gpc_bookings WHERE id = ?');
    this.byPatient = db.prepare('SELECT data FROM gpc_bookings WHERE patient_ordinal = ? AND ods = ?');
    this.activeSlots = db.prepare(
      'SELECT s.slot_id FROM gpc_booking_slots s JOIN gpc_bookings b ON b.id = s.booking_id WHERE b.ods = ? AND s.active = 1',
    );
    this.holdSlot = db.prepare('INSERT INTO gpc_booking_slots (slot_id, booking_id, active) VALUES (?, ?, 1)');
    this.releaseSlots = db.prepare('UPDATE gpc_booking_slots SET active = 0 WHERE booking_id = ?');
    this.replaceIf = db.prepare(
      'UPDATE gpc_bookings SET status = ?, version = ?, data = ? WHERE id = ? AND version = ?',
    );
    // All of a booking's slots are taken, or none: a unique violation rolls the whole insert back.
    this.createAll = db.transaction((booking: Booking) => {
      this.insert.run(
        booking.id,
        booking.ods,
        booking.slotId,
        booking.patientOrdinal,
        booking.status,
        booking.version,
        JSON.stringify(booking),
      );
      for (const slotId of bookingSlotIds(booking)) this.holdSlot.run(slotId, booking.id);
    });
    this.replaceAll = db.transaction((booking: Booking, previousVersion: number) => {
      const result = this.replaceIf.run(
        booking.status,
        booking.version,
        JSON.stringify(booking),
        booking.id,
        previousVersion,
      );
      if (result.changes === 1 && booking.status !== 'booked') this.releaseSlots.run(booking.id);
      return result.changes === 1;
    });
  }

  async create(booking: Booking): Promise<boolean> {
    try {
      this.createAll(booking);
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
    return this.replaceAll(booking, previousVersion);
  }
}
