import type { SimClock } from './clock';
import { addDuration } from './durations';
import { isSimError } from './errors';
import type { TaskService } from './task-service';

/** How many due items one pass files, so a single request never does unbounded work. */
const BATCH = 100;

/**
 * The optional auto-actor (`--workflow-actor auto`): stands in for practice staff and files every
 * new workflow item once it has waited the configured delay of simulated time, so unattended CI
 * runs see business acks. It acts when time is observed (MESH inbox polls, tracking, task lists)
 * rather than on a timer, so runs are deterministic and moving the clock is enough.
 */
export class WorkflowActor {
  constructor(
    private readonly tasks: TaskService,
    private readonly clock: SimClock,
    /** ISO 8601 duration of simulated time, e.g. PT10M. */
    readonly delay: string,
  ) {}

  async act(): Promise<void> {
    const now = this.clock.now();
    const waiting = await this.tasks.list({ status: 'new', limit: BATCH });
    for (const task of waiting) {
      if (addDuration(Date.parse(task.createdAt), this.delay) > now) continue;
      try {
        await this.tasks.change(task.id, {
          by: 'auto-actor',
          version: task.version,
          status: 'completed',
          comment: 'Filed to the patient record by the auto-actor.',
        });
      } catch (error) {
        // Someone (staff or a concurrent pass) changed it first: theirs stands.
        if (!isSimError(error) || error.code !== 'conflict') throw error;
      }
    }
  }
}
