import type { Pool } from 'pg';
import type { Task } from '../../domain/tasks';
import type { TaskQuery, TaskRepository } from '../store';
import type { PostgresMigration } from './migrations';

export const taskMigrations: readonly PostgresMigration[] = [
  {
    id: 'tasks-001',
    sql: `CREATE TABLE tasks (
            seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            id TEXT NOT NULL UNIQUE,
            ods TEXT NOT NULL,
            status TEXT NOT NULL,
            source_key TEXT UNIQUE,
            version INTEGER NOT NULL,
            task TEXT NOT NULL
          );
          CREATE INDEX tasks_ods_status ON tasks (ods, status, seq);`,
    resetTables: ['tasks'],
  },
];

/**
 * Practice workflow items. `source_key` (surface, sender, sender's reference) is unique, so a
 * message or request retried by its sender, on whichever replica, can never create a second task.
 */
export class PostgresTaskRepository implements TaskRepository {
  constructor(private readonly pool: Pool) {}

  async create(task: Task): Promise<{ task: Task; created: boolean }> {
    const sourceKey = task.source.reference === undefined ? null : sourceKeyOf(task);
    const inserted = await this.pool.query(
      `INSERT INTO tasks (id, ods, status, source_key, version, task) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (source_key) DO NOTHING`,
      [task.id, task.ods, task.status, sourceKey, task.version, JSON.stringify(task)],
    );
    if (inserted.rowCount === 1) return { task, created: true };
    const { rows } = await this.pool.query<{ task: string }>('SELECT task FROM tasks WHERE source_key = $1', [
      sourceKey,
    ]);
    return { task: JSON.parse(rows[0]?.task ?? 'null') as Task, created: false };
  }

  async get(id: string): Promise<Task | undefined> {
    const { rows } = await this.pool.query<{ task: string }>('SELECT task FROM tasks WHERE id = $1', [id]);
    return rows[0] ? (JSON.parse(rows[0].task) as Task) : undefined;
  }

  async replace(task: Task, previousVersion: number): Promise<boolean> {
    const result = await this.pool.query(
      'UPDATE tasks SET status = $1, version = $2, task = $3 WHERE id = $4 AND version = $5',
      [task.status, task.version, JSON.stringify(task), task.id, previousVersion],
    );
    return result.rowCount === 1;
  }

  async list(query: TaskQuery): Promise<Task[]> {
    const values: unknown[] = [];
    const conditions: string[] = [];
    const where = (condition: (placeholder: string) => string, value: unknown) => {
      values.push(value);
      conditions.push(condition(`$${values.length}`));
    };
    if (query.ods !== undefined) where((p) => `ods = ${p}`, query.ods);
    if (query.status !== undefined) where((p) => `status = ${p}`, query.status);
    if (query.open === true) conditions.push("status IN ('new', 'in-progress')");
    // The (ods, status) index narrows first; the patient is read from the stored task.
    if (query.nhsNumber !== undefined) where((p) => `(task::jsonb ->> 'nhsNumber') = ${p}`, query.nhsNumber);
    values.push(query.limit ?? 500);
    const filter = conditions.length > 0 ? `WHERE ${conditions.join(' AND ')}` : '';
    const { rows } = await this.pool.query<{ task: string }>(
      `SELECT task FROM tasks ${filter} ORDER BY seq LIMIT $${values.length}`,
      values,
    );
    return rows.map((row) => JSON.parse(row.task) as Task);
  }
}

function sourceKeyOf(task: Task): string {
  return `${task.source.surface}|${task.source.sender}|${task.source.reference ?? ''}`;
}
