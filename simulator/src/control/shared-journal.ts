import type { Logger } from 'pino';
import type { JournalRepository } from '../store/store';
import type { ExchangeDetail } from './exchange-detail';
import type { Journal, JournalEntry, JournalQuery } from './journal';

/** How long a request waits in memory before its journal entry is written with others. */
const FLUSH_INTERVAL_MS = 50;
/** Entries waiting at most; past it (the store is down or slow) the oldest are dropped, never the process. */
const MAX_PENDING = 20_000;

/**
 * The journal of several processes over one store: each process keeps its own ring buffer and
 * writes its entries to the store in batches every 50 ms, off the request path, so the journal
 * and the client report show the traffic of every replica. Reads first write what is waiting,
 * so a client sees its own requests.
 */
export class SharedJournal {
  private pending: Omit<JournalEntry, 'seq'>[] = [];
  private timer: NodeJS.Timeout | undefined;
  private writing: Promise<void> = Promise.resolve();

  constructor(
    private readonly local: Journal,
    private readonly repository: JournalRepository,
    private readonly logger: Logger,
  ) {}

  get capacity(): number {
    return this.local.capacity;
  }

  /** Headers and bodies stay in this process's ring buffer only: they are for the console's detail view. */
  record(entry: Omit<JournalEntry, 'seq'>, detail?: ExchangeDetail): void {
    this.local.record(entry, detail);
    if (this.pending.length >= MAX_PENDING) this.pending.shift();
    this.pending.push(entry);
    this.timer ??= setTimeout(() => void this.flush(), FLUSH_INTERVAL_MS).unref();
  }

  /** Writes every waiting entry, then keeps the newest `capacity` entries of the shared journal. */
  flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    const batch = this.pending;
    this.pending = [];
    this.writing = this.writing.then(async () => {
      if (batch.length === 0) return;
      try {
        await this.repository.append(batch);
        await this.repository.trim(this.capacity);
      } catch (error) {
        this.logger.warn({ err: error, entries: batch.length }, 'could not write journal entries to the store');
      }
    });
    return this.writing;
  }

  async list(query: JournalQuery): Promise<JournalEntry[]> {
    await this.flush();
    return this.repository.list({ ...query, limit: Math.min(query.limit ?? 100, this.capacity) });
  }

  async lastSeq(): Promise<number> {
    await this.flush();
    return this.repository.lastSeq();
  }
}
