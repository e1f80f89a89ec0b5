import type { Pool } from 'pg';
import type { FaultRule, StoredFaultRule } from '../../faults/fault-rule';
import type { FaultRepository } from '../store';
import type { PostgresMigration } from './migrations';

export const faultMigrations: readonly PostgresMigration[] = [
  {
    id: 'faults-001',
    sql: `CREATE TABLE fault_rules (
            seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            id TEXT NOT NULL UNIQUE,
            scenario TEXT,
            rule TEXT NOT NULL,
            matched BIGINT NOT NULL DEFAULT 0,
            hits BIGINT NOT NULL DEFAULT 0
          )`,
    resetTables: ['fault_rules'],
  },
];

/** Fault rules every replica applies; counters add up what each replica matched. */
export class PostgresFaultRepository implements FaultRepository {
  constructor(private readonly pool: Pool) {}

  async insert(rule: FaultRule): Promise<void> {
    await this.pool.query('INSERT INTO fault_rules (id, scenario, rule) VALUES ($1, $2, $3)', [
      rule.id,
      rule.scenario ?? null,
      JSON.stringify(rule),
    ]);
  }

  async list(): Promise<StoredFaultRule[]> {
    const { rows } = await this.pool.query<{ rule: string; matched: string; hits: string }>(
      'SELECT rule, matched, hits FROM fault_rules ORDER BY seq',
    );
    return rows.map((row) => ({
      rule: JSON.parse(row.rule) as FaultRule,
      matched: Number(row.matched),
      hits: Number(row.hits),
    }));
  }

  async delete(id: string): Promise<boolean> {
    return ((await this.pool.query('DELETE FROM fault_rules WHERE id = $1', [id])).rowCount ?? 0) > 0;
  }

  async deleteByScenario(scenario: string): Promise<number> {
    return (await this.pool.query('DELETE FROM fault_rules WHERE scenario = $1', [scenario])).rowCount ?? 0;
  }

  async clear(): Promise<number> {
    return (await this.pool.query('DELETE FROM fault_rules')).rowCount ?? 0;
  }

  async count(id: string, matched: number, hits: number): Promise<void> {
    await this.pool.query('UPDATE fault_rules SET matched = matched + $1, hits = hits + $2 WHERE id = $3', [
      matched,
      hits,
      id,
    ]);
  }
}
