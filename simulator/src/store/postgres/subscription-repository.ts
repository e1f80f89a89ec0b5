import type { Pool } from 'pg';
import type { StoredSubscription } from '../../domain/webhooks';
import type { SubscriptionRepository } from '../store';
import type { PostgresMigration } from './migrations';

export const subscriptionMigrations: readonly PostgresMigration[] = [
  {
    id: 'subscriptions-001',
    sql: `CREATE TABLE subscriptions (
            seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            id TEXT NOT NULL UNIQUE,
            subscription TEXT NOT NULL
          )`,
    resetTables: ['subscriptions'],
  },
];

/** Webhook subscriptions, shared by every replica over the same database. */
export class PostgresSubscriptionRepository implements SubscriptionRepository {
  constructor(private readonly pool: Pool) {}

  async add(subscription: StoredSubscription): Promise<void> {
    await this.pool.query('INSERT INTO subscriptions (id, subscription) VALUES ($1, $2)', [
      subscription.id,
      JSON.stringify(subscription),
    ]);
  }

  async list(): Promise<StoredSubscription[]> {
    const { rows } = await this.pool.query<{ subscription: string }>(
      'SELECT subscription FROM subscriptions ORDER BY seq',
    );
    return rows.map((row) => JSON.parse(row.subscription) as StoredSubscription);
  }

  async remove(id: string): Promise<boolean> {
    return (await this.pool.query('DELETE FROM subscriptions WHERE id = $1', [id])).rowCount === 1;
  }

  async count(): Promise<number> {
    const { rows } = await this.pool.query<{ n: string }>('SELECT COUNT(*) AS n FROM subscriptions');
    return Number(rows[0]?.n ?? 0);
  }
}
