import { api } from './api.js';
import { h, show } from './dom.js';
import type { JournalEntry } from './types.js';

const surfaces = ['gpconnect', 'ssp', 'mesh', 'systmone', 'emis', 'oauth', 'fhir-r4', 'pds', 'control', 'console'];
const MAX_ROWS = 300;

interface Detail extends JournalEntry {
  detail?: {
    requestHeaders: Record<string, string>;
    requestBody: string;
    responseHeaders: Record<string, string>;
    responseBody: string;
  };
}

/** The live journal: requests as they happen (Server-Sent Events), filtered, each row opening its detail. */
export function journalPage(main: HTMLElement): () => void {
  const surface = h(
    'select',
    { id: 'journal-surface' },
    h('option', { value: '' }, 'all'),
    surfaces.map((name) => h('option', { value: name }, name)),
  );
  const status = h(
    'select',
    { id: 'journal-status' },
    ['', '2xx', '3xx', '4xx', '5xx'].map((value) => h('option', { value }, value || 'all')),
  );
  const client = h('input', { id: 'journal-client', type: 'text', maxlength: 200 });
  const hideOwn = h('input', { id: 'journal-hide-own', type: 'checkbox', checked: true });
  const rows = h('tbody', {});
  const detail = h('section', { id: 'journal-detail', 'aria-live': 'polite' });
  let source: EventSource | undefined;
  const connect = () => {
    source?.close();
    rows.replaceChildren();
    const query = new URLSearchParams({ limit: '100' });
    if (surface.value) query.set('surface', surface.value);
    if (status.value) query.set('status', status.value);
    if (client.value.trim()) query.set('client', client.value.trim());
    source = new EventSource(`/__sim/journal/stream?${query}`);
    source.addEventListener('entry', (event) => {
      const entry = JSON.parse((event as MessageEvent<string>).data) as JournalEntry;
      if (hideOwn.checked && (entry.surface === 'control' || entry.surface === 'console') && surface.value === '')
        return;
      rows.prepend(row(entry, detail));
      while (rows.childElementCount > MAX_ROWS) rows.lastElementChild?.remove();
    });
  };
  for (const control of [surface, status, hideOwn]) control.addEventListener('change', connect);
  client.addEventListener('change', connect);
  show(
    main,
    h('h1', {}, 'Live journal'),
    h(
      'div',
      { class: 'toolbar' },
      h('label', { for: 'journal-surface' }, 'Surface'),
      surface,
      h('label', { for: 'journal-status' }, 'Status'),
      status,
      h('label', { for: 'journal-client' }, 'Client'),
      client,
      hideOwn,
      h('label', { for: 'journal-hide-own' }, 'Hide console and control API calls'),
    ),
    h(
      'div',
      { class: 'split' },
      h(
        'table',
        { class: 'grid journal' },
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            ['#', 'Time', 'Node', 'Surface', 'Request', 'Status', 'ms', 'Client'].map((name) =>
              h('th', { scope: 'col' }, name),
            ),
          ),
        ),
        rows,
      ),
      detail,
    ),
  );
  connect();
  return () => source?.close();
}

function row(entry: JournalEntry, detail: HTMLElement): HTMLElement {
  const open = () => void showDetail(entry.seq, detail);
  return h(
    'tr',
    {
      tabindex: 0,
      class: `journal-row status-${Math.floor(entry.status / 100)}xx`,
      'data-seq': entry.seq,
      onclick: open as EventListener,
      onkeydown: ((event: KeyboardEvent) => {
        if (event.key === 'Enter' || event.key === ' ') open();
      }) as EventListener,
    },
    h('td', {}, entry.seq),
    h('td', {}, entry.time.slice(11, 23)),
    h('td', {}, entry.node),
    h('td', {}, entry.surface),
    h('td', { class: 'path' }, `${entry.method} ${entry.path}${entry.query ? `?${entry.query}` : ''}`),
    h('td', { class: 'status' }, entry.status),
    h('td', { class: 'number' }, entry.latencyMs.toFixed(1)),
    h('td', {}, entry.clientId ?? ''),
  );
}

async function showDetail(seq: number, container: HTMLElement): Promise<void> {
  const found = await api<Detail>(`/__sim/journal/${seq}`);
  container.parentElement?.classList.add('with-detail');
  const headers = (values: Record<string, string> | undefined) =>
    h(
      'pre',
      {},
      Object.entries(values ?? {})
        .map(([name, value]) => `${name}: ${value}`)
        .join('\n'),
    );
  show(
    container,
    h('h2', {}, `#${found.seq} ${found.method} ${found.path} → ${found.status}`),
    found.detail
      ? [
          h('h3', {}, 'Request headers'),
          headers(found.detail.requestHeaders),
          h('h3', {}, 'Request body'),
          h('pre', {}, found.detail.requestBody || '(empty)'),
          h('h3', {}, 'Response headers'),
          headers(found.detail.responseHeaders),
          h('h3', {}, 'Response body'),
          h('pre', {}, found.detail.responseBody || '(empty)'),
        ]
      : h('p', {}, 'Headers and bodies are kept for the newest requests only.'),
  );
}
