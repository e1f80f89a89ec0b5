/**
 * What one gpsim process tells the others sharing its store, so state they cache in memory (the
 * compiled fault rules, the clock, the population after a reset with a new seed, practice settings)
 * follows at once. A practice-settings change without an ODS code means every practice's.
 */
export type StoreChange =
  | { kind: 'faults' }
  | { kind: 'clock' }
  | { kind: 'reset'; seed?: string }
  | { kind: 'practice-settings'; ods?: string };

export interface ChangeFeed {
  /** Tells every other process over the store; the publishing process does not hear its own change. */
  publish(change: StoreChange): Promise<void>;
  /** Calls `listener` for each change another process published; returns the unsubscribe function. */
  subscribe(listener: (change: StoreChange) => void): () => void;
  close(): Promise<void>;
}

/** A store only this process uses: there is nobody to tell. */
export class LocalChangeFeed implements ChangeFeed {
  async publish(): Promise<void> {}

  subscribe(): () => void {
    return () => undefined;
  }

  async close(): Promise<void> {}
}

const CHANGE_KINDS: ReadonlySet<string> = new Set(['faults', 'clock', 'reset', 'practice-settings']);

/** Reads a change from another process, or undefined for anything that is not one. */
export function parseStoreChange(value: unknown): StoreChange | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const { kind, seed, ods } = value as { kind?: unknown; seed?: unknown; ods?: unknown };
  if (typeof kind !== 'string' || !CHANGE_KINDS.has(kind)) return undefined;
  if (kind === 'reset') return typeof seed === 'string' ? { kind, seed } : { kind };
  if (kind === 'practice-settings') return typeof ods === 'string' ? { kind, ods } : { kind };
  return { kind } as StoreChange;
}
