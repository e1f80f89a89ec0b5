import type { GpSystem } from './estate';
import type { Task, TaskStatus } from './tasks';

/**
 * How one workflow item looks inside each GP system. SystmOne routes inbound items to Tasks by
 * task rules, typically to a group such as "Doctors" (reference/domain.md §2.5); EMIS Web shows
 * them in Workflow Manager, documents in the Document Management folder awaiting filing and other
 * items in Tasks. Both vendors' real vocabularies come with the pairing pack, so the names here
 * are approximate; the mapping is the one place either face (control API, partner APIs) reads them.
 */
export interface SystmOneTaskView {
  system: 'systmone';
  taskType: string;
  urgency: 'Urgent' | 'Normal';
  status: 'Outstanding' | 'Started' | 'Completed' | 'Rejected' | 'Cancelled';
  /** A named user, or a group ("Doctors", "Admin") the task rules route to. */
  assignedTo: { kind: 'User' | 'Group' | 'Role'; name: string };
  /** The document or message the task carries (a MESH message id for deliveries). */
  linkedDocument?: string;
}

export interface EmisWorkflowView {
  system: 'emis';
  folder: 'Document Management' | 'Tasks';
  category: string;
  priority: 'Urgent' | 'Normal';
  status: 'Awaiting Action' | 'In Progress' | 'Filed' | 'Completed' | 'Rejected' | 'Cancelled';
  assignedTo: { kind: 'User' | 'Team' | 'Role'; name: string };
  linkedDocument?: string;
}

export type TaskPresentation = SystmOneTaskView | EmisWorkflowView;

/** Routed to a group when the item names no one, as SystmOne task rules and EMIS team tasks do. */
export const DEFAULT_TEAM = 'Doctors';

const systmOneTaskTypes: Record<string, string> = {
  document: 'Document Management',
  'update-record': 'Update Record Summary',
  'partner-task': 'Third Party Task',
};

const emisCategories: Record<string, { folder: EmisWorkflowView['folder']; category: string }> = {
  document: { folder: 'Document Management', category: 'Awaiting Filing' },
  'update-record': { folder: 'Document Management', category: 'Consultation Summary' },
  'partner-task': { folder: 'Tasks', category: 'Partner Task' },
};

const systmOneStatuses: Record<TaskStatus, SystmOneTaskView['status']> = {
  new: 'Outstanding',
  'in-progress': 'Started',
  completed: 'Completed',
  rejected: 'Rejected',
  cancelled: 'Cancelled',
};

/** A document that reached completion was filed to the record; any other item was completed. */
function emisStatus(task: Task, folder: EmisWorkflowView['folder']): EmisWorkflowView['status'] {
  switch (task.status) {
    case 'new':
      return 'Awaiting Action';
    case 'in-progress':
      return 'In Progress';
    case 'completed':
      return folder === 'Document Management' ? 'Filed' : 'Completed';
    case 'rejected':
      return 'Rejected';
    case 'cancelled':
      return 'Cancelled';
  }
}

function linked(task: Task): { linkedDocument?: string } {
  return task.links[0] !== undefined ? { linkedDocument: task.links[0] } : {};
}

export function systmOneTaskView(task: Task): SystmOneTaskView {
  const assignee = task.assignee ?? { kind: 'team', id: DEFAULT_TEAM };
  return {
    system: 'systmone',
    // A partner's own TaskType is shown as given; gpsim's kinds get SystmOne-style names.
    taskType: systmOneTaskTypes[task.type] ?? task.type,
    urgency: task.urgency === 'urgent' ? 'Urgent' : 'Normal',
    status: systmOneStatuses[task.status],
    assignedTo: {
      kind: assignee.kind === 'user' ? 'User' : assignee.kind === 'team' ? 'Group' : 'Role',
      name: assignee.id,
    },
    ...linked(task),
  };
}

export function emisWorkflowView(task: Task): EmisWorkflowView {
  const assignee = task.assignee ?? { kind: 'team', id: DEFAULT_TEAM };
  const place = emisCategories[task.type] ?? { folder: 'Tasks' as const, category: task.type };
  return {
    system: 'emis',
    folder: place.folder,
    category: place.category,
    priority: task.urgency === 'urgent' ? 'Urgent' : 'Normal',
    status: emisStatus(task, place.folder),
    assignedTo: {
      kind: assignee.kind === 'user' ? 'User' : assignee.kind === 'team' ? 'Team' : 'Role',
      name: assignee.id,
    },
    ...linked(task),
  };
}

/** The item as the practice's own system shows it. */
export function presentTask(task: Task, system: GpSystem): TaskPresentation {
  return system === 'systmone' ? systmOneTaskView(task) : emisWorkflowView(task);
}
