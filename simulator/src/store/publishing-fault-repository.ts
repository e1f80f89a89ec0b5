import type { FaultRule, StoredFaultRule } from '../faults/fault-rule';
import type { ChangeFeed } from './change-feed';
import type { FaultRepository } from './store';

/**
 * The fault rules, telling every other process over the store when the set of rules changes, so
 * a rule added through one replica applies on all of them at once. Counters are not announced:
 * each process adds its own to the store.
 */
export class PublishingFaultRepository implements FaultRepository {
  constructor(
    private readonly rules: FaultRepository,
    private readonly changes: ChangeFeed,
  ) {}

  async insert(rule: FaultRule): Promise<void> {
    await this.rules.insert(rule);
    await this.changes.publish({ kind: 'faults' });
  }

  list(): Promise<StoredFaultRule[]> {
    return this.rules.list();
  }

  async delete(id: string): Promise<boolean> {
    return (await this.announced((await this.rules.delete(id)) ? 1 : 0)) > 0;
  }

  async deleteByScenario(scenario: string): Promise<number> {
    return this.announced(await this.rules.deleteByScenario(scenario));
  }

  async clear(): Promise<number> {
    return this.announced(await this.rules.clear());
  }

  count(id: string, matched: number, hits: number): Promise<void> {
    return this.rules.count(id, matched, hits);
  }

  private async announced(removed: number): Promise<number> {
    if (removed > 0) await this.changes.publish({ kind: 'faults' });
    return removed;
  }
}
