import { api } from './api.js';
import { h, show } from './dom.js';

/** The client-behaviour report: per client, how it met the faults (retries, backoff, Retry-After). */
export async function reportPage(main: HTMLElement): Promise<void> {
  const report = await api<{ journalEntries: number; clients: Record<string, unknown>[] }>('/__sim/report');
  show(
    main,
    h('h1', {}, 'Client behaviour report'),
    h(
      'p',
      { class: 'lede' },
      `From the ${report.journalEntries} requests in the journal. `,
      h('a', { href: '/__sim/report?format=html' }, 'Printable report'),
      ' · ',
      h('a', { href: '/__sim/report?format=junit' }, 'JUnit XML'),
    ),
    report.clients.length === 0
      ? h('p', {}, 'No client has called gpsim yet.')
      : report.clients.map((client) =>
          h(
            'section',
            { class: 'report-client' },
            h('h2', {}, String(client.clientId ?? client.client ?? 'client')),
            h(
              'dl',
              {},
              Object.entries(client)
                .filter(([, value]) => typeof value !== 'object')
                .map(([name, value]) => [h('dt', {}, name), h('dd', {}, String(value))]),
            ),
          ),
        ),
  );
}
