import type { JournalEntry } from './journal';

/** How one client behaved, measured from the journal: the go-live guide's checklist made measurable. */
export interface ClientReport {
  clientId: string;
  requests: number;
  /** Interactions exercised (the interaction id, else "METHOD surface"). */
  interactions: string[];
  /** How often each error status was met (0 = no answer: a reset or a hang). */
  errors: Record<string, number>;
  /** Transient failures (5xx, 429, no answer) followed by a retry of the same request. */
  retries: number;
  /** Whether the gaps between consecutive retries of one request grew (back-off); undefined if never retried twice. */
  backoff: boolean | undefined;
  /** Retries sent sooner than the Retry-After they were given. */
  retryAfterViolations: number;
  /** Retries honouring Retry-After (or the number of Retry-Afters met with no early retry). */
  retryAfterHonoured: number;
  /** Most requests within one second while failing; over STORM_RPS is a retry storm. */
  peakFailingRps: number;
  retryStorm: boolean;
  /** SSP guidance: at most 3 automated retries (domain.md §5.1). */
  maxConsecutiveRetries: number;
  /** Writes repeated after a transient failure with the same idempotency key: done once. */
  duplicateWritesAvoided: number;
  /** Writes repeated after a transient failure without the failed one's key: a second record may exist. */
  duplicateWriteRisks: number;
  /** Moved to another node after a failure there; undefined when it never met a failing node. */
  failover: boolean | undefined;
  /** Came back to the node it failed over from; undefined when it never failed over. */
  failback: boolean | undefined;
  latencyMs: { p50: number; p95: number; p99: number };
}

const STORM_RPS = 10;
const MAX_RETRIES = 3;

const transient = (status: number): boolean => status === 0 || status === 429 || status >= 500;

export function buildClientReports(entries: readonly JournalEntry[]): ClientReport[] {
  const byClient = new Map<string, JournalEntry[]>();
  for (const entry of entries) {
    if (entry.surface === 'control' || entry.surface === 'console') continue;
    const client = entry.clientId ?? 'anonymous';
    const list = byClient.get(client) ?? [];
    list.push(entry);
    byClient.set(client, list);
  }
  return [...byClient.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([clientId, list]) => reportFor(clientId, list));
}

function reportFor(clientId: string, entries: readonly JournalEntry[]): ClientReport {
  const errors: Record<string, number> = {};
  const interactions = new Set<string>();
  let retries = 0;
  let violations = 0;
  let honoured = 0;
  let backoff: boolean | undefined;
  let maxConsecutive = 0;
  /** Per request key: the last failure, its Retry-After, the gaps between retries so far. */
  const pending = new Map<string, { at: number; retryAfterS: number | undefined; gaps: number[] }>();
  const failing: number[] = [];
  for (const entry of entries) {
    const at = Date.parse(entry.time);
    interactions.add(entry.interaction ?? `${entry.method} ${entry.surface}`);
    if (entry.status >= 400 || entry.status === 0)
      errors[String(entry.status)] = (errors[String(entry.status)] ?? 0) + 1;
    const key = `${entry.method} ${entry.path}?${entry.query}`;
    const previous = pending.get(key);
    if (previous) {
      retries++;
      const gap = at - previous.at;
      if (previous.retryAfterS !== undefined) {
        if (gap + 500 < previous.retryAfterS * 1000) violations++;
        else honoured++;
      }
      const gaps = [...previous.gaps, gap];
      maxConsecutive = Math.max(maxConsecutive, gaps.length);
      if (gaps.length >= 2) {
        const growing = gaps.every((value, index) => index === 0 || value > (gaps[index - 1] as number));
        backoff = (backoff ?? true) && growing;
      }
      if (transient(entry.status)) pending.set(key, { at, retryAfterS: entry.retryAfterS, gaps });
      else pending.delete(key);
    } else if (transient(entry.status)) {
      pending.set(key, { at, retryAfterS: entry.retryAfterS, gaps: [] });
    }
    if (transient(entry.status)) failing.push(at);
  }
  const peak = peakPerSecond(failing);
  const writes = duplicateWrites(entries);
  const nodes = failoverOf(entries);
  return {
    clientId,
    requests: entries.length,
    interactions: [...interactions].sort(),
    errors,
    retries,
    backoff,
    retryAfterViolations: violations,
    retryAfterHonoured: honoured,
    peakFailingRps: peak,
    retryStorm: peak > STORM_RPS,
    maxConsecutiveRetries: maxConsecutive,
    ...writes,
    ...nodes,
    latencyMs: percentiles(entries.map((entry) => entry.latencyMs)),
  };
}

const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** Each write that follows a transient failure of the same write (method and path). */
function duplicateWrites(entries: readonly JournalEntry[]): {
  duplicateWritesAvoided: number;
  duplicateWriteRisks: number;
} {
  let avoided = 0;
  let risks = 0;
  const failed = new Map<string, string | undefined>();
  for (const entry of entries) {
    if (!WRITE_METHODS.has(entry.method)) continue;
    // Not the interaction: a fault answering before the handler leaves it unknown on the failed entry.
    const key = `${entry.method} ${entry.path}`;
    if (failed.has(key)) {
      const previousKey = failed.get(key);
      if (previousKey !== undefined && previousKey === entry.idempotencyKey) avoided++;
      else risks++;
    }
    if (transient(entry.status)) failed.set(key, entry.idempotencyKey);
    else failed.delete(key);
  }
  return { duplicateWritesAvoided: avoided, duplicateWriteRisks: risks };
}

/** Failover: the request after a node failure went to another node; failback: it later returned. */
function failoverOf(entries: readonly JournalEntry[]): {
  failover: boolean | undefined;
  failback: boolean | undefined;
} {
  let failover: boolean | undefined;
  let failback: boolean | undefined;
  let failedNode: string | undefined;
  let home: string | undefined;
  for (const entry of entries) {
    if (failedNode !== undefined) {
      if (entry.node !== failedNode) {
        failover = true;
        home ??= failedNode;
        failback ??= false;
      } else failover ??= false;
      failedNode = undefined;
    }
    if (home !== undefined && entry.node === home && failover === true && entry.status !== 0) failback = true;
    // A node failing without a Retry-After (a reset, a bare 5xx) calls for failover; one asking to wait does not.
    if (transient(entry.status) && entry.status !== 429 && entry.retryAfterS === undefined) failedNode = entry.node;
  }
  return { failover, failback };
}

/** One slice of time across every client: load, failures and latency, for charts of a run. */
export interface TimelineBucket {
  /** Start of the slice (simulated time, ISO 8601). */
  start: string;
  requests: number;
  /** Transient failures: 5xx, 429 or no answer, what an outage looks like to clients. */
  failures: number;
  latencyMs: { p50: number; p95: number; p99: number };
}

/** Slice widths tried in turn, smallest first, until the run fits in MAX_BUCKETS slices. */
const BUCKET_WIDTHS_S = [1, 5, 10, 30, 60, 300, 900, 3600, 21_600, 86_400];
const MAX_BUCKETS = 60;

/** The journal's client traffic (control and console calls left out) in at most 60 equal slices of time. */
export function buildTimeline(entries: readonly JournalEntry[]): { bucketSeconds: number; buckets: TimelineBucket[] } {
  const traffic = entries.filter((entry) => entry.surface !== 'control' && entry.surface !== 'console');
  if (traffic.length === 0) return { bucketSeconds: 1, buckets: [] };
  const times = traffic.map((entry) => Date.parse(entry.time));
  const first = Math.min(...times);
  const span = Math.max(...times) - first;
  const seconds =
    BUCKET_WIDTHS_S.find((width) => span / (width * 1000) < MAX_BUCKETS) ?? (BUCKET_WIDTHS_S.at(-1) as number);
  const origin = Math.floor(first / (seconds * 1000)) * seconds * 1000;
  const slices = new Map<number, JournalEntry[]>();
  traffic.forEach((entry, i) => {
    const slice = Math.floor(((times[i] as number) - origin) / (seconds * 1000));
    const list = slices.get(slice) ?? [];
    list.push(entry);
    slices.set(slice, list);
  });
  const last = Math.max(...slices.keys());
  const buckets: TimelineBucket[] = [];
  for (let slice = 0; slice <= last; slice++) {
    const list = slices.get(slice) ?? [];
    buckets.push({
      start: new Date(origin + slice * seconds * 1000).toISOString(),
      requests: list.length,
      failures: list.filter((entry) => transient(entry.status)).length,
      latencyMs: percentiles(list.map((entry) => entry.latencyMs)),
    });
  }
  return { bucketSeconds: seconds, buckets };
}

function peakPerSecond(times: readonly number[]): number {
  let peak = 0;
  let from = 0;
  for (let to = 0; to < times.length; to++) {
    while ((times[to] as number) - (times[from] as number) >= 1000) from++;
    peak = Math.max(peak, to - from + 1);
  }
  return peak;
}

function percentiles(values: readonly number[]): { p50: number; p95: number; p99: number } {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (p: number): number => {
    if (sorted.length === 0) return 0;
    return Math.round((sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)] as number) * 10) / 10;
  };
  return { p50: at(0.5), p95: at(0.95), p99: at(0.99) };
}

const escapeXml = (text: string): string =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** The report as one HTML page, a row per client, for people. */
export function toHtml(reports: readonly ClientReport[]): string {
  const yesNo = (value: boolean | undefined): string => (value === undefined ? '–' : value ? 'yes' : 'no');
  const rows = reports
    .map((report) =>
      [
        report.clientId,
        String(report.requests),
        report.interactions.join(', '),
        Object.entries(report.errors)
          .map(([status, count]) => `${status}×${count}`)
          .join(' '),
        String(report.retries),
        yesNo(report.backoff),
        `${report.retryAfterHonoured} / ${report.retryAfterViolations}`,
        report.retryStorm ? `yes (${report.peakFailingRps}/s)` : 'no',
        `${report.latencyMs.p50} / ${report.latencyMs.p95} / ${report.latencyMs.p99}`,
      ]
        .map((cell) => `<td>${escapeXml(cell)}</td>`)
        .join(''),
    )
    .map((cells) => `<tr>${cells}</tr>`)
    .join('\n');
  const head = [
    'client',
    'requests',
    'interactions',
    'errors met',
    'retries',
    'back-off',
    'Retry-After honoured / ignored',
    'retry storm',
    'latency p50 / p95 / p99 (ms)',
  ]
    .map((cell) => `<th>${cell}</th>`)
    .join('');
  return `<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title>gpsim client behaviour</title></head><body>\n<h1>Client behaviour</h1>\n<table border="1">\n<tr>${head}</tr>\n${rows}\n</table>\n</body></html>\n`;
}

/** The report as JUnit XML: one suite per client, one case per checklist item, for CI dashboards. */
export function toJunit(reports: readonly ClientReport[]): string {
  const suites = reports.map((report) => {
    const checks: [string, string | undefined, boolean][] = [
      [
        'retries transient errors with back-off',
        report.backoff === false ? 'retry gaps did not grow between consecutive retries' : undefined,
        report.backoff === undefined,
      ],
      [
        'honours Retry-After',
        report.retryAfterViolations > 0
          ? `${report.retryAfterViolations} retries came sooner than Retry-After`
          : undefined,
        report.retryAfterViolations + report.retryAfterHonoured === 0,
      ],
      [
        'retried writes carry their idempotency key (one record)',
        report.duplicateWriteRisks > 0
          ? `${report.duplicateWriteRisks} writes were retried without the failed request's idempotency key`
          : undefined,
        report.duplicateWritesAvoided + report.duplicateWriteRisks === 0,
      ],
      [
        'fails over to the backup node and back',
        report.failover === false
          ? 'kept calling the failing node'
          : report.failback === false
            ? 'failed over but never returned to the primary node'
            : undefined,
        report.failover === undefined,
      ],
      [
        'no retry storm',
        report.retryStorm ? `${report.peakFailingRps} requests in one second while failing` : undefined,
        false,
      ],
      [
        `at most ${MAX_RETRIES} automated retries`,
        report.maxConsecutiveRetries > MAX_RETRIES
          ? `${report.maxConsecutiveRetries} consecutive retries of one request`
          : undefined,
        false,
      ],
    ];
    const failures = checks.filter(([, failure]) => failure !== undefined).length;
    const cases = checks
      .map(([name, failure, skipped]) => {
        const body =
          failure !== undefined
            ? `<failure message="${escapeXml(failure)}"/>`
            : skipped
              ? '<skipped message="not observed"/>'
              : '';
        return `    <testcase classname="${escapeXml(report.clientId)}" name="${escapeXml(name)}">${body}</testcase>`;
      })
      .join('\n');
    return `  <testsuite name="${escapeXml(report.clientId)}" tests="${checks.length}" failures="${failures}">\n${cases}\n  </testsuite>`;
  });
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="gpsim client behaviour">\n${suites.join('\n')}\n</testsuites>\n`;
}
