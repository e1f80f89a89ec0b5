import { randomUUID } from 'node:crypto';
import type { Pool, PoolConfig } from 'pg';
import { Client } from 'pg';
import type { ChangeFeed, StoreChange } from '../change-feed';
import { parseStoreChange } from '../change-feed';

const CHANNEL = 'gpsim_store_changes';
const RECONNECT_DELAY_MS = 1_000;

/**
 * Changes between replicas over PostgreSQL LISTEN/NOTIFY: one dedicated connection listens, and a
 * change is published with pg_notify after the write it describes has committed. Each process tags
 * its notifications so it does not act on its own. A dropped listening connection reconnects; the
 * replica then reloads everything it caches, since changes made meanwhile were not heard.
 */
export class NotifyChangeFeed implements ChangeFeed {
  private readonly origin = randomUUID();
  private readonly listeners = new Set<(change: StoreChange) => void>();
  private listener: Client | undefined;
  private reconnect: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(
    private readonly pool: Pool,
    private readonly connection: PoolConfig,
  ) {}

  async start(): Promise<void> {
    const client = new Client(this.connection);
    client.on('notification', (message) => this.deliver(message.payload));
    const lost = () => {
      if (this.listener !== client) return;
      this.listener = undefined;
      client.end().catch(() => undefined);
      this.reconnectLater();
    };
    client.on('error', lost);
    client.on('end', lost);
    await client.connect();
    await client.query(`LISTEN ${CHANNEL}`);
    this.listener = client;
  }

  async publish(change: StoreChange): Promise<void> {
    await this.pool.query('SELECT pg_notify($1, $2)', [CHANNEL, JSON.stringify({ origin: this.origin, change })]);
  }

  subscribe(listener: (change: StoreChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.reconnect);
    this.listeners.clear();
    const client = this.listener;
    this.listener = undefined;
    await client?.end().catch(() => undefined);
  }

  private deliver(payload: string | undefined): void {
    let parsed: { origin?: unknown; change?: unknown };
    try {
      parsed = JSON.parse(payload ?? '') as { origin?: unknown; change?: unknown };
    } catch {
      return;
    }
    if (parsed.origin === this.origin) return;
    const change = parseStoreChange(parsed.change);
    if (change) for (const listener of this.listeners) listener(change);
  }

  private reconnectLater(): void {
    if (this.closed || this.reconnect) return;
    this.reconnect = setTimeout(() => {
      this.reconnect = undefined;
      this.start().then(
        // What changed while nobody listened is unknown: every cached piece of state is reloaded.
        () => {
          for (const listener of this.listeners) {
            listener({ kind: 'faults' });
            listener({ kind: 'clock' });
            listener({ kind: 'practice-settings' });
          }
        },
        () => this.reconnectLater(),
      );
    }, RECONNECT_DELAY_MS);
    this.reconnect.unref();
  }
}
