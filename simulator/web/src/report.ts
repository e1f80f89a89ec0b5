import { api } from './api.js';
import { timeChart } from './chart.js';
import { h, show } from './dom.js';

interface ClientReport {
  clientId: string;
  requests: number;
  errors: Record<string, number>;
  retries: number;
  backoff?: boolean;
  retryAfterHonoured: number;
  retryAfterViolations: number;
  retryStorm: boolean;
  maxConsecutiveRetries: number;
  duplicateWriteRisks: number;
  failover?: boolean;
  latencyMs: { p50: number; p95: number; p99: number };
}

interface Report {
  journalEntries: number;
  clients: ClientReport[];
  timeline: {
    bucketSeconds: number;
    buckets: { start: string; requests: number; failures: number; latencyMs: { p50: number; p95: number } }[];
  };
}

const yesNo = (value: boolean | undefined) => (value === undefined ? '—' : value ? 'yes' : 'no');

/** The client-behaviour report: per client, how it met the faults, and the run over time as charts. */
export async function reportPage(main: HTMLElement): Promise<void> {
  const report = await api<Report>('/__sim/report');
  const { buckets, bucketSeconds } = report.timeline;
  const labels = buckets.map((bucket) => bucket.start.slice(11, 19));
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
    buckets.length === 0
      ? h('p', {}, 'No client has called gpsim yet.')
      : [
          h('h2', {}, `Latency over time (slices of ${bucketSeconds}s)`),
          h('p', { class: 'legend' }, h('span', { class: 'key p50' }, 'p50'), h('span', { class: 'key p95' }, 'p95')),
          timeChart(
            'Latency percentiles over time',
            labels,
            [
              { name: 'p50', className: 'p50', kind: 'line', values: buckets.map((bucket) => bucket.latencyMs.p50) },
              { name: 'p95', className: 'p95', kind: 'line', values: buckets.map((bucket) => bucket.latencyMs.p95) },
            ],
            'ms',
          ),
          h('h2', {}, 'Requests and failures over time'),
          h(
            'p',
            { class: 'legend' },
            h('span', { class: 'key requests' }, 'requests'),
            h('span', { class: 'key failures' }, 'failures (5xx, 429, no answer)'),
          ),
          timeChart(
            'Requests and failures over time',
            labels,
            [
              {
                name: 'requests',
                className: 'requests',
                kind: 'bar',
                values: buckets.map((bucket) => bucket.requests),
              },
              {
                name: 'failures',
                className: 'failures',
                kind: 'bar',
                values: buckets.map((bucket) => bucket.failures),
              },
            ],
            '',
          ),
          h('h2', {}, 'Clients'),
          h(
            'table',
            { class: 'grid' },
            h(
              'thead',
              {},
              h(
                'tr',
                {},
                [
                  'Client',
                  'Requests',
                  'Errors met',
                  'Retries',
                  'Back-off',
                  'Retry-After honoured / ignored',
                  'Retry storm',
                  'Duplicate-write risks',
                  'Failover',
                  'p50 / p95 ms',
                ].map((name) => h('th', { scope: 'col' }, name)),
              ),
            ),
            h(
              'tbody',
              {},
              report.clients.map((client) =>
                h(
                  'tr',
                  {},
                  h('td', {}, client.clientId),
                  h('td', { class: 'number' }, client.requests),
                  h(
                    'td',
                    {},
                    Object.entries(client.errors)
                      .map(([status, count]) => `${status === '0' ? 'no answer' : status}×${count}`)
                      .join(', ') || 'none',
                  ),
                  h('td', { class: 'number' }, client.retries),
                  h('td', {}, yesNo(client.backoff)),
                  h('td', {}, `${client.retryAfterHonoured} / ${client.retryAfterViolations}`),
                  h('td', { class: client.retryStorm ? 'bad' : undefined }, yesNo(client.retryStorm)),
                  h(
                    'td',
                    { class: client.duplicateWriteRisks > 0 ? 'bad number' : 'number' },
                    client.duplicateWriteRisks,
                  ),
                  h('td', {}, yesNo(client.failover)),
                  h('td', { class: 'number' }, `${client.latencyMs.p50} / ${client.latencyMs.p95}`),
                ),
              ),
            ),
          ),
        ],
  );
}
