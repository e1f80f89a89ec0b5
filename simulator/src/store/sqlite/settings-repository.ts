import type Database from 'better-sqlite3';
import type { SettingsRepository } from '../store';
import type { Migration } from './migrations';

export const settingsMigrations: readonly Migration[] = [
  {
    id: 'settings-001',
    sql: 'CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL)',
    resetTables: ['settings'],
  },
];

export class SqliteSettingsRepository implements SettingsRepository {
  private readonly select: Database.Statement<[string], { value: string }>;
  private readonly upsert: Database.Statement<[string, string]>;
  private readonly insertNew: Database.Statement<[string, string]>;

  constructor(db: Database.Database) {
    this.select = db.prepare('SELECT value FROM settings WHERE key = ?');
    this.upsert = db.prepare(
      'INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
    );
    this.insertNew = db.prepare('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO NOTHING');
  }

  async get<T>(key: string): Promise<T | undefined> {
    const row = this.select.get(key);
    return row ? (JSON.parse(row.value) as T) : undefined;
  }

  async put(key: string, value: unknown): Promise<void> {
    this.upsert.run(key, JSON.stringify(value));
  }

  async claim<T>(key: string, value: T): Promise<T> {
    this.insertNew.run(key, JSON.stringify(value));
    return (await this.get<T>(key)) as T;
  }
}
