import { join } from 'node:path';
import { SimError } from '../domain/errors';
import { SqliteStore } from './sqlite/sqlite-store';
import type { Store } from './store';

/**
 * Opens the store named by --store: "sqlite" (the default, a file in the data directory),
 * "memory" (nothing on disk), or a postgres:// URL (shared by several replicas).
 */
export function openStore(spec: string, dataDir: string): Store {
  if (spec === 'sqlite') return new SqliteStore(join(dataDir, 'gpsim.sqlite'));
  if (spec === 'memory') return new SqliteStore(':memory:');
  if (/^postgres(ql)?:\/\//.test(spec)) {
    throw new SimError(
      'not-implemented',
      'The PostgreSQL store is not available in this build; use --store sqlite or memory.',
    );
  }
  throw new SimError('invalid-parameter', `Unknown store "${spec}": use sqlite, memory or a postgres:// URL.`, {
    field: 'store',
  });
}
