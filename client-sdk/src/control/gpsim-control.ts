import type { control } from '@gpsim/contracts';
import type { ClientOptions } from '../transport/client-options.js';
import { transportFor } from '../transport/client-options.js';
import type { ResilientTransport } from '../transport/resilient-transport.js';

export interface GpsimControlOptions extends ClientOptions {
  /** Base URL of a running gpsim, e.g. http://127.0.0.1:4100; or several nodes, primary first. */
  baseUrl: string | readonly string[];
}

type Query = Record<string, string | number | boolean | undefined>;

/** What a task list can be filtered by (GET /__sim/tasks). */
export interface TaskQuery extends Query {
  ods?: string;
  status?: string;
}

/** A task in a practice's workflow, as /__sim/tasks shows it. */
export type WorkflowTask = Record<string, unknown> & { id: string; status: string };

/**
 * The /__sim control API, typed from the contracts: what tests use to learn the estate (fixtures),
 * return it to its seed state (reset), move time (clock), break things on purpose (faults,
 * scenarios), and read what happened (journal, audit, report, tasks, mailbox). Errors are
 * GpsimApiError with surface "control".
 */
export class GpsimControl {
  private readonly transport: ResilientTransport;

  constructor(options: GpsimControlOptions) {
    const { baseUrl, ...rest } = options;
    this.transport = transportFor(typeof baseUrl === 'string' ? [baseUrl] : baseUrl, rest);
  }

  health(): Promise<control.Health> {
    return this.get('/__sim/health');
  }

  /**
   * The estate manifest. Estates with more practices than one page list the archetypes and users
   * of one page of practices (see `page` in the answer); `offset` and `limit` pick another page.
   */
  fixtures(page: { offset?: number; limit?: number } = {}): Promise<control.Manifest> {
    return this.get(`/__sim/fixtures${search(page)}`);
  }

  reset(request: control.ResetRequest = {}): Promise<control.ResetResult> {
    return this.post('/__sim/reset', request);
  }

  clock(): Promise<control.ClockState> {
    return this.get('/__sim/clock');
  }

  moveClock(change: control.ClockChange): Promise<control.ClockState> {
    return this.post('/__sim/clock', change);
  }

  journal(
    query: { limit?: number; since?: number | string; surface?: control.SurfaceName; status?: string } = {},
  ): Promise<control.JournalPage> {
    return this.get(`/__sim/journal${search(query)}`);
  }

  /** Who read which record (the audit trail every surface writes). */
  audit(
    query: { nhsNumber?: string; user?: string; surface?: string; since?: number; limit?: number } = {},
  ): Promise<{ events: Record<string, unknown>[] }> {
    return this.get(`/__sim/audit${search(query)}`);
  }

  practices(): Promise<{ practices: control.PracticeSummary[] }> {
    return this.get('/__sim/practices');
  }

  practice(ods: string): Promise<control.PracticeSummary> {
    return this.get(`/__sim/practices/${encodeURIComponent(ods)}`);
  }

  changePractice(ods: string, patch: control.PracticeSettingsPatch): Promise<control.PracticeSummary> {
    return this.send('PATCH', `/__sim/practices/${encodeURIComponent(ods)}`, patch);
  }

  /**
   * Registers a patient at another practice on PDS (PUT /__sim/patients/{nhsNumber}/pds-registration):
   * that organisation may then migrate their record; any other gets 403 NO_RELATIONSHIP.
   */
  registerOnPds(nhsNumber: string, ods: string): Promise<control.PdsRegistration> {
    return this.send('PUT', `/__sim/patients/${encodeURIComponent(nhsNumber)}/pds-registration`, { ods });
  }

  /** Adds a fault rule; its id removes it again. */
  addFault(rule: control.FaultRuleInput): Promise<{ id: string }> {
    return this.post('/__sim/faults', rule);
  }

  faults(): Promise<{ rules: control.FaultRuleView[] }> {
    return this.get('/__sim/faults');
  }

  async removeFault(id: string): Promise<void> {
    await this.send('DELETE', `/__sim/faults/${encodeURIComponent(id)}`);
  }

  clearFaults(): Promise<{ deleted: number }> {
    return this.send('DELETE', '/__sim/faults');
  }

  scenarios(): Promise<{ scenarios: control.ScenarioSummary[] }> {
    return this.get('/__sim/scenarios');
  }

  startScenario(
    name: string,
    overrides: control.ScenarioStartRequest = {},
  ): Promise<{ name: string; startedAt: string; rules: control.FaultRuleView[] }> {
    return this.post(`/__sim/scenarios/${encodeURIComponent(name)}/start`, overrides);
  }

  stopScenarios(): Promise<{ stopped: number }> {
    return this.post('/__sim/scenarios/stop', {});
  }

  /** Per client, how it behaved against the faults it met (JSON). */
  report(): Promise<Record<string, unknown>> {
    return this.get('/__sim/report');
  }

  /** The same report as JUnit XML or HTML, for CI artefacts. */
  async reportDocument(format: 'junit' | 'html'): Promise<string> {
    const response = await this.transport.send({
      method: 'GET',
      path: `/__sim/report?format=${format}`,
      surface: 'control',
    });
    return response.text;
  }

  tasks(query: TaskQuery = {}): Promise<{ tasks: WorkflowTask[] }> {
    return this.get(`/__sim/tasks${search(query)}`);
  }

  task(id: string): Promise<WorkflowTask> {
    return this.get(`/__sim/tasks/${encodeURIComponent(id)}`);
  }

  changeTask(id: string, action: control.TaskAction): Promise<WorkflowTask> {
    return this.post(`/__sim/tasks/${encodeURIComponent(id)}`, action);
  }

  /** Starts an EHR launch: the URL to open the app with (iss and launch). */
  launch(request: control.LaunchRequest): Promise<control.LaunchResult> {
    return this.post('/__sim/launches', request);
  }

  registerClient(client: control.OAuthClient): Promise<control.OAuthClient> {
    return this.post('/__sim/clients', client);
  }

  clients(): Promise<{ clients: control.OAuthClient[] }> {
    return this.get('/__sim/clients');
  }

  /** Internet SystmOne device validation, step 1: a passcode mailed to the user unless already trusted. */
  deviceLogin(login: control.DeviceLogin): Promise<{ status: string }> {
    return this.post('/__sim/devices/login', login);
  }

  /** Step 2: the passcode from the mailbox trusts the device. */
  deviceVerify(verify: control.DeviceVerify): Promise<{ status: 'trusted' }> {
    return this.post('/__sim/devices/verify', verify);
  }

  /** Mail gpsim has "sent" (device passcodes), newest first. */
  mailbox(query: { to?: string; limit?: number } = {}): Promise<{ messages: control.MailMessage[] }> {
    return this.get(`/__sim/mailbox${search(query)}`);
  }

  /** Selects a patient on a SystmOne desktop, as a user would (GetCurrentSelection then sees them). */
  selectSystmOnePatient(
    selection: control.SystmOneSelection,
  ): Promise<{ ods: string; username: string; nhsNumber: string }> {
    return this.post('/__sim/systmone/selection', selection);
  }

  systmOneTcpDesktop(): Promise<Partial<control.SystmOneTcpDesktop>> {
    return this.get('/__sim/systmone/tcp-desktop');
  }

  /** Chooses which practice's desktop the TCP port reaches. */
  setSystmOneTcpDesktop(desktop: control.SystmOneTcpDesktop): Promise<{ ods: string; username: string }> {
    return this.post('/__sim/systmone/tcp-desktop', desktop);
  }

  private get<T>(path: string): Promise<T> {
    return this.transport.json<T>({ method: 'GET', path, surface: 'control' });
  }

  /** Control changes are not retried: a reset or clock move sent twice is not the same as once. */
  private post<T>(path: string, body: unknown): Promise<T> {
    return this.send('POST', path, body);
  }

  private send<T>(method: string, path: string, body?: unknown): Promise<T> {
    return this.transport.json<T>({
      method,
      path,
      surface: 'control',
      ...(body === undefined ? {} : { headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) }),
      idempotent: false,
    });
  }
}

function search(query: Query): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) if (value !== undefined) params.set(name, String(value));
  const text = params.toString();
  return text ? `?${text}` : '';
}
