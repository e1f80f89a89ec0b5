import type { AuditEvent, AuditQuery, StoredAuditEvent } from '../domain/audit';
import type { RecordEntry } from '../domain/clinical-record';
import type { Booking } from '../domain/booking';
import type { TemporaryRegistration } from '../domain/register-patient';
import type { Task, TaskStatus } from '../domain/tasks';

/**
 * Persistence of what changes, one repository per feature: settings, written record entries, the
 * audit trail (and, as the surfaces grow, bookings, tasks, messages). The computed population is
 * never stored. Every method is async so a shared PostgreSQL store can stand behind the same
 * interface.
 */
export interface Store {
  /** sqlite | memory | postgres */
  readonly kind: string;
  /** Where the data lives, safe to show (no credentials). */
  readonly location: string;
  readonly settings: SettingsRepository;
  readonly records: RecordRepository;
  readonly audit: AuditRepository;
  readonly tasks: TaskRepository;
  readonly registrations: RegistrationRepository;
  readonly bookings: BookingRepository;
  close(): Promise<void>;
  /** Drops every change, back to the seed state. The audit trail is kept: it is append-only. */
  reset(): Promise<void>;
}

export interface SettingsRepository {
  get<T>(key: string): Promise<T | undefined>;
  put(key: string, value: unknown): Promise<void>;
}

export interface RecordRepository {
  append(patientOrdinal: number, entry: RecordEntry): Promise<void>;
  entries(patientOrdinal: number): Promise<RecordEntry[]>;
}

export interface AuditRepository {
  /** Appends an event and returns its sequence number. There is no way to change or delete one. */
  append(event: AuditEvent): Promise<number>;
  query(query: AuditQuery): Promise<StoredAuditEvent[]>;
}

export interface TaskQuery {
  ods?: string;
  status?: TaskStatus;
  limit?: number;
}

export interface TaskRepository {
  /**
   * Stores a new task, unless one from the same source (surface, sender, reference) exists: then
   * that one is returned with `created: false`, so retried deliveries stay idempotent.
   */
  create(task: Task): Promise<{ task: Task; created: boolean }>;
  get(id: string): Promise<Task | undefined>;
  /** Replaces a task if it is still at `previousVersion`; false when someone changed it first. */
  replace(task: Task, previousVersion: number): Promise<boolean>;
  list(query: TaskQuery): Promise<Task[]>;
}

/** GP Connect temporary registrations made through $gpc.registerpatient, one per practice and NHS number. */
export interface RegistrationRepository {
  get(ods: string, nhsNumber: string): Promise<TemporaryRegistration | undefined>;
  /** Stores the registration; false when the patient was already registered there (a unique key decides). */
  create(registration: TemporaryRegistration): Promise<boolean>;
}

/** Appointments booked through GP Connect; one active booking per slot, versioned for If-Match. */
export interface BookingRepository {
  /** False when the slot already has an active booking (a unique index decides, so one concurrent booker wins). */
  create(booking: Booking): Promise<boolean>;
  get(id: string): Promise<Booking | undefined>;
  forPatient(patientOrdinal: number, ods: string): Promise<Booking[]>;
  bookedSlotIds(ods: string): Promise<Set<string>>;
  /** Replaces a booking if it is still at `previousVersion`. */
  replace(booking: Booking, previousVersion: number): Promise<boolean>;
}
