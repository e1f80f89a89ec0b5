import type { Pool } from 'pg';

/** A schema change, applied once. Ids are never reused and applied migrations are never edited. */
export interface PostgresMigration {
  id: string;
  sql: string;
  /** Tables that hold changes and are emptied by a reset. */
  resetTables?: readonly string[];
}

/** Any fixed number: every gpsim replica takes the same advisory lock before migrating. */
const MIGRATION_LOCK = 41_002_135;

/**
 * Applies, in order and each in its own transaction, the migrations this database has not seen.
 * Replicas starting together queue on a session advisory lock, so exactly one applies each
 * migration and the others find it recorded.
 */
export async function applyPostgresMigrations(pool: Pool, migrations: readonly PostgresMigration[]): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    try {
      await client.query(
        'CREATE TABLE IF NOT EXISTS schema_migrations (id TEXT PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())',
      );
      const { rows } = await client.query<{ id: string }>('SELECT id FROM schema_migrations');
      const applied = new Set(rows.map((row) => row.id));
      for (const migration of migrations) {
        if (applied.has(migration.id)) continue;
        await client.query('BEGIN');
        try {
          await client.query(migration.sql);
          await client.query('INSERT INTO schema_migrations (id) VALUES ($1)', [migration.id]);
          await client.query('COMMIT');
        } catch (error) {
          await client.query('ROLLBACK');
          throw error;
        }
      }
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]);
    }
  } finally {
    client.release();
  }
}
