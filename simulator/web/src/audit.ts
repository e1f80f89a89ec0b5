import { api } from './api.js';
import { formatNhsNumber, h, show } from './dom.js';

interface AuditEvent {
  seq: number;
  time: string;
  surface: string;
  action: string;
  nhsNumber?: string;
  clientId?: string;
  user?: string;
  role?: string;
  organisation?: string;
  device?: string;
  reason?: string;
  outcome: 'allowed' | 'refused';
}

/** Audit: who viewed which record, through which face and client, newest first. */
export async function auditPage(main: HTMLElement, nhsNumber: string): Promise<void> {
  const input = h('input', { id: 'audit-nhs', type: 'search', value: nhsNumber, autocomplete: 'off' });
  const query = nhsNumber.replace(/\s/g, '');
  const { events } = await api<{ events: AuditEvent[] }>(
    `/__sim/audit?limit=200${query ? `&nhsNumber=${encodeURIComponent(query)}` : ''}`,
  );
  show(
    main,
    h('h1', {}, 'Audit trail'),
    h(
      'form',
      {
        role: 'search',
        class: 'search',
        onsubmit: ((event: Event) => {
          event.preventDefault();
          location.hash = `#/audit?nhs=${encodeURIComponent(input.value.trim())}`;
        }) as EventListener,
      },
      h('label', { for: 'audit-nhs' }, 'NHS number'),
      input,
      h('button', { type: 'submit' }, 'Filter'),
    ),
    events.length === 0
      ? h('p', {}, 'No record has been viewed yet.')
      : h(
          'table',
          { class: 'grid' },
          h(
            'thead',
            {},
            h(
              'tr',
              {},
              ['Time', 'Patient', 'What', 'Outcome', 'Who', 'Client', 'Through', 'Device', 'Why'].map((name) =>
                h('th', { scope: 'col' }, name),
              ),
            ),
          ),
          h(
            'tbody',
            {},
            events
              .slice()
              .reverse()
              .map((event) =>
                h(
                  'tr',
                  {},
                  h('td', {}, event.time.replace('T', ' ').slice(0, 19)),
                  h(
                    'td',
                    { class: 'nhs' },
                    event.nhsNumber
                      ? h('a', { href: `#/patient/${event.nhsNumber}` }, formatNhsNumber(event.nhsNumber))
                      : '',
                  ),
                  h('td', {}, event.action),
                  h('td', { class: event.outcome === 'refused' ? 'bad' : undefined }, event.outcome),
                  h('td', {}, [event.user, event.role, event.organisation].filter(Boolean).join(', ')),
                  h('td', {}, event.clientId ?? ''),
                  h('td', {}, event.surface),
                  h('td', {}, event.device ?? ''),
                  h('td', {}, event.reason ?? ''),
                ),
              ),
          ),
        ),
  );
}
