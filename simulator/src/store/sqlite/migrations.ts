import type Database from 'better-sqlite3';

/** A schema change, applied once. Ids are never reused and applied migrations are never edited. */
export interface Migration {
  id: string;
  sql: string;
  /** Tables that hold changes and are emptied by a reset. */
  resetTables?: readonly string[];
}

/** Applies, in order and each in its own transaction, the migrations this database has not seen. */
export function applyMigrations(db: Database.Database, migrations: readonly Migration[]): void {
  db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (id TEXT PRIMARY KEY, applied_at TEXT NOT NULL)');
  const applied = new Set(
    db
      .prepare<[], { id: string }>('SELECT id FROM schema_migrations')
      .all()
      .map((row) => row.id),
  );
  const record = db.prepare<[string, string]>('INSERT INTO schema_migrations (id, applied_at) VALUES (?, ?)');
  for (const migration of migrations) {
    if (applied.has(migration.id)) continue;
    db.transaction(() => {
      db.exec(migration.sql);
      record.run(migration.id, new Date().toISOString());
    })();
  }
}
