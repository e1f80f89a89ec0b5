import { control } from '@gpsim/contracts';
import { SimError } from '../domain/errors';
import type { TaskChange } from '../domain/task-service';
import type { Task, TaskStatus } from '../domain/tasks';
import { presentTask } from '../domain/task-presentation';
import { taskStatuses } from '../domain/tasks';
import type { Engine } from '../engine';
import { jsonResponse, parseJsonBody } from '../transport/json';
import type { Route } from '../transport/types';

const MAX_TASKS = 500;

/**
 * GET /__sim/tasks?ods&status and POST /__sim/tasks/{id}: practice workflow as staff see it (each
 * item with its SystmOne or EMIS presentation), and what they do with an item (complete, file to record, reassign, reject with a reason).
 */
export function taskRoutes(engine: Engine): Route[] {
  return [
    {
      method: 'GET',
      path: '/__sim/tasks',
      handler: async (request) => {
        const ods = request.query.get('ods');
        if (ods !== null && !engine.population.practice(ods)) {
          throw new SimError(
            'practice-not-found',
            `No practice ${ods} in this estate; GET /__sim/practices lists them.`,
            {
              field: 'ods',
            },
          );
        }
        const status = request.query.get('status');
        if (status !== null && !(taskStatuses as readonly string[]).includes(status)) {
          throw new SimError('invalid-parameter', `status must be one of ${taskStatuses.join(', ')}.`, {
            field: 'status',
          });
        }
        await engine.workflowActor?.act();
        const tasks = await engine.tasks.list({
          ...(ods !== null ? { ods } : {}),
          ...(status !== null ? { status: status as TaskStatus } : {}),
          limit: MAX_TASKS,
        });
        return jsonResponse(200, { tasks: await Promise.all(tasks.map((task) => withPresentation(engine, task))) });
      },
    },
    {
      method: 'GET',
      path: '/__sim/tasks/:id',
      handler: async (request) =>
        jsonResponse(200, await withPresentation(engine, await engine.tasks.get(request.params.id ?? ''))),
    },
    {
      method: 'POST',
      path: '/__sim/tasks/:id',
      handler: async (request) => {
        const body = parseJsonBody(request, control.TaskAction);
        const change = toChange(body);
        return jsonResponse(
          200,
          await withPresentation(engine, await engine.tasks.change(request.params.id ?? '', change)),
        );
      },
    },
  ];
}

/**
 * The item plus how the practice's own system shows it (a SystmOne Task or an EMIS Workflow Manager
 * item) and the ITK3 acks sent back to its sender.
 */
async function withPresentation(engine: Engine, task: Task) {
  const practice = engine.population.practice(task.ods);
  const acks = await engine.mesh.acksFor(task);
  return practice ? { ...task, acks, presentation: presentTask(task, practice.system) } : { ...task, acks };
}

function toChange(body: control.TaskAction): TaskChange {
  const base: TaskChange = {
    by: body.by ?? 'practice-staff',
    ...(body.version !== undefined ? { version: body.version } : {}),
    ...(body.comment !== undefined ? { comment: body.comment } : {}),
  };
  switch (body.action) {
    case 'start':
      return { ...base, status: 'in-progress' };
    case 'complete':
      return { ...base, status: 'completed' };
    case 'file':
      return { ...base, status: 'completed', comment: body.comment ?? 'Filed to the patient record.' };
    case 'reject':
      if (!body.reason)
        throw new SimError('invalid-parameter', 'Give a reason to reject an item.', { field: 'reason' });
      return { ...base, status: 'rejected', reason: body.reason };
    case 'reassign':
      if (!body.assignee) {
        throw new SimError('invalid-parameter', 'Say who takes the item: assignee {kind: user|team|role, id}.', {
          field: 'assignee',
        });
      }
      return { ...base, assignee: body.assignee };
    case 'comment':
      if (!body.comment) throw new SimError('invalid-parameter', 'Give the comment text.', { field: 'comment' });
      return base;
  }
}
