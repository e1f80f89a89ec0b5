import type { SettingsRepository } from '../store/store';

/**
 * First-result-wins for partner writes retried under the same key (SystmOne RequestUID, EMIS
 * idempotency key): the first successful result is stored and returned to every retry, and a retry
 * that arrives while the first is still running waits for it instead of writing again. Failures
 * are not stored, so a failed call can be retried. Results live in the store, so a reset clears
 * them and both nodes share them.
 */
export class IdempotentReplies {
  private readonly inFlight = new Map<string, Promise<unknown>>();

  constructor(private readonly settings: SettingsRepository) {}

  async once<T>(key: string, work: () => Promise<T>): Promise<T> {
    const storageKey = `idempotent-reply:${key}`;
    const running = this.inFlight.get(storageKey);
    if (running) return running as Promise<T>;
    const attempt = (async () => {
      const first = await this.settings.get<T>(storageKey);
      if (first !== undefined) return first;
      const result = await work();
      await this.settings.put(storageKey, result);
      return result;
    })();
    this.inFlight.set(storageKey, attempt);
    try {
      return await attempt;
    } finally {
      this.inFlight.delete(storageKey);
    }
  }
}
