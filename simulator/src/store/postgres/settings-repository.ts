import type { Pool } from 'pg';
import type { SettingsRepository } from '../store';
import type { PostgresMigration } from './migrations';

export const settingsMigrations: readonly PostgresMigration[] = [
  {
    id: 'settings-001',
    sql: 'CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL)',
    resetTables: ['settings'],
  },
];

export class PostgresSettingsRepository implements SettingsRepository {
  constructor(private readonly pool: Pool) {}

  async get<T>(key: string): Promise<T | undefined> {
    const { rows } = await this.pool.query<{ value: string }>('SELECT value FROM settings WHERE key = $1', [key]);
    return rows[0] ? (JSON.parse(rows[0].value) as T) : undefined;
  }

  async put(key: string, value: unknown): Promise<void> {
    await this.pool.query(
      'INSERT INTO settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
      [key, JSON.stringify(value)],
    );
  }

  async claim<T>(key: string, value: T): Promise<T> {
    await this.pool.query('INSERT INTO settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING', [
      key,
      JSON.stringify(value),
    ]);
    return (await this.get<T>(key)) as T;
  }
}
