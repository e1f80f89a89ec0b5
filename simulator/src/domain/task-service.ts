import { SimError } from './errors';
import type { SimClock } from './clock';
import type { Task, TaskAssignee, TaskSource, TaskStatus, TaskUrgency } from './tasks';
import { assertTransition, assertVersion } from './tasks';
import type { TaskQuery, TaskRepository } from '../store/store';

export interface NewTask {
  ods: string;
  type: string;
  title: string;
  urgency?: TaskUrgency;
  nhsNumber?: string;
  assignee?: TaskAssignee;
  dueDate?: string;
  source: TaskSource;
  links?: string[];
}

export interface TaskChange {
  /** Who is acting (a username, "auto-actor", a partner). */
  by: string;
  /** The version the change was made against; omitted means "whatever is current". */
  version?: number;
  status?: TaskStatus;
  assignee?: TaskAssignee;
  comment?: string;
  reason?: string;
}

/** Listener for task changes (acks back to senders, webhooks, the console). */
export type TaskListener = (task: Task, action: string) => void | Promise<void>;

/**
 * The lifecycle rules of practice workflow items: creation (idempotent per sender reference),
 * legal status transitions, reassignment and comments, each change versioned and kept in the
 * task's history.
 */
export class TaskService {
  private readonly listeners: TaskListener[] = [];

  constructor(
    private readonly repository: TaskRepository,
    private readonly clock: SimClock,
    private readonly newId: () => string,
  ) {}

  onChange(listener: TaskListener): void {
    this.listeners.push(listener);
  }

  async create(input: NewTask): Promise<{ task: Task; created: boolean }> {
    const now = this.clock.nowDate().toISOString();
    const task: Task = {
      id: this.newId(),
      ods: input.ods,
      type: input.type,
      title: input.title,
      status: 'new',
      urgency: input.urgency ?? 'routine',
      ...(input.nhsNumber ? { nhsNumber: input.nhsNumber } : {}),
      ...(input.assignee ? { assignee: input.assignee } : {}),
      ...(input.dueDate ? { dueDate: input.dueDate } : {}),
      source: input.source,
      links: input.links ?? [],
      comments: [],
      version: 1,
      createdAt: now,
      updatedAt: now,
      history: [{ at: now, by: input.source.sender, action: 'created' }],
    };
    const result = await this.repository.create(task);
    if (result.created) await this.notify(result.task, 'created');
    return result;
  }

  async get(id: string): Promise<Task> {
    const task = await this.repository.get(id);
    if (!task) throw new SimError('not-found', `No task ${id}.`);
    return task;
  }

  list(query: TaskQuery): Promise<Task[]> {
    return this.repository.list(query);
  }

  async change(id: string, change: TaskChange): Promise<Task> {
    const current = await this.get(id);
    assertVersion(current, change.version);
    const now = this.clock.nowDate().toISOString();
    const next: Task = { ...current, history: [...current.history], comments: [...current.comments] };
    const actions: string[] = [];
    if (change.status !== undefined && change.status !== current.status) {
      assertTransition(current, change.status);
      if ((change.status === 'rejected' || change.status === 'cancelled') && !change.reason) {
        throw new SimError('invalid-parameter', `Give a reason when a task is ${change.status}.`, { field: 'reason' });
      }
      next.status = change.status;
      if (change.reason) next.reason = change.reason;
      actions.push(change.status);
      next.history.push({
        at: now,
        by: change.by,
        action: change.status,
        ...(change.reason ? { detail: change.reason } : {}),
      });
    }
    if (change.assignee) {
      if (current.status === 'completed' || current.status === 'rejected' || current.status === 'cancelled') {
        throw new SimError('conflict', `Task ${id} is ${current.status} and can no longer be reassigned.`, {
          field: 'assignee',
        });
      }
      next.assignee = change.assignee;
      actions.push('reassigned');
      next.history.push({
        at: now,
        by: change.by,
        action: 'reassigned',
        detail: `${change.assignee.kind}:${change.assignee.id}`,
      });
    }
    if (change.comment) {
      next.comments.push({ at: now, by: change.by, text: change.comment });
      actions.push('commented');
      next.history.push({ at: now, by: change.by, action: 'commented' });
    }
    if (actions.length === 0)
      throw new SimError('invalid-request', 'Nothing to change: send status, assignee or comment.');
    next.version = current.version + 1;
    next.updatedAt = now;
    if (!(await this.repository.replace(next, current.version))) {
      throw new SimError('conflict', `Task ${id} changed while this update was applied; re-read it and try again.`, {
        field: 'version',
      });
    }
    for (const action of actions) await this.notify(next, action);
    return next;
  }

  private async notify(task: Task, action: string): Promise<void> {
    for (const listener of this.listeners) await listener(task, action);
  }
}
