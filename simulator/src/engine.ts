import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { Journal } from './control/journal';
import type { JournalEntry, JournalQuery } from './control/journal';
import { SharedJournal } from './control/shared-journal';
import type { AuditEvent, AuditQuery, StoredAuditEvent } from './domain/audit';
import type { ClockState } from './domain/clock';
import { SimClock } from './domain/clock';
import { MeshService } from './domain/mesh/mesh-service';
import { PatientRecords } from './domain/patient-records';
import { IdempotentReplies } from './domain/idempotent-replies';
import { PracticeSettingsService } from './domain/practice-settings';
import { PdsRegistrations } from './domain/pds-registration';
import { RecordWriter } from './domain/record-writes';

import type { LaunchOptions } from './domain/identity/auth-service';
import { AuthService } from './domain/identity/auth-service';
import { DeviceTrust } from './domain/identity/device-trust';
import { Mailbox } from './domain/mailbox';
import { SpineStatus } from './domain/spine';
import { TaskService } from './domain/task-service';
import { WebhookService } from './domain/webhooks';
import { WorkflowActor } from './domain/workflow-actor';

import { FaultEngine } from './faults/fault-engine';
import type { EnvironmentProfile } from './environment/environment-profile';
import { environmentProfile } from './environment/environment-profile';
import type { EstateSpec } from './population/estate-generator';
import { Population } from './population/population';
import { GpsimMetrics } from './control/metrics';
import type { StoreChange } from './store/change-feed';
import { AuditBuffer } from './store/audit-buffer';
import { PublishingFaultRepository } from './store/publishing-fault-repository';
import type { Store } from './store/store';

export interface EngineOptions {
  estate: EstateSpec;
  store: Store;
  logger: Logger;
  version: string;
  journalCapacity: number;
  patientCacheSize: number;
  recordCacheSize: number;
  clock?: SimClock;
  /** Run the auto-actor, filing workflow items after this simulated delay (ISO 8601 duration). */
  workflowActorDelay?: string;

  /** Journal every request in the store too, since other processes serve the same estate (--workers, postgres). */
  sharedJournal?: boolean;

  /** Context launch switches (--launch-lenient, --launch-auto-approve). */
  launch?: LaunchOptions;
  /** --strict: exact checks where real providers are lenient (GP Connect JWT aud). */
  strict?: boolean;
  /** --check-responses: answers are checked against the published contracts (implied by strict). */
  checkResponses?: boolean;

  /** sandbox (default) or integration (--profile). */
  environment?: EnvironmentProfile;
}

export interface NodeAddress {
  name: string;
  url: string;
}

const CLOCK_SETTING = 'clock';

/**
 * The simulator's state in one place: the computed population, the store of changes, the clock
 * and the journal. Every surface reads it at request time (a reset may swap the population), and
 * nothing here knows about HTTP.
 */
export class Engine {
  population: Population;
  readonly store: Store;
  readonly clock: SimClock;
  /** The requests this process served. */
  readonly journal: Journal;
  /** The requests every process over the store served, when several share it. */
  readonly sharedJournal: SharedJournal | undefined;
  readonly logger: Logger;
  /** --strict: exact checks where real providers are lenient. */
  readonly strict: boolean;
  /** Answers are checked against the published contracts; drift becomes a loud 500. */
  readonly checkResponses: boolean;
  readonly records: PatientRecords;
  /** Partner write-back (SystmOne UpdatePatientRecord, EMIS FileRecord). */
  readonly recordWriter: RecordWriter;
  /** First-result-wins replies for retried partner writes. */
  readonly idempotentReplies: IdempotentReplies;
  readonly practiceSettings: PracticeSettingsService;
  readonly pdsRegistrations: PdsRegistrations;
  readonly tasks: TaskService;
  readonly mesh: MeshService;
  /** Files workflow items on the practice's behalf, when `--workflow-actor auto`. */
  readonly workflowActor: WorkflowActor | undefined;
  readonly webhooks: WebhookService;
  readonly spine = new SpineStatus();
  /** Fault rules (in the store) and their per-request decisions. */
  readonly faults: FaultEngine;
  /** Prometheus metrics of the traffic and the estate (GET /__sim/metrics). */
  readonly metrics: GpsimMetrics;
  readonly environment: EnvironmentProfile;

  /** The authorisation server's rules: clients, launches, codes, tokens, signing keys. */
  readonly auth: AuthService;
  /** Email the simulated systems send (device passcodes), readable at /__sim/mailbox. */
  readonly mailbox: Mailbox;
  /** Internet SystmOne two-factor device trust. */
  readonly devices: DeviceTrust;
  readonly version: string;
  readonly startedAt = Date.now();
  /** Public base URLs of the nodes; set once the listeners know their ports. */
  nodes: NodeAddress[] = [];
  /** The SystmOne Client Integration TCP port once it listens. */
  systmOneTcpPort: number | undefined;
  private readonly populationOptions: { patientCacheSize: number; recordCacheSize: number };
  private readonly auditBuffer: AuditBuffer;
  private unsubscribe: (() => void) | undefined;
  /** Changes from other processes apply one at a time, in the order they arrived. */
  private applying: Promise<void> = Promise.resolve();

  constructor(options: EngineOptions) {
    this.populationOptions = { patientCacheSize: options.patientCacheSize, recordCacheSize: options.recordCacheSize };
    this.population = new Population(options.estate, this.populationOptions);
    this.store = options.store;
    this.clock = options.clock ?? new SimClock();
    this.journal = new Journal(options.journalCapacity);
    this.logger = options.logger;
    this.auditBuffer = new AuditBuffer(this.store.audit, this.logger);
    this.sharedJournal = options.sharedJournal
      ? new SharedJournal(this.journal, this.store.journal, this.logger)
      : undefined;
    this.strict = options.strict ?? false;
    this.checkResponses = this.strict || (options.checkResponses ?? false);

    this.environment = options.environment ?? environmentProfile('sandbox');
    this.version = options.version;
    this.records = new PatientRecords(() => this.population, this.store.records);
    this.idempotentReplies = new IdempotentReplies(this.store.settings);
    this.recordWriter = new RecordWriter(this.store.records, this.clock, () => this.population.estate.ids);
    this.practiceSettings = new PracticeSettingsService(this.store.settings, this.store.changes);
    this.pdsRegistrations = new PdsRegistrations(this.store.settings);
    this.tasks = new TaskService(this.store.tasks, this.clock, () => randomUUID());
    this.mesh = new MeshService(() => this.population, this.store.mesh, this.clock, this.tasks, this.store.records);
    this.webhooks = new WebhookService(this.store.subscriptions, this.clock, this.tasks, this.logger);
    this.workflowActor =
      options.workflowActorDelay === undefined
        ? undefined
        : new WorkflowActor(this.tasks, this.clock, options.workflowActorDelay);

    this.faults = new FaultEngine(
      new PublishingFaultRepository(this.store.faults, this.store.changes),
      this.clock,
      this.spine,
      () => this.nodes.map((node) => node.name),
      (ods) => this.population.practice(ods)?.system,
    );

    this.metrics = new GpsimMetrics({
      journal: this.journal,
      faults: this.faults,
      population: () => this.population,
    });

    this.mailbox = new Mailbox(this.clock);
    this.devices = new DeviceTrust(this.clock, this.mailbox, (event) => this.audit(event));
    this.auth = new AuthService({
      clock: this.clock,
      population: () => this.population,
      baseUrl: () => this.baseUrl,
      settings: this.store.settings,
      options: options.launch ?? { lenient: false, autoApprove: false },
    });
  }

  /**
   * Restores shared state (the clock, fault rules, signing keys) from the store, e.g. after a
   * restart, and from then on follows the changes other processes over the same store announce.
   */
  async load(): Promise<void> {
    await this.loadClock();
    await this.faults.load();
    await this.faults.tick(this.clock.now());

    await this.auth.load();
    this.unsubscribe ??= this.store.changes.subscribe((change) => {
      this.applying = this.applying.then(() =>
        this.applyChange(change).catch((error: unknown) =>
          this.logger.error({ err: error, change }, 'could not apply a change made by another gpsim process'),
        ),
      );
    });
  }

  /** Stops following other processes' changes and writes what the journal and the audit buffer hold (before the store closes). */
  async release(): Promise<void> {
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    await this.sharedJournal?.flush();
    await this.auditBuffer.flush();
  }

  /** Journal entries: every process's when several share the store, else this process's. */
  async journalEntries(query: JournalQuery): Promise<JournalEntry[]> {
    return this.sharedJournal ? this.sharedJournal.list(query) : this.journal.list(query);
  }

  async journalLastSeq(): Promise<number> {
    return this.sharedJournal ? this.sharedJournal.lastSeq() : this.journal.lastSeq;
  }

  async saveClock(): Promise<void> {
    await this.store.settings.put(CLOCK_SETTING, this.clock.getState());
    await this.store.changes.publish({ kind: 'clock' });
  }

  /** Back to the seed state: changes dropped, clock back to wall time; optionally a new seed. */
  async reset(seed?: string): Promise<void> {
    await this.store.reset();
    await this.auth.reset();
    await this.forgetChanges(seed);
    await this.store.changes.publish(seed === undefined ? { kind: 'reset' } : { kind: 'reset', seed });
  }

  /** Another process over the store changed shared state: bring what this one caches in line. */
  private async applyChange(change: StoreChange): Promise<void> {
    switch (change.kind) {
      case 'faults':
        await this.faults.load();
        return;
      case 'clock':
        await this.loadClock();
        await this.faults.tick(this.clock.now());
        return;
      case 'reset':
        // The store is already empty; only this process's memory and its copy of the keys follow.
        this.auth.forgetFlows();
        await this.auth.load();
        await this.forgetChanges(change.seed);
        return;
      case 'practice-settings':
        this.practiceSettings.forget(change.ods);
        return;
    }
  }

  private async loadClock(): Promise<void> {
    const clock = await this.store.settings.get<ClockState>(CLOCK_SETTING);
    if (clock) this.clock.setState(clock);
  }

  /** Drops what this process holds in memory about changes, after the store dropped its own. */
  private async forgetChanges(seed: string | undefined): Promise<void> {
    this.practiceSettings.forget();
    this.mailbox.clear();
    this.devices.clear();
    this.clock.reset();
    // The store dropped every fault rule; the registry (and a Spine they had taken down) follow.
    await this.faults.load();
    await this.faults.tick(this.clock.now());
    const spec = this.population.estate.spec;
    this.population = new Population(seed === undefined ? spec : { ...spec, seed }, this.populationOptions);
  }

  /** The URL of the primary node (s11): what clients are told to use. */
  get baseUrl(): string {
    return this.nodes[0]?.url ?? 'http://127.0.0.1:4100';
  }

  /** Puts an access on the audit trail; it reaches the store within 10 ms (see AuditBuffer). */
  async audit(event: Omit<AuditEvent, 'time'>): Promise<void> {
    await this.auditBuffer.record({ ...event, time: this.clock.nowDate().toISOString() });
  }

  /** The audit trail, including the events still waiting to be written. */
  async auditEvents(query: AuditQuery): Promise<StoredAuditEvent[]> {
    return this.auditBuffer.query(query);
  }

  get uptimeS(): number {
    return (Date.now() - this.startedAt) / 1000;
  }
}
