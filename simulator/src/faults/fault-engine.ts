import { randomUUID } from 'node:crypto';
import type { control } from '@gpsim/contracts';
import type { SimClock } from '../domain/clock';
import { durationMs } from '../domain/durations';
import { SimError } from '../domain/errors';
import type { SpineStatus } from '../domain/spine';
import type { FaultRepository } from '../store/store';
import type { RoutedRequest } from '../transport/types';
import type { FaultRule, StoredFaultRule } from './fault-rule';
import type { RequestPredicate, SystemOf } from './fault-matcher';
import { compileMatch, literalPrefix, odsOf } from './fault-matcher';
import type { SharedLine } from './body-shaping';
import { practiceLinePace } from './practice-line';
import type { FaultPlan, FaultStage } from './fault-plan';
import {
  emptyPlan,
  isSimErrorCode,
  latencyMs,
  maintenanceError,
  paceOf,
  rateLimitHeaders,
  rateLimitedError,
  stageOf,
  statusError,
} from './fault-plan';
import { uniformDraw } from './fault-random';

interface CompiledRule {
  stored: StoredFaultRule;
  stage: FaultStage;
  predicate: RequestPredicate;
  /** The literal start of the rule's path pattern ('' without one): most requests fail this first, cheaply. */
  pathPrefix: string;
  surfaces: ReadonlySet<string> | undefined;
}

export interface AddOptions {
  /** The scenario adding the rule (stopping it removes its rules). */
  scenario?: string;
  /** The instant `start` counts from (a scenario's start); now otherwise. */
  origin?: number;
}

type SleepOutcome = 'elapsed' | 'aborted';

const MAX_RULES = 10_000;
/** How long request counts wait in memory before one batch adds them to the store. */
const COUNT_FLUSH_MS = 100;

/**
 * The fault registry: rules live in the store (every node and a restart see them) and are cached
 * here compiled, indexed by surface, so requests with many inactive rules stay cheap.
 *
 * Precedence when rules overlap: every matching active rule counts the request (its `after`,
 * probability draws and rate-limit quota advance independently of other rules; `times` counts only
 * the requests it actually faulted); then, for
 * each stage — delay (latency), terminal (status, rate-limit, maintenance, timeout, reset) and body
 * (truncate, malformed, dribble, network) — the most recently created rule that fired wins. A
 * terminal fault answers before the handler runs, so no body fault applies to it. `state` rules
 * (spine-down, node-down, token-expiry) change the estate while active instead of one request.
 */
export class FaultEngine {
  private rules: CompiledRule[] = [];
  /** spine-down and node-down rules, kept apart so every request need not scan all rules. */
  private stateRules: CompiledRule[] = [];
  /** Per surface, the rules that can match it, newest first; '*' for rules without a surface. */
  private index = new Map<string, CompiledRule[]>();
  /**
   * The request rules of `index` that are active, valid from `activeValidFrom` until the next instant a
   * rule starts, ends or expires (`activeValidUntil`), so inactive rules cost a request nothing.
   */
  private activeIndex = new Map<string, CompiledRule[]>();
  private activeValidFrom = Number.POSITIVE_INFINITY;
  private activeValidUntil = Number.NEGATIVE_INFINITY;
  /** Counters not yet added to the store, per rule id. */
  private readonly unsaved = new Map<string, { matched: number; hits: number }>();
  private readonly windows = new Map<string, { window: number; count: number }>();
  /** Shared practice lines, by rule and practice. */
  private readonly lines = new Map<string, SharedLine>();
  private nextExpiry = Number.POSITIVE_INFINITY;
  private flushTimer: NodeJS.Timeout | undefined;
  private spineMarked = false;
  /** Pending delays by the millisecond they end at: one timer wakes every request due then. */
  private readonly wakeups = new Map<number, { timer: NodeJS.Timeout; wake: ((outcome: SleepOutcome) => void)[] }>();

  constructor(
    private readonly repository: FaultRepository,
    private readonly clock: SimClock,
    private readonly spine: SpineStatus,
    private readonly nodeNames: () => readonly string[],
    private readonly systemOf: SystemOf,
  ) {}

  async load(): Promise<void> {
    await this.flushCounts();
    this.rebuild(await this.repository.list());
    // Quotas in progress survive other rules coming and going.
    const ids = new Set(this.rules.map(({ stored }) => stored.rule.id));
    for (const id of this.windows.keys()) if (!ids.has(id)) this.windows.delete(id);
  }

  async add(input: control.FaultRuleInput, options: AddOptions = {}): Promise<FaultRule> {
    if (this.rules.length >= MAX_RULES) {
      throw new SimError('invalid-request', `At most ${MAX_RULES} fault rules; DELETE /__sim/faults clears them.`);
    }
    const now = this.clock.now();
    const origin = options.origin ?? now;
    const { fault } = input;
    if (fault.kind === 'status' && fault.code !== undefined && !isSimErrorCode(fault.code)) {
      throw new SimError(
        'invalid-parameter',
        `fault.code must be a gpsim error code such as unavailable or internal.`,
        {
          field: 'fault.code',
        },
      );
    }
    const surfaces = input.match.surface;
    if (surfaces === 'control' || (Array.isArray(surfaces) && surfaces.includes('control'))) {
      throw new SimError(
        'invalid-parameter',
        'The control API is never faulted, so a test can always clear what it set; choose another surface.',
        { field: 'match.surface' },
      );
    }
    if (fault.kind === 'node-down' && !this.nodeNames().includes(fault.node)) {
      throw new SimError(
        'invalid-parameter',
        `fault.node must name a running node: ${this.nodeNames().join(', ') || 's11'}.`,
        { field: 'fault.node' },
      );
    }
    const id = randomUUID();
    const activeFrom = origin + (input.start === undefined ? 0 : durationMs(input.start, origin, 'start'));
    const rule: FaultRule = {
      id,
      match: input.match,
      fault,
      probability: input.probability,
      seed: input.seed ?? id,
      times: input.times,
      after: input.after,
      label: input.label,
      scenario: options.scenario,
      createdAt: now,
      activeFrom,
      activeUntil:
        input.duration === undefined ? undefined : activeFrom + durationMs(input.duration, activeFrom, 'duration'),
      expiresAt: input.ttl === undefined ? undefined : now + durationMs(input.ttl, now, 'ttl'),
    };
    for (const [field, value] of [
      ['start', rule.activeFrom - origin],
      ['duration', (rule.activeUntil ?? activeFrom) - activeFrom],
      ['ttl', (rule.expiresAt ?? now) - now],
    ] as const) {
      if (value < 0) throw new SimError('invalid-parameter', `${field} must not be negative.`, { field });
    }
    await this.repository.insert(rule);
    await this.load();
    return rule;
  }

  /** Every rule with its counters and whether it is active now. */
  list(now: number = this.clock.now()): control.FaultRuleView[] {
    return this.rules.map(({ stored: { rule, matched, hits } }) => ({
      id: rule.id,
      match: rule.match,
      fault: rule.fault,
      ...(rule.probability === undefined ? {} : { probability: rule.probability }),
      seed: rule.seed,
      ...(rule.times === undefined ? {} : { times: rule.times }),
      ...(rule.after === undefined ? {} : { after: rule.after }),
      ...(rule.label === undefined ? {} : { label: rule.label }),
      ...(rule.scenario === undefined ? {} : { scenario: rule.scenario }),
      createdAt: new Date(rule.createdAt).toISOString(),
      activeFrom: new Date(rule.activeFrom).toISOString(),
      ...(rule.activeUntil === undefined ? {} : { activeUntil: new Date(rule.activeUntil).toISOString() }),
      ...(rule.expiresAt === undefined ? {} : { expiresAt: new Date(rule.expiresAt).toISOString() }),
      active: isActive(rule, now) && !exhausted(rule, hits),
      matched,
      hits,
    }));
  }

  async remove(id: string): Promise<boolean> {
    const removed = await this.repository.delete(id);
    await this.load();
    this.syncSpine(this.clock.now());
    return removed;
  }

  async removeScenario(scenario: string): Promise<number> {
    const removed = await this.repository.deleteByScenario(scenario);
    await this.load();
    this.syncSpine(this.clock.now());
    return removed;
  }

  async clear(): Promise<number> {
    const removed = await this.repository.clear();
    await this.load();
    this.syncSpine(this.clock.now());
    return removed;
  }

  /** Drops rules whose TTL has passed and mirrors spine-down rules into the Spine status. Cheap when idle. */
  async tick(now: number): Promise<void> {
    if (this.hasExpired(now)) {
      for (const { stored } of this.rules) {
        if (stored.rule.expiresAt !== undefined && stored.rule.expiresAt <= now)
          await this.repository.delete(stored.rule.id);
      }
      await this.load();
    }
    this.syncSpine(now);
  }

  /** Whether a rule's TTL has passed, so `tick` has rules to drop (the per-request check stays synchronous). */
  hasExpired(now: number): boolean {
    return now >= this.nextExpiry;
  }

  /**
   * The faults for one request: counts it against every matching active rule. Synchronous, so a
   * request no rule can match costs an index lookup; the counts wait in memory for `flushCounts`.
   */
  plan(request: RoutedRequest, now: number): FaultPlan | undefined {
    const candidates = this.activeCandidates(request.surface.name, now);
    if (candidates.length === 0) return undefined;
    let plan: FaultPlan | undefined;
    let ods: string | undefined | null = null;
    let claimed: Set<FaultStage> | undefined;
    for (const compiled of candidates) {
      if (!request.path.startsWith(compiled.pathPrefix)) continue;
      const { rule } = compiled.stored;
      if (ods === null) ods = odsOf(request);
      if (!compiled.predicate(request, ods)) continue;
      const ordinal = this.fires(compiled);
      let hit = false;
      if (ordinal !== undefined) {
        plan ??= emptyPlan();
        hit = this.contribute(plan, compiled, ordinal, now, claimed?.has(compiled.stage) === true, ods);
        if (hit) {
          (claimed ??= new Set()).add(compiled.stage);
          compiled.stored.hits++;
        }
      }
      const counted = this.unsaved.get(rule.id) ?? { matched: 0, hits: 0 };
      counted.matched++;
      if (hit) counted.hits++;
      this.unsaved.set(rule.id, counted);
      this.scheduleFlush();
    }
    return plan;
  }

  /**
   * Counts reach the store in one batch per interval rather than one write per request, so an active
   * rule costs a faulted request no store write; this process's listing reads the live counters.
   */
  private scheduleFlush(): void {
    if (this.flushTimer !== undefined) return;
    this.flushTimer = setTimeout(() => {
      this.flushTimer = undefined;
      this.flushCounts().catch(() => {
        // The store is closing; the counters only matter while it is open.
      });
    }, COUNT_FLUSH_MS);
    this.flushTimer.unref();
  }

  /** Adds the counters gathered since the last flush to the store. */
  async flushCounts(): Promise<void> {
    clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    const counts = [...this.unsaved.entries()];
    this.unsaved.clear();
    for (const [id, { matched, hits }] of counts) await this.repository.count(id, matched, hits);
  }

  /** Whether a node-down rule takes this node out now (the listener refuses its connections). */
  /**
   * True while a hscn-unreachable rule covers the practice (its match's ods and system; the rest of a
   * match describes requests, and this is the practice's network, not a request).
   */
  isHscnUnreachable(ods: string, system: string, now: number = this.clock.now()): boolean {
    for (const { stored } of this.stateRules) {
      const { rule } = stored;
      if (rule.fault.kind !== 'hscn-unreachable' || !isActive(rule, now)) continue;
      if (rule.match.system !== undefined && rule.match.system !== system) continue;
      const odsCodes = rule.match.ods === undefined ? undefined : [rule.match.ods].flat();
      if (odsCodes === undefined || odsCodes.some((code) => code.toUpperCase() === ods.toUpperCase())) return true;
    }
    return false;
  }

  isNodeDown(node: string, now: number = this.clock.now()): boolean {
    for (const { stored } of this.stateRules) {
      const { fault } = stored.rule;
      if (fault.kind === 'node-down' && fault.node === node && isActive(stored.rule, now)) return true;
    }
    return false;
  }

  /**
   * The hook for the authorisation face: true when an active token-expiry rule matches this
   * request, so the surface must treat the caller's token as expired (401) although it is valid.
   */
  async tokenExpired(request: RoutedRequest, now: number = this.clock.now()): Promise<boolean> {
    const ods = odsOf(request);
    for (const compiled of this.candidates(request.surface.name)) {
      const { rule } = compiled.stored;
      if (rule.fault.kind !== 'token-expiry' || !isActive(rule, now) || !compiled.predicate(request, ods)) continue;
      const hit = this.fires(compiled) !== undefined;
      if (hit) compiled.stored.hits++;
      await this.repository.count(rule.id, 1, hit ? 1 : 0);
      if (hit) return true;
    }
    return false;
  }

  /**
   * A delay on a timer: holds no worker, and shutdown can cut it short. Delays ending in the same
   * millisecond share one timer, so a burst of delayed requests keeps a few timers alive rather than
   * one each (less for the garbage collector to carry while they wait). A deadline is the delay's
   * own end rounded up to a whole millisecond.
   */
  sleep(ms: number): Promise<SleepOutcome> {
    const now = performance.now();
    const due = Math.ceil(now + ms);
    let wakeup = this.wakeups.get(due);
    if (wakeup === undefined) {
      const timer = setTimeout(() => this.wake(due, 'elapsed'), due - Math.floor(now));
      wakeup = { timer, wake: [] };
      this.wakeups.set(due, wakeup);
    }
    const { wake } = wakeup;
    return new Promise((resolve) => wake.push(resolve));
  }

  private wake(due: number, outcome: SleepOutcome): void {
    const wakeup = this.wakeups.get(due);
    if (wakeup === undefined) return;
    this.wakeups.delete(due);
    clearTimeout(wakeup.timer);
    for (const resolve of wakeup.wake) resolve(outcome);
  }

  /** Ends every pending delay (the requests are reset), so shutdown never waits for a fault. */
  shutdown(): void {
    clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    for (const due of [...this.wakeups.keys()]) this.wake(due, 'aborted');
  }

  /** Counts a matching request; returns its ordinal when the rule fires (after, times, probability). */
  private fires(compiled: CompiledRule): number | undefined {
    const { stored } = compiled;
    const { rule } = stored;
    const ordinal = stored.matched++;
    if (rule.after !== undefined && ordinal < rule.after) return undefined;
    if (exhausted(rule, stored.hits)) return undefined;
    if (rule.probability !== undefined && uniformDraw(rule.seed, ordinal, 'decision') >= rule.probability)
      return undefined;
    return ordinal;
  }

  /** Fills the rule's stage of the plan unless a newer rule already did; true when it faulted. */
  private contribute(
    plan: FaultPlan,
    compiled: CompiledRule,
    ordinal: number,
    now: number,
    taken: boolean,
    ods: string | undefined,
  ): boolean {
    const { rule } = compiled.stored;
    const origin = `gpsim fault rule ${rule.id}; DELETE /__sim/faults/${rule.id} removes it`;
    const fault = rule.fault;
    switch (fault.kind) {
      case 'latency':
        if (taken) return false;
        plan.delayMs += latencyMs(fault, rule.seed, ordinal);
        return true;
      case 'rate-limit': {
        const windowMs = fault.windowS * 1000;
        const window = Math.floor(now / windowMs);
        const state = this.windows.get(rule.id);
        const count = state && state.window === window ? state.count + 1 : 1;
        this.windows.set(rule.id, { window, count });
        const resetS = Math.max(1, Math.ceil(((window + 1) * windowMs - now) / 1000));
        if (count <= fault.limit) {
          Object.assign(plan.headers, rateLimitHeaders(fault.limit, fault.limit - count, resetS));
          return false;
        }
        if (taken) return false;
        plan.terminal = { kind: 'error', error: rateLimitedError(fault.limit, fault.windowS, resetS, origin) };
        return true;
      }
      case 'status':
      case 'maintenance':
      case 'timeout':
      case 'reset':
        if (taken) return false;
        plan.terminal =
          fault.kind === 'status'
            ? { kind: 'error', error: statusError(fault, origin) }
            : fault.kind === 'maintenance'
              ? { kind: 'error', error: maintenanceError(fault.retryAfterS ?? windowLeftS(rule, now), origin) }
              : { kind: fault.kind === 'timeout' ? 'hang' : 'reset' };
        return true;
      case 'truncate':
      case 'malformed':
        if (taken) return false;
        plan.body = fault.kind === 'truncate' ? { kind: 'truncate', fraction: fault.fraction } : { kind: 'malformed' };
        return true;
      case 'dribble':
      case 'network': {
        if (taken) return false;
        const { pace, delayMs, replyFloorMs } = paceOf(fault);
        plan.body = { kind: 'pace', pace };
        plan.delayMs += delayMs;
        if (replyFloorMs > 0) plan.replyFloorMs = replyFloorMs;
        return true;
      }
      case 'practice-line': {
        if (taken) return false;
        plan.body = { kind: 'pace', pace: practiceLinePace(this.lines, rule.id, ods, fault) };
        return true;
      }
      case 'node-down':
      case 'spine-down':
      case 'hscn-unreachable':
      case 'token-expiry':
        return false;
    }
  }

  private candidates(surface: string): readonly CompiledRule[] {
    return this.index.get(surface) ?? this.index.get('*') ?? [];
  }

  /** The active request rules for a surface, newest first; recomputed only when a rule's window opens or closes. */
  private activeCandidates(surface: string, now: number): readonly CompiledRule[] {
    if (now < this.activeValidFrom || now >= this.activeValidUntil) this.refreshActive(now);
    return this.activeIndex.get(surface) ?? this.activeIndex.get('*') ?? [];
  }

  private refreshActive(now: number): void {
    const active = new Map<string, CompiledRule[]>();
    for (const [surface, rules] of this.index) {
      active.set(
        surface,
        rules.filter((compiled) => compiled.stage !== 'state' && isActive(compiled.stored.rule, now)),
      );
    }
    let until = Number.POSITIVE_INFINITY;
    for (const { stored } of this.rules) {
      for (const edge of [stored.rule.activeFrom, stored.rule.activeUntil, stored.rule.expiresAt]) {
        if (edge !== undefined && edge > now && edge < until) until = edge;
      }
    }
    this.activeIndex = active;
    this.activeValidFrom = now;
    this.activeValidUntil = until;
  }

  /** Mirrors active spine-down rules into the Spine status. */
  syncSpine(now: number): void {
    const down = this.stateRules.some(
      ({ stored }) => stored.rule.fault.kind === 'spine-down' && isActive(stored.rule, now),
    );
    if (down) {
      this.spine.markUnavailable('a spine-down fault is active (DELETE /__sim/faults ends it)');
      this.spineMarked = true;
    } else if (this.spineMarked) {
      this.spine.markAvailable();
      this.spineMarked = false;
    }
  }

  private rebuild(stored: StoredFaultRule[]): void {
    this.rules = stored.map((entry) => {
      const surfaces = entry.rule.match.surface;
      return {
        stored: entry,
        stage: stageOf(entry.rule.fault.kind),
        predicate: compileMatch(entry.rule.match, this.systemOf),
        pathPrefix: entry.rule.match.path === undefined ? '' : literalPrefix(entry.rule.match.path),
        surfaces: surfaces === undefined ? undefined : new Set(typeof surfaces === 'string' ? [surfaces] : surfaces),
      };
    });
    this.stateRules = this.rules.filter((rule) => rule.stage === 'state');
    const newestFirst = [...this.rules].reverse();
    const index = new Map<string, CompiledRule[]>();
    index.set(
      '*',
      newestFirst.filter((rule) => rule.surfaces === undefined),
    );
    const named = new Set(newestFirst.flatMap((rule) => [...(rule.surfaces ?? [])]));
    for (const surface of named) {
      index.set(
        surface,
        newestFirst.filter((rule) => rule.surfaces === undefined || rule.surfaces.has(surface)),
      );
    }
    this.index = index;
    // Recomputed on the next request: the rule set changed.
    this.activeValidFrom = Number.POSITIVE_INFINITY;
    this.activeValidUntil = Number.NEGATIVE_INFINITY;
    this.nextExpiry = Math.min(
      Number.POSITIVE_INFINITY,
      ...this.rules.map(({ stored }) => stored.rule.expiresAt ?? Number.POSITIVE_INFINITY),
    );
  }
}

function isActive(rule: FaultRule, now: number): boolean {
  return (
    now >= rule.activeFrom &&
    (rule.activeUntil === undefined || now < rule.activeUntil) &&
    (rule.expiresAt === undefined || now < rule.expiresAt)
  );
}

function exhausted(rule: FaultRule, hits: number): boolean {
  return rule.times !== undefined && hits >= rule.times;
}

/** What is left of a rule's window, in whole seconds (at least 1), for Retry-After. */
function windowLeftS(rule: FaultRule, now: number): number {
  const end = rule.activeUntil ?? rule.expiresAt;
  return end === undefined ? 60 : Math.max(1, Math.ceil((end - now) / 1000));
}
