import type Database from 'better-sqlite3';
import type { FaultRule, StoredFaultRule } from '../../faults/fault-rule';
import type { FaultRepository } from '../store';
import type { Migration } from './migrations';

export const faultMigrations: readonly Migration[] = [
  {
    id: 'faults-001',
    sql: `CREATE TABLE fault_rules (
      seq INTEGER PRIMARY KEY AUTOINCREMENT,
      id TEXT NOT NULL UNIQUE,
      scenario TEXT,
      rule TEXT NOT NULL,
      matched INTEGER NOT NULL DEFAULT 0,
      hits INTEGER NOT NULL DEFAULT 0
    )`,
    resetTables: ['fault_rules'],
  },
];

interface Row {
  rule: string;
  matched: number;
  hits: number;
}

/** Fault rules in the shared store, so every node and a restarted gpsim see the same faults. */
export class SqliteFaultRepository implements FaultRepository {
  private readonly insertRule: Database.Statement<[string, string | null, string]>;
  private readonly selectAll: Database.Statement<[], Row>;
  private readonly deleteOne: Database.Statement<[string]>;
  private readonly deleteScenario: Database.Statement<[string]>;
  private readonly deleteAll: Database.Statement<[]>;
  private readonly addCounts: Database.Statement<[number, number, string]>;

  constructor(db: Database.Database) {
    this.insertRule = db.prepare('INSERT INTO fault_rules (id, scenario, rule) VALUES (?, ?, ?)');
    this.selectAll = db.prepare('SELECT rule, matched, hits FROM fault_rules ORDER BY seq');
    this.deleteOne = db.prepare('DELETE FROM fault_rules WHERE id = ?');
    this.deleteScenario = db.prepare('DELETE FROM fault_rules WHERE scenario = ?');
    this.deleteAll = db.prepare('DELETE FROM fault_rules');
    this.addCounts = db.prepare('UPDATE fault_rules SET matched = matched + ?, hits = hits + ? WHERE id = ?');
  }

  async insert(rule: FaultRule): Promise<void> {
    this.insertRule.run(rule.id, rule.scenario ?? null, JSON.stringify(rule));
  }

  async list(): Promise<StoredFaultRule[]> {
    return this.selectAll
      .all()
      .map((row) => ({ rule: JSON.parse(row.rule) as FaultRule, matched: row.matched, hits: row.hits }));
  }

  async delete(id: string): Promise<boolean> {
    return this.deleteOne.run(id).changes > 0;
  }

  async deleteByScenario(scenario: string): Promise<number> {
    return this.deleteScenario.run(scenario).changes;
  }

  async clear(): Promise<number> {
    return this.deleteAll.run().changes;
  }

  async count(id: string, matched: number, hits: number): Promise<void> {
    this.addCounts.run(matched, hits, id);
  }
}
