import type { JournalEntry, JournalQuery } from '../control/journal';
import type { AuditEvent, AuditQuery, StoredAuditEvent } from '../domain/audit';
import type { RecordEntry } from '../domain/clinical-record';
import type { MeshMessage } from '../domain/mesh/mesh-message';

import type { Booking } from '../domain/booking';
import type { TemporaryRegistration } from '../domain/register-patient';
import type { Task, TaskStatus } from '../domain/tasks';
import type { StoredSubscription } from '../domain/webhooks';

import type { FaultRule, StoredFaultRule } from '../faults/fault-rule';
import type { ChangeFeed } from './change-feed';

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
  readonly mesh: MeshRepository;
  readonly subscriptions: SubscriptionRepository;

  readonly faults: FaultRepository;

  readonly registrations: RegistrationRepository;
  readonly bookings: BookingRepository;
  /** The request journal of every process over this store, when several share it. */
  readonly journal: JournalRepository;
  /** Tells the other processes over this store what changed, so what they cache follows. */
  readonly changes: ChangeFeed;
  close(): Promise<void>;
  /** Drops every change, back to the seed state. The audit trail is kept: it is append-only. */
  reset(): Promise<void>;
}

export interface SettingsRepository {
  get<T>(key: string): Promise<T | undefined>;
  put(key: string, value: unknown): Promise<void>;
  /** Stores `value` unless the key already has one; returns what is stored (the first writer wins). */
  claim<T>(key: string, value: T): Promise<T>;
}

export interface RecordRepository {
  append(patientOrdinal: number, entry: RecordEntry): Promise<void>;
  entries(patientOrdinal: number): Promise<RecordEntry[]>;
}

export interface AuditRepository {
  /** Appends events in order, all or none (one transaction). There is no way to change or delete one. */
  append(events: readonly AuditEvent[]): Promise<void>;
  query(query: AuditQuery): Promise<StoredAuditEvent[]>;
}

export interface TaskQuery {
  ods?: string;
  status?: TaskStatus;
  /** Only items about this patient. */
  nhsNumber?: string;
  /** Only items still in the workflow (new or in progress). */
  open?: boolean;
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

export interface InboxPage {
  ids: string[];
  /** Sequence to continue from when more messages remain. */
  next?: number;
  count: number;
}

/**
 * MESH messages and their content. Content is kept as bounded parts per chunk, written as it is
 * received and read back part by part, so no message is ever held whole in memory.
 */
export interface MeshRepository {
  insert(message: MeshMessage): Promise<void>;
  get(id: string): Promise<MeshMessage | undefined>;
  update(message: MeshMessage): Promise<void>;
  appendPart(messageId: string, chunk: number, part: number, data: Buffer): Promise<void>;
  /** Part `part` of a chunk, or undefined past its end. */
  part(messageId: string, chunk: number, part: number): Promise<Buffer | undefined>;
  chunkNumbers(messageId: string): Promise<number[]>;
  /** Drops a chunk's parts; returns how many bytes it held. */
  deleteChunk(messageId: string, chunk: number): Promise<number>;
  /** Accepted, unacknowledged, unexpired messages of a mailbox in arrival order. */
  inbox(recipient: string, nowIso: string, limit: number, afterSeq: number): Promise<InboxPage>;
  /** Accepted messages whose retention ended at or before `nowIso`, oldest first. */
  expired(nowIso: string, limit: number): Promise<MeshMessage[]>;
  /** Records an authorisation token's nonce; false when it was seen before (replay). */
  useNonce(mailbox: string, nonce: string, nonceCount: string): Promise<boolean>;
}

export interface SubscriptionRepository {
  add(subscription: StoredSubscription): Promise<void>;
  list(): Promise<StoredSubscription[]>;
  remove(id: string): Promise<boolean>;
  count(): Promise<number>;
}

/** Fault rules, oldest first; a reset clears them. */
export interface FaultRepository {
  insert(rule: FaultRule): Promise<void>;
  list(): Promise<StoredFaultRule[]>;
  delete(id: string): Promise<boolean>;
  deleteByScenario(scenario: string): Promise<number>;
  clear(): Promise<number>;
  /** Adds to a rule's counters (requests matched, requests faulted). */
  count(id: string, matched: number, hits: number): Promise<void>;
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

/** Requests every process over the store served, in one sequence; the newest `capacity` are kept. */
export interface JournalRepository {
  append(entries: readonly Omit<JournalEntry, 'seq'>[]): Promise<void>;
  /** Matching entries, oldest first; `limit` keeps the newest matches. */
  list(query: JournalQuery): Promise<JournalEntry[]>;
  lastSeq(): Promise<number>;
  /** Drops all but the newest `keep` entries. */
  trim(keep: number): Promise<void>;
}
