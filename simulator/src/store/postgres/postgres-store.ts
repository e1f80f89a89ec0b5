import type { PoolConfig } from 'pg';
import { Pool } from 'pg';
import type { Store } from '../store';
import { PostgresAuditRepository, auditMigrations } from './audit-repository';
import { PostgresBookingRepository, bookingMigrations } from './booking-repository';
import { PostgresFaultRepository, faultMigrations } from './fault-repository';
import { PostgresJournalRepository, journalMigrations } from './journal-repository';
import { PostgresMeshRepository, meshMigrations } from './mesh-repository';
import type { PostgresMigration } from './migrations';
import { applyPostgresMigrations } from './migrations';
import { NotifyChangeFeed } from './notify-change-feed';
import { PostgresRecordRepository, recordMigrations } from './record-repository';
import { PostgresRegistrationRepository, registrationMigrations } from './registration-repository';
import { PostgresSettingsRepository, settingsMigrations } from './settings-repository';
import { PostgresSubscriptionRepository, subscriptionMigrations } from './subscription-repository';
import { PostgresTaskRepository, taskMigrations } from './task-repository';

/** Every feature's migrations, in the order they were introduced. A new feature appends its list. */
const migrations: readonly PostgresMigration[] = [
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

/** Connections each replica may hold; PostgreSQL's default server limit is 100. */
const POOL_SIZE = 10;

/** The connection string without its password, for logs and the health page. */
export function safeLocation(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password !== '') parsed.password = '***';
    parsed.searchParams.delete('password');
    return parsed.toString();
  } catch {
    return 'postgres://(unparseable URL)';
  }
}

/**
 * The shared store: every change, the audit trail, fault rules and the clock in one PostgreSQL
 * database, so any number of gpsim replicas behind a load balancer act as one estate. Unique keys
 * decide races between replicas exactly as they do between requests on one SQLite file.
 */
export class PostgresStore implements Store {
  readonly kind = 'postgres';
  readonly location: string;
  readonly settings: PostgresSettingsRepository;
  readonly records: PostgresRecordRepository;
  readonly audit: PostgresAuditRepository;
  readonly tasks: PostgresTaskRepository;
  readonly mesh: PostgresMeshRepository;
  readonly subscriptions: PostgresSubscriptionRepository;
  readonly faults: PostgresFaultRepository;
  readonly registrations: PostgresRegistrationRepository;
  readonly bookings: PostgresBookingRepository;
  readonly journal: PostgresJournalRepository;
  readonly changes: NotifyChangeFeed;
  private readonly pool: Pool;

  private constructor(url: string) {
    const connection: PoolConfig = { connectionString: url, application_name: 'gpsim' };
    this.location = safeLocation(url);
    this.pool = new Pool({ ...connection, max: POOL_SIZE });
    // An idle connection the server dropped is replaced on next use; without a listener it would crash the process.
    this.pool.on('error', () => undefined);
    this.settings = new PostgresSettingsRepository(this.pool);
    this.records = new PostgresRecordRepository(this.pool);
    this.audit = new PostgresAuditRepository(this.pool);
    this.tasks = new PostgresTaskRepository(this.pool);
    this.mesh = new PostgresMeshRepository(this.pool);
    this.subscriptions = new PostgresSubscriptionRepository(this.pool);
    this.faults = new PostgresFaultRepository(this.pool);
    this.registrations = new PostgresRegistrationRepository(this.pool);
    this.bookings = new PostgresBookingRepository(this.pool);
    this.journal = new PostgresJournalRepository(this.pool);
    this.changes = new NotifyChangeFeed(this.pool, connection);
  }

  /** Connects, migrates the schema (under an advisory lock) and starts listening for other replicas' changes. */
  static async open(url: string): Promise<PostgresStore> {
    const store = new PostgresStore(url);
    try {
      await applyPostgresMigrations(store.pool, migrations);
      await store.changes.start();
    } catch (error) {
      await store.close();
      throw new Error(`cannot open the PostgreSQL store at ${store.location}: ${(error as Error).message}`);
    }
    return store;
  }

  async close(): Promise<void> {
    await this.changes.close();
    await this.pool.end();
  }

  async reset(): Promise<void> {
    const tables = migrations.flatMap((migration) => migration.resetTables ?? []);
    await this.pool.query(`TRUNCATE ${tables.join(', ')}`);
  }
}
