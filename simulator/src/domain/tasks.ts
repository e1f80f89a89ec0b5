import { SimError } from './errors';

/**
 * Practice workflow: the tasks and documents that land in a practice's inbox (from MESH messages,
 * partner API CreateTask calls, GP Connect Send Document / Update Record) and what staff do with
 * them. SystmOne shows these as Tasks; EMIS as Workflow Manager items. One model serves both.
 */
export const taskStatuses = ['new', 'in-progress', 'completed', 'rejected', 'cancelled'] as const;
export type TaskStatus = (typeof taskStatuses)[number];

export const taskUrgencies = ['routine', 'urgent'] as const;
export type TaskUrgency = (typeof taskUrgencies)[number];

export interface TaskAssignee {
  kind: 'user' | 'team' | 'role';
  /** A username, a team name (e.g. "Doctors") or a staff role. */
  id: string;
}

export interface TaskSource {
  /** The surface it arrived through (mesh, systmone, emis, control...). */
  surface: string;
  /** Who sent it: partner name, MESH mailbox... */
  sender: string;
  /** The sender's own reference (MESH message id, local id, RequestUID), for idempotency and acks. */
  reference?: string;
}

export interface TaskEvent {
  at: string;
  by: string;
  action: string;
  detail?: string;
}

export interface Task {
  id: string;
  ods: string;
  type: string;
  title: string;
  status: TaskStatus;
  urgency: TaskUrgency;
  /** The patient the item is about, when there is one. */
  nhsNumber?: string;
  assignee?: TaskAssignee;
  dueDate?: string;
  source: TaskSource;
  /** Ids of what is attached (documents, messages). */
  links: string[];
  comments: { at: string; by: string; text: string }[];
  /** Increases on every change; updates must name the version they change (optimistic concurrency). */
  version: number;
  createdAt: string;
  updatedAt: string;
  history: TaskEvent[];
  /** Why it was rejected or cancelled. */
  reason?: string;
}

/** Legal moves through the lifecycle; anything else is refused with a clear error. */
const transitions: Record<TaskStatus, readonly TaskStatus[]> = {
  new: ['in-progress', 'completed', 'rejected', 'cancelled'],
  'in-progress': ['completed', 'rejected', 'cancelled', 'new'],
  completed: [],
  rejected: [],
  cancelled: [],
};

export function canTransition(from: TaskStatus, to: TaskStatus): boolean {
  return transitions[from].includes(to);
}

export function assertTransition(task: Task, to: TaskStatus): void {
  if (canTransition(task.status, to)) return;
  const allowed = transitions[task.status];
  throw new SimError(
    'conflict',
    allowed.length === 0
      ? `Task ${task.id} is ${task.status}; a ${task.status} task cannot change.`
      : `Task ${task.id} is ${task.status}; it can move to ${allowed.join(', ')}, not ${to}.`,
    { field: 'status' },
  );
}

/** Refuses an update made against an older version of the task. */
export function assertVersion(task: Task, expected: number | undefined): void {
  if (expected === undefined || expected === task.version) return;
  throw new SimError(
    'conflict',
    `Task ${task.id} is at version ${task.version}, not ${expected}; re-read it and apply the change again.`,
    { field: 'version' },
  );
}
