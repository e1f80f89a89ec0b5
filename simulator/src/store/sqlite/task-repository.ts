import type Database from 'better-sqlite3';
import type { Task } from '../../domain/tasks';
import type { TaskQuery, TaskRepository } from '../store';
import type { Migration } from './migrations';

export const taskMigrations: readonly Migration[] = [
  {
    id: 'tasks-001',
    sql: `CREATE TABLE tasks (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
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
 * message or request retried by its sender can never create a second task.
 */
export class SqliteTaskRepository implements TaskRepository {
  private readonly insert: Database.Statement;
  private readonly byId: Database.Statement<[string], { task: string }>;
  private readonly bySource: Database.Statement<[string], { task: string }>;
  private readonly update: Database.Statement;

  constructor(private readonly db: Database.Database) {
    this.insert = db.prepare(
      'INSERT INTO tasks (id, ods, status, source_key, version, task) VALUES (@id, @ods, @status, @sourceKey, @version, @task)',
    );
    this.byId = db.prepare('SELECT task FROM tasks WHERE id = ?');
    this.bySource = db.prepare('SELECT task FROM tasks WHERE source_key = ?');
    this.update = db.prepare(
      'UPDATE tasks SET status = @status, version = @version, task = @task WHERE id = @id AND version = @previousVersion',
    );
  }

  async create(task: Task): Promise<{ task: Task; created: boolean }> {
    const sourceKey = task.source.reference === undefined ? null : sourceKeyOf(task);
    return this.db.transaction(() => {
      if (sourceKey !== null) {
        const existing = this.bySource.get(sourceKey);
        if (existing) return { task: JSON.parse(existing.task) as Task, created: false };
      }
      this.insert.run({
        id: task.id,
        ods: task.ods,
        status: task.status,
        sourceKey,
        version: task.version,
        task: JSON.stringify(task),
      });
      return { task, created: true };
    })();
  }

  async get(id: string): Promise<Task | undefined> {
    const row = this.byId.get(id);
    return row ? (JSON.parse(row.task) as Task) : undefined;
  }

  async replace(task: Task, previousVersion: number): Promise<boolean> {
    const result = this.update.run({
      id: task.id,
      status: task.status,
      version: task.version,
      task: JSON.stringify(task),
      previousVersion,
    });
    return result.changes === 1;
  }

  async list(query: TaskQuery): Promise<Task[]> {
    const conditions: string[] = [];
    if (query.ods !== undefined) conditions.push('ods = @ods');
    if (query.status !== undefined) conditions.push('status = @status');
    if (query.open === true) conditions.push("status IN ('new', 'in-progress')");
    // The (ods, status) index narrows first; the patient is read from the stored task.
    if (query.nhsNumber !== undefined) conditions.push("json_extract(task, '$.nhsNumber') = @nhsNumber");
    const where = conditions.length > 0 ? `WHERE ${conditions.join(' AND ')}` : '';
    const rows = this.db.prepare(`SELECT task FROM tasks ${where} ORDER BY seq LIMIT @limit`).all({
      ods: query.ods ?? null,
      status: query.status ?? null,
      nhsNumber: query.nhsNumber ?? null,
      limit: query.limit ?? 500,
    }) as { task: string }[];
    return rows.map((row) => JSON.parse(row.task) as Task);
  }
}

function sourceKeyOf(task: Task): string {
  return `${task.source.surface}|${task.source.sender}|${task.source.reference ?? ''}`;
}
