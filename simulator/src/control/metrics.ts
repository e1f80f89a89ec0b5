import type { IntervalHistogram } from 'node:perf_hooks';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import * as prometheus from 'prom-client';
import type { FaultEngine } from '../faults/fault-engine';
import type { Population } from '../population/population';
import type { Middleware } from '../transport/types';
import type { Journal } from './journal';

/** Seconds; GP Connect reads answer in milliseconds, injected faults and large records in seconds. */
const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
/**
 * Distinct practices, clients and interactions kept as label values; the rest count under "other",
 * so a load test over an England-scale estate (or a client inventing headers) cannot grow the series
 * without bound.
 */
const MAX_LABEL_VALUES = 500;
const OTHER = 'other';
const NONE = '';

export interface MetricsSources {
  journal: Journal;
  faults: FaultEngine;
  population: () => Population;
}

interface RequestCount {
  labels: string;
  count: number;
}

interface LatencySeries {
  labels: string;
  /** Observations per bucket (not cumulative; the exposition accumulates them). */
  buckets: number[];
  sum: number;
  count: number;
}

/** A label value escaped for the Prometheus text format. */
function escapeLabel(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

function labelText(labels: Record<string, string>): string {
  return Object.entries(labels)
    .map(([name, value]) => `${name}="${escapeLabel(value)}"`)
    .join(',');
}

/**
 * gpsim's Prometheus metrics (GET /__sim/metrics): traffic by surface, interaction, practice and
 * client, fault rules and their hits, cache and journal sizes, and event-loop lag. The per-request
 * series are plain counters in Maps written out at scrape time (prom-client's labelled observe
 * hashes its labels on every call, which cost a GP Connect read about half as much as serialising
 * its body); the estate gauges are prom-client's, computed when scraped.
 */
export class GpsimMetrics {
  readonly registry = new prometheus.Registry();
  private readonly requests = new Map<string, RequestCount>();
  private readonly errors = new Map<string, RequestCount>();
  private readonly latency = new Map<string, LatencySeries>();
  private readonly practices = new Set<string>();
  private readonly clients = new Set<string>();
  private readonly interactions = new Set<string>();
  private loopDelay: IntervalHistogram | undefined;

  constructor(private readonly sources: MetricsSources) {
    const registers = [this.registry];
    const faultRules = new prometheus.Gauge({
      name: 'gpsim_fault_rules',
      help: 'Fault rules in the store, by whether they are active now.',
      labelNames: ['active'],
      registers,
      collect: () => {
        const rules = this.sources.faults.list();
        const active = rules.filter((rule) => rule.active).length;
        faultRules.set({ active: 'true' }, active);
        faultRules.set({ active: 'false' }, rules.length - active);
      },
    });
    const faultHits = new prometheus.Gauge({
      name: 'gpsim_fault_rule_hits',
      help: 'Requests each fault rule has faulted (its hits), by rule id, fault kind and scenario.',
      labelNames: ['rule', 'kind', 'scenario'],
      registers,
      collect: () => {
        faultHits.reset();
        for (const rule of this.sources.faults.list()) {
          faultHits.set({ rule: rule.id, kind: rule.fault.kind, scenario: rule.scenario ?? NONE }, rule.hits);
        }
      },
    });
    const cacheEntries = new prometheus.Gauge({
      name: 'gpsim_cache_entries',
      help: 'Entries held by the bounded caches of computed patients, records and practice staff lists, and by the request journal.',
      labelNames: ['cache'],
      registers,
      collect: () => {
        const sizes = this.sources.population().cacheSizes();
        cacheEntries.set({ cache: 'patients' }, sizes.patients);
        cacheEntries.set({ cache: 'records' }, sizes.records);
        cacheEntries.set({ cache: 'staff' }, sizes.staffPractices);
        cacheEntries.set({ cache: 'journal' }, this.sources.journal.size);
      },
    });
    const estatePatients = new prometheus.Gauge({
      name: 'gpsim_estate_patients',
      help: 'Patients in the computed estate (none of them stored: patient i of practice p is computed on demand).',
      registers,
      collect: () => {
        const population = this.sources.population();
        estatePatients.set(population.practices.reduce((sum, practice) => sum + practice.listSize, 0));
      },
    });
    const memory = new prometheus.Gauge({
      name: 'gpsim_process_memory_bytes',
      help: 'Memory of this gpsim process: resident set and V8 heap used.',
      labelNames: ['kind'],
      registers,
      collect: () => {
        const usage = process.memoryUsage();
        memory.set({ kind: 'rss' }, usage.rss);
        memory.set({ kind: 'heap_used' }, usage.heapUsed);
      },
    });
    const lag = new prometheus.Gauge({
      name: 'gpsim_event_loop_lag_seconds',
      help: 'Event-loop delay since the previous scrape (sampled every 20 ms from the first scrape on): mean, p99 and max.',
      labelNames: ['stat'],
      registers,
      collect: () => {
        const histogram = this.eventLoopDelay();
        // An unsampled histogram reports NaN means; report zero until it has data.
        const seconds = (ns: number) => (Number.isFinite(ns) ? ns / 1e9 : 0);
        lag.set({ stat: 'mean' }, seconds(histogram.mean));
        lag.set({ stat: 'p99' }, seconds(histogram.percentile(99)));
        lag.set({ stat: 'max' }, seconds(histogram.max));
        histogram.reset();
      },
    });
  }

  /** Counts every request the dispatcher answers; placed first so its time includes every middleware. */
  middleware(): Middleware {
    return async (request, next) => {
      const started = performance.now();
      const response = await next();
      const seconds = (performance.now() - started) / 1000;
      const surface = request.surface.name;
      const interaction = this.bounded(
        this.interactions,
        request.annotations.interaction ?? request.headers['ssp-interactionid'],
      );
      const practice = this.bounded(this.practices, request.annotations.ods ?? request.params['ods']);
      const client = this.bounded(this.clients, request.annotations.clientId ?? request.headers['x-client-id']);
      const status = response.status;
      const statusClass = `${Math.floor(status / 100)}xx`;
      const route = `${surface}\u0000${interaction}`;
      const who = `${route}\u0000${practice}\u0000${client}`;
      count(this.requests, `${who}\u0000${statusClass}`, () =>
        labelText({ surface, interaction, practice, client, status_class: statusClass }),
      );
      if (status >= 400 || status === 0) {
        count(this.errors, `${who}\u0000${status}`, () =>
          labelText({ surface, interaction, practice, client, status: `${status}` }),
        );
      }
      let latency = this.latency.get(route);
      if (latency === undefined) {
        latency = {
          labels: labelText({ surface, interaction }),
          buckets: new Array<number>(LATENCY_BUCKETS.length + 1).fill(0),
          sum: 0,
          count: 0,
        };
        this.latency.set(route, latency);
      }
      let bucket = 0;
      while (bucket < LATENCY_BUCKETS.length && seconds > (LATENCY_BUCKETS[bucket] as number)) bucket++;
      latency.buckets[bucket] = (latency.buckets[bucket] ?? 0) + 1;
      latency.sum += seconds;
      latency.count++;
      return response;
    };
  }

  /** The Prometheus text exposition of every metric. */
  async render(): Promise<{ contentType: string; text: string }> {
    return { contentType: this.registry.contentType, text: `${this.requestText()}${await this.registry.metrics()}` };
  }

  private requestText(): string {
    const lines = [
      '# HELP gpsim_requests_total Requests answered, by surface, interaction, practice (ODS), client and status class.',
      '# TYPE gpsim_requests_total counter',
      ...[...this.requests.values()].map(({ labels, count }) => `gpsim_requests_total{${labels}} ${count}`),
      '# HELP gpsim_request_errors_total Requests answered with a 4xx or 5xx status (or no answer, status 0, from a reset or timeout fault).',
      '# TYPE gpsim_request_errors_total counter',
      ...[...this.errors.values()].map(({ labels, count }) => `gpsim_request_errors_total{${labels}} ${count}`),
      '# HELP gpsim_request_duration_seconds Time from routing a request to its response, injected delays included, by surface and interaction.',
      '# TYPE gpsim_request_duration_seconds histogram',
    ];
    for (const { labels, buckets, sum, count } of this.latency.values()) {
      let cumulative = 0;
      LATENCY_BUCKETS.forEach((bound, index) => {
        cumulative += buckets[index] ?? 0;
        lines.push(`gpsim_request_duration_seconds_bucket{${labels},le="${bound}"} ${cumulative}`);
      });
      lines.push(`gpsim_request_duration_seconds_bucket{${labels},le="+Inf"} ${count}`);
      lines.push(`gpsim_request_duration_seconds_sum{${labels}} ${sum}`);
      lines.push(`gpsim_request_duration_seconds_count{${labels}} ${count}`);
    }
    return `${lines.join('\n')}\n\n`;
  }

  /** Stops sampling the event loop (when gpsim closes). */
  stop(): void {
    this.loopDelay?.disable();
  }

  private eventLoopDelay(): IntervalHistogram {
    if (this.loopDelay === undefined) {
      this.loopDelay = monitorEventLoopDelay({ resolution: 20 });
      this.loopDelay.enable();
    }
    return this.loopDelay;
  }

  private bounded(seen: Set<string>, value: string | undefined): string {
    if (value === undefined || value === '') return NONE;
    if (seen.has(value)) return value;
    if (seen.size >= MAX_LABEL_VALUES) return OTHER;
    seen.add(value);
    return value;
  }
}

/** Adds one to a series, creating it (and its label text) on first use. */
function count(series: Map<string, RequestCount>, key: string, labels: () => string): void {
  const found = series.get(key);
  if (found) found.count++;
  else series.set(key, { labels: labels(), count: 1 });
}
