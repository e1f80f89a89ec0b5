import { api } from './api.js';
import { formatDate, formatNhsNumber, h, show } from './dom.js';
import type { Manifest, Task } from './types.js';

/** Workflow inbox of one practice: items from MESH and partner APIs, and what staff do with them. */
export async function inboxPage(main: HTMLElement, ods: string | undefined): Promise<void> {
  const manifest = await api<Manifest>('/__sim/fixtures');
  const practice = ods ?? manifest.practices[0]?.ods ?? '';
  const picker = h(
    'select',
    {
      id: 'inbox-practice',
      onchange: ((event: Event) => {
        location.hash = `#/inbox/${(event.target as HTMLSelectElement).value}`;
      }) as EventListener,
    },
    manifest.practices.map((candidate) =>
      h(
        'option',
        { value: candidate.ods, selected: candidate.ods === practice },
        `${candidate.name} (${candidate.ods})`,
      ),
    ),
  );
  const list = h('div', { id: 'inbox-items' });
  const users = manifest.users.filter((user) => user.ods === practice);
  show(
    main,
    h('h1', {}, 'Workflow inbox'),
    h('div', { class: 'toolbar' }, h('label', { for: 'inbox-practice' }, 'Practice'), picker),
    list,
  );
  const refresh = async () => {
    const { tasks } = await api<{ tasks: Task[] }>(`/__sim/tasks?ods=${encodeURIComponent(practice)}`);
    show(
      list,
      tasks.length === 0
        ? h('p', {}, 'Nothing in this inbox. Items arrive from MESH and the partner APIs.')
        : h(
            'ul',
            { class: 'tasks' },
            tasks.map((task) => item(task, users, refresh)),
          ),
    );
  };
  await refresh();
}

function item(task: Task, users: Manifest['users'], refresh: () => Promise<void>): HTMLElement {
  const open = task.status === 'new' || task.status === 'in-progress';
  const act = (body: Record<string, unknown>) => async () => {
    await api(`/__sim/tasks/${task.id}`, { method: 'POST', body: { ...body, version: task.version } });
    await refresh();
  };
  const reason = h('input', {
    id: `reason-${task.id}`,
    type: 'text',
    maxlength: 200,
    placeholder: 'e.g. patient not known here',
  });
  const assignee = h(
    'select',
    { id: `assignee-${task.id}` },
    users.map((user) => h('option', { value: user.username }, user.name)),
  );
  const button = (label: string, run: () => Promise<void>) =>
    h('button', { type: 'button', onclick: (() => void run()) as EventListener }, label);
  return h(
    'li',
    { class: `task status-${task.status}`, 'data-task': task.id },
    h('h2', {}, task.title),
    h(
      'p',
      { class: 'meta' },
      h('span', { class: `badge status` }, task.status),
      ` ${task.type} from ${task.source.sender} via ${task.source.surface}`,
      task.nhsNumber ? ` · NHS ${formatNhsNumber(task.nhsNumber)}` : '',
      ` · ${formatDate(task.createdAt)}`,
      task.assignee ? ` · assigned to ${task.assignee.id}` : '',
      task.reason ? ` · ${task.reason}` : '',
      task.source.surface === 'mesh'
        ? h(
            'span',
            { class: 'acks', title: task.acks.map((ack) => `${ack.code} at ${formatDate(ack.sentAt)}`).join(', ') },
            ` · acks sent: ${task.acks.length}`,
          )
        : '',
    ),
    open
      ? h(
          'div',
          { class: 'actions' },
          button('Complete', act({ action: 'complete' })),
          button('File to record', act({ action: 'file' })),
          h('label', { for: `assignee-${task.id}` }, 'Reassign to'),
          assignee,
          button('Reassign', async () => act({ action: 'reassign', assignee: { kind: 'user', id: assignee.value } })()),
          h('label', { for: `reason-${task.id}` }, 'Reason'),
          reason,
          button('Reject', async () =>
            act({ action: 'reject', reason: reason.value || 'Patient not known at this practice' })(),
          ),
        )
      : null,
    h(
      'details',
      {},
      h('summary', {}, `History (${task.history.length})`),
      h(
        'ol',
        { class: 'history' },
        task.history.map((event) =>
          h(
            'li',
            {},
            `${formatDate(event.at)} ${event.action} by ${event.by}${event.detail ? `: ${event.detail}` : ''}`,
          ),
        ),
      ),
    ),
  );
}
