import type Database from 'better-sqlite3';
import type { StoredSubscription } from '../../domain/webhooks';
import type { SubscriptionRepository } from '../store';
import type { Migration } from './migrations';

export const subscriptionMigrations: readonly Migration[] = [
  {
    id: 'subscriptions-001',
    sql: `CREATE TABLE subscriptions (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            id TEXT NOT NULL UNIQUE,
            subscription TEXT NOT NULL
          );`,
    resetTables: ['subscriptions'],
  },
];

/** Webhook subscriptions, shared by every node over the same store. */
export class SqliteSubscriptionRepository implements SubscriptionRepository {
  private readonly insertRow: Database.Statement<[string, string]>;
  private readonly selectAll: Database.Statement<[], { subscription: string }>;
  private readonly deleteRow: Database.Statement<[string]>;
  private readonly countRows: Database.Statement<[], { n: number }>;

  constructor(db: Database.Database) {
    this.insertRow = db.prepare('INSERT INTO subscriptions (id, subscription) VALUES (?, ?)');
    this.selectAll = db.prepare('SELECT subscription FROM subscriptions ORDER BY seq');
    this.deleteRow = db.prepare('DELETE FROM subscriptions WHERE id = ?');
    this.countRows = db.prepare('SELECT COUNT(*) AS n FROM subscriptions');
  }

  async add(subscription: StoredSubscription): Promise<void> {
    this.insertRow.run(subscription.id, JSON.stringify(subscription));
  }

  async list(): Promise<StoredSubscription[]> {
    return this.selectAll.all().map((row) => JSON.parse(row.subscription) as StoredSubscription);
  }

  async remove(id: string): Promise<boolean> {
    return this.deleteRow.run(id).changes === 1;
  }

  async count(): Promise<number> {
    return this.countRows.get()?.n ?? 0;
  }
}
