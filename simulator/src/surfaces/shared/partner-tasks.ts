import { SimError } from '../../domain/errors';
import type { Practice } from '../../domain/estate';
import type { Task, TaskStatus } from '../../domain/tasks';
import type { Engine } from '../../engine';

/** A partner reads at most this many workflow items per call, in arrival order. */
export const MAX_PARTNER_TASKS = 100;

export interface PartnerTaskFilter {
  status?: TaskStatus;
  nhsNumber?: string;
}

/**
 * Items about a sensitive patient stay in the practice: partner applications never see a
 * sensitive record, and a workflow item names its patient.
 */
function visibleToPartners(engine: Engine, task: Task): boolean {
  if (task.nhsNumber === undefined) return true;
  return engine.population.byNhsNumber(task.nhsNumber)?.patient.sensitive !== true;
}

/** The practice's workflow items, for the partner APIs of both systems (the caller has checked the role). */
export async function partnerTasks(engine: Engine, practice: Practice, filter: PartnerTaskFilter): Promise<Task[]> {
  await engine.workflowActor?.act();
  const tasks = await engine.tasks.list({ ods: practice.ods, ...filter, limit: MAX_PARTNER_TASKS });
  return tasks.filter((task) => visibleToPartners(engine, task));
}

/** One workflow item of the practice; another practice's item is as unknown as a missing one. */
export async function partnerTask(engine: Engine, practice: Practice, id: string): Promise<Task> {
  const task = await engine.tasks.get(id).catch(() => undefined);
  if (!task || task.ods !== practice.ods || !visibleToPartners(engine, task)) {
    throw new SimError(
      'not-found',
      `No workflow item ${id} at ${practice.ods}; list them with the task list function.`,
    );
  }
  return task;
}
