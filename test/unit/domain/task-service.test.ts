import { SimClock } from '@gpsim/simulator/domain/clock';
import { SimError } from '@gpsim/simulator/domain/errors';
import { TaskService } from '@gpsim/simulator/domain/task-service';
import type { NewTask } from '@gpsim/simulator/domain/task-service';
import { SqliteStore } from '@gpsim/simulator/store/sqlite/sqlite-store';

function service() {
  let n = 0;
  const store = new SqliteStore(':memory:');
  return { tasks: new TaskService(store.tasks, new SimClock(), () => `task-${++n}`), store };
}

const document: NewTask = {
  ods: 'X10001',
  type: 'document',
  title: 'Consultation report',
  source: { surface: 'mesh', sender: 'X26AB1234', reference: 'message-1' },
};

describe('practice workflow tasks', () => {
  it('creates a new task with its history', async () => {
    const { tasks } = service();
    const { task, created } = await tasks.create(document);
    expect(created).toBe(true);
    expect(task).toMatchObject({ status: 'new', version: 1, urgency: 'routine', ods: 'X10001' });
    expect(task.history).toEqual([expect.objectContaining({ action: 'created', by: 'X26AB1234' })]);
  });

  it('does not create a second task when the same sender reference arrives again', async () => {
    const { tasks } = service();
    const first = await tasks.create(document);
    const again = await tasks.create(document);
    expect(again.created).toBe(false);
    expect(again.task.id).toBe(first.task.id);
    expect(await tasks.list({ ods: 'X10001' })).toHaveLength(1);
  });

  it('moves through the lifecycle and refuses illegal transitions with a clear error', async () => {
    const { tasks } = service();
    const { task } = await tasks.create(document);
    const started = await tasks.change(task.id, { by: 'gp1', status: 'in-progress' });
    const done = await tasks.change(task.id, { by: 'gp1', status: 'completed', version: started.version });
    expect(done).toMatchObject({ status: 'completed', version: 3 });
    await expect(tasks.change(task.id, { by: 'gp1', status: 'new' })).rejects.toThrow(/completed task cannot change/);
  });

  it('requires a reason to reject or cancel', async () => {
    const { tasks } = service();
    const { task } = await tasks.create(document);
    await expect(tasks.change(task.id, { by: 'gp1', status: 'rejected' })).rejects.toThrow(/reason/);
    const rejected = await tasks.change(task.id, { by: 'gp1', status: 'rejected', reason: 'Not our patient' });
    expect(rejected.reason).toBe('Not our patient');
  });

  it('rejects an update made against a stale version', async () => {
    const { tasks } = service();
    const { task } = await tasks.create(document);
    await tasks.change(task.id, { by: 'a', comment: 'first' });
    const stale = tasks.change(task.id, { by: 'b', comment: 'second', version: 1 });
    await expect(stale).rejects.toBeInstanceOf(SimError);
    await expect(tasks.change(task.id, { by: 'b', comment: 'second', version: 1 })).rejects.toThrow(/version 2, not 1/);
  });

  it('reassigns and comments, telling listeners each change', async () => {
    const { tasks } = service();
    const seen: string[] = [];
    tasks.onChange((_task, action) => {
      seen.push(action);
    });
    const { task } = await tasks.create(document);
    await tasks.change(task.id, { by: 'admin', assignee: { kind: 'team', id: 'Doctors' }, comment: 'For GPs' });
    expect(seen).toEqual(['created', 'reassigned', 'commented']);
  });

  it('filters by practice and status, and a reset empties the inbox', async () => {
    const { tasks, store } = service();
    await tasks.create(document);
    await tasks.create({ ...document, ods: 'X10002', source: { ...document.source, reference: 'message-2' } });
    expect(await tasks.list({ ods: 'X10002' })).toHaveLength(1);
    expect(await tasks.list({ status: 'completed' })).toHaveLength(0);
    await store.reset();
    expect(await tasks.list({})).toHaveLength(0);
  });
});
