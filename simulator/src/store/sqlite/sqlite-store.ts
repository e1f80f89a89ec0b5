import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import type { ChangeFeed } from '../change-feed';
import { LocalChangeFeed } from '../change-feed';
import type { Store } from '../store';
import { SqliteAuditRepository, auditMigrations } from './audit-repository';
import { SqliteFaultRepository, faultMigrations } from './fault-repository';
import { SqliteJournalRepository, journalMigrations } from './journal-repository';
import type { Migration } from './migrations';
import { applyMigrations } from './migrations';
import { SqliteMeshRepository, meshMigrations } from './mesh-repository';
import { SqliteRecordRepository, recordMigrations } from './record-repository';
import { SqliteSubscriptionRepository, subscriptionMigrations } from './subscription-repository';
import { SqliteBookingRepository, bookingMigrations } from './booking-repository';
import { SqliteRegistrationRepository, registrationMigrations } from './registration-repository';
import { SqliteSettingsRepository, settingsMigrations } from './settings-repository';
import { SqliteTaskRepository, taskMigrations } from './task-repository';

/** Every feature's migrations, in the order they were introduced. A new feature appends its list. */
const migrations: readonly Migration[] = [
  ...settingsMigrations,
  ...recordMigrations,
  ...auditMigrations,
  ...taskMigrations,
  ...meshMigrations,
  ...subscriptionMigrations,

  ...faultMigrations,

  ...registrationMigrations,
  ...bookingMigrations,
  ...journalMigrations,
];

/**
 * The embedded default store: one SQLite file in the data directory, in WAL mode so readers never
 * wait for a writer, or an in-memory database for `--store memory` and in-process mode.
 */
export class SqliteStore implements Store {
  readonly kind: string;
  readonly location: string;
  readonly settings: SqliteSettingsRepository;
  readonly records: SqliteRecordRepository;
  readonly audit: SqliteAuditRepository;
  readonly tasks: SqliteTaskRepository;
  readonly mesh: SqliteMeshRepository;
  readonly subscriptions: SqliteSubscriptionRepository;

  readonly faults: SqliteFaultRepository;

  readonly registrations: SqliteRegistrationRepository;
  readonly bookings: SqliteBookingRepository;
  readonly journal: SqliteJournalRepository;
  private readonly db: Database.Database;

  /** `changes` reaches the other `--workers` processes sharing the file; alone, nobody needs telling. */
  constructor(
    file: string,
    readonly changes: ChangeFeed = new LocalChangeFeed(),
  ) {
    this.kind = file === ':memory:' ? 'memory' : 'sqlite';
    this.location = file;
    if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    // NORMAL in WAL mode keeps committed writes through a process crash (only power loss can drop
    // the last transactions), at a fraction of FULL's fsync cost.
    this.db.pragma('synchronous = NORMAL');
    this.db.pragma('busy_timeout = 5000');
    applyMigrations(this.db, migrations);
    this.settings = new SqliteSettingsRepository(this.db);
    this.records = new SqliteRecordRepository(this.db);
    this.audit = new SqliteAuditRepository(this.db);
    this.tasks = new SqliteTaskRepository(this.db);
    this.mesh = new SqliteMeshRepository(this.db);
    this.subscriptions = new SqliteSubscriptionRepository(this.db);

    this.faults = new SqliteFaultRepository(this.db);

    this.registrations = new SqliteRegistrationRepository(this.db);
    this.bookings = new SqliteBookingRepository(this.db);
    this.journal = new SqliteJournalRepository(this.db);
  }

  async close(): Promise<void> {
    await this.changes.close();
    this.db.close();
  }

  async reset(): Promise<void> {
    const tables = migrations.flatMap((migration) => migration.resetTables ?? []);
    this.db.transaction(() => {
      for (const table of tables) this.db.exec(`DELETE FROM ${table}`);
    })();
  }
}
