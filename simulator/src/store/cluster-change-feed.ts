import type { ChangeFeed, StoreChange } from './change-feed';
import { parseStoreChange } from './change-feed';

/** The envelope a worker's change travels in through the cluster primary. */
export interface ClusterChangeMessage {
  gpsimStoreChange: StoreChange;
}

export function isClusterChangeMessage(message: unknown): message is ClusterChangeMessage {
  return (
    typeof message === 'object' &&
    message !== null &&
    parseStoreChange((message as { gpsimStoreChange?: unknown }).gpsimStoreChange) !== undefined
  );
}

/**
 * Changes between `--workers` processes over one SQLite file, which has no notifications of its own:
 * a worker sends its change to the cluster primary over the IPC channel, and the primary relays it
 * to every other worker.
 */
export class ClusterChangeFeed implements ChangeFeed {
  private readonly listeners = new Set<(change: StoreChange) => void>();
  private readonly onMessage = (message: unknown) => {
    if (!isClusterChangeMessage(message)) return;
    for (const listener of this.listeners) listener(message.gpsimStoreChange);
  };

  constructor(private readonly channel: NodeJS.Process = process) {
    channel.on('message', this.onMessage);
  }

  async publish(change: StoreChange): Promise<void> {
    const message: ClusterChangeMessage = { gpsimStoreChange: change };
    this.channel.send?.(message);
  }

  subscribe(listener: (change: StoreChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async close(): Promise<void> {
    this.listeners.clear();
    this.channel.off('message', this.onMessage);
  }
}
