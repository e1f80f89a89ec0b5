import cluster from 'node:cluster';
import { join } from 'node:path';
import { SimError } from '../domain/errors';
import { LocalChangeFeed } from './change-feed';
import { ClusterChangeFeed } from './cluster-change-feed';
import { PostgresStore } from './postgres/postgres-store';
import { SqliteStore } from './sqlite/sqlite-store';
import type { Store } from './store';

/**
 * Opens the store named by --store: "sqlite" (the default, a file in the data directory),
 * "memory" (nothing on disk), or a postgres:// URL (shared by several replicas).
 */
export async function openStore(spec: string, dataDir: string): Promise<Store> {
  if (isPostgresUrl(spec)) return PostgresStore.open(spec);
  return openEmbeddedStore(spec, dataDir);
}

export function isPostgresUrl(spec: string): boolean {
  return /^postgres(ql)?:\/\//.test(spec);
}

/** The SQLite store, opened synchronously (in-process mode cannot wait for a database server). */
export function openEmbeddedStore(spec: string, dataDir: string): SqliteStore {
  // A --workers process hears the other workers' changes through the cluster primary.
  const changes = cluster.isWorker ? new ClusterChangeFeed() : new LocalChangeFeed();
  if (spec === 'sqlite') return new SqliteStore(join(dataDir, 'gpsim.sqlite'), changes);
  if (spec === 'memory') return new SqliteStore(':memory:');
  if (isPostgresUrl(spec)) {
    throw new SimError(
      'invalid-parameter',
      'In-process mode uses the embedded store; use store "sqlite" or "memory", or run gpsim start --store postgres://...',
      { field: 'store' },
    );
  }
  throw new SimError('invalid-parameter', `Unknown store "${spec}": use sqlite, memory or a postgres:// URL.`, {
    field: 'store',
  });
}
