import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import type { EnvironmentProfileName } from '../environment/environment-profile';
import { DEFAULT_ESTATE_SPEC, MAX_PATIENTS_PER_PRACTICE } from '../population/estate-generator';

/**
 * Every setting gpsim has, in one table: its CLI flag, its environment twin, its YAML key (the
 * option name) and its default. Precedence: flag, then environment, then --config file, then default.
 */
export interface GpsimOptions {
  host: string;
  port: number;
  /** The s12 backup node's port; null runs without a backup node. */
  backupPort: number | null;
  /** The SystmOne Client Integration TCP port; null disables the listener. */
  tcpPort: number | null;
  dataDir: string;
  store: string;
  /** HTTP worker processes over the one store (node:cluster); 1 runs everything in this process. */
  workers: number;
  seed: string;
  practices: number;
  patientsPerPractice: number;
  populationDate: string;
  journalCap: number;
  patientCache: number;
  recordCache: number;
  logLevel: string;
  /** The URL clients should use (behind a proxy or in a container); derived from host and port if unset. */
  publicUrl: string | undefined;
  /** `manual`: staff act through the control API; `auto`: the auto-actor files items after workflowActorDelay. */
  workflowActor: 'manual' | 'auto';
  /** Simulated time (ISO 8601 duration) the auto-actor waits before filing an item. */
  workflowActorDelay: string;

  /** Accept unregistered public OAuth clients with any redirect URI (a local sandbox's habit). */
  launchLenient: boolean;
  /** Approve every OAuth authorize request without the login and consent page (unattended CI). */
  launchAutoApprove: boolean;
  /** Checks a real provider may relax made exact, e.g. the GP Connect JWT aud against the service root. */
  strict: boolean;
  /** Check every JSON answer against the published contracts (on under --strict and in gpsim's own tests). */
  checkResponses: boolean;
  /** sandbox forgives; integration rehearses the supplier's path-to-live environment. */
  profile: EnvironmentProfileName;
  /** Requests per second per application under the integration profile. */
  rateLimit: number;
  /** Source addresses partner APIs accept under the integration profile. */
  partnerAllowList: string[];
  /** Token the control API requires when gpsim listens beyond loopback; generated if unset there. */
  adminToken: string | undefined;
  /** Requests per second one client address may send (0: no limit). */
  clientRateLimit: number;
  /** Largest request head (request line and headers) accepted, in bytes. */
  maxHeaderBytes: number;
}

export interface OptionSpec<K extends keyof GpsimOptions = keyof GpsimOptions> {
  key: K;
  flag: string;
  env: string;
  description: string;
  defaultValue: GpsimOptions[K];
  parse: (text: string) => GpsimOptions[K];
}

export class OptionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OptionError';
  }
}

function integer(name: string, min: number, max: number): (text: string) => number {
  return (text) => {
    const value = Number(text);
    if (!/^-?\d+$/.test(text.trim()) || value < min || value > max) {
      throw new OptionError(`${name} must be a whole number from ${min} to ${max} (got "${text}").`);
    }
    return value;
  };
}

function port(name: string): (text: string) => number {
  return integer(name, 0, 65535);
}

/** A port, or "none"/"off" to disable the listener. */
function optionalPort(name: string): (text: string) => number | null {
  return (text) => (['none', 'off', 'false'].includes(text.trim().toLowerCase()) ? null : port(name)(text));
}

function nonEmpty(name: string): (text: string) => string {
  return (text) => {
    if (text.trim() === '') throw new OptionError(`${name} must not be empty.`);
    return text;
  };
}

/** A switch: given alone on the command line it is on; otherwise true/false, on/off, yes/no, 1/0. */
function boolean(name: string): (text: string) => boolean {
  return (text) => {
    const value = String(text).trim().toLowerCase();
    if (['true', 'on', 'yes', '1'].includes(value)) return true;
    if (['false', 'off', 'no', '0'].includes(value)) return false;
    throw new OptionError(`${name} must be true or false (got "${text}").`);
  };
}

function option<K extends keyof GpsimOptions>(spec: OptionSpec<K>): OptionSpec<K> {
  return spec;
}

export const optionSpecs = [
  option({
    key: 'host',
    flag: '--host <host>',
    env: 'GPSIM_HOST',
    description: 'interface to listen on (0.0.0.0 for every interface)',
    defaultValue: '127.0.0.1',
    parse: nonEmpty('host'),
  }),
  option({
    key: 'port',
    flag: '--port <port>',
    env: 'GPSIM_PORT',
    description: 'HTTP port of node s11 (0 picks a free port)',
    defaultValue: 4100,
    parse: port('port'),
  }),
  option({
    key: 'backupPort',
    flag: '--backup-port <port>',
    env: 'GPSIM_BACKUP_PORT',
    description: 'HTTP port of backup node s12 ("none" to run without it)',
    defaultValue: 4101,
    parse: optionalPort('backup port'),
  }),
  option({
    key: 'tcpPort',
    flag: '--tcp-port <port>',
    env: 'GPSIM_TCP_PORT',
    description: 'SystmOne Client Integration TCP port ("none" to disable)',
    defaultValue: 2135,
    parse: optionalPort('TCP port'),
  }),
  option({
    key: 'dataDir',
    flag: '--data-dir <dir>',
    env: 'GPSIM_DATA_DIR',
    description: 'where the embedded store and keys live',
    defaultValue: './.gpsim',
    parse: nonEmpty('data dir'),
  }),
  option({
    key: 'store',
    flag: '--store <store>',
    env: 'GPSIM_STORE',
    description: 'sqlite (default), memory, or a postgres:// URL shared by several replicas',
    defaultValue: 'sqlite',
    parse: nonEmpty('store'),
  }),
  option({
    key: 'workers',
    flag: '--workers <n>',
    env: 'GPSIM_WORKERS',
    description: 'worker processes sharing the ports and the store (sqlite or postgres); 1 runs in this process',
    defaultValue: 1,
    parse: integer('workers', 1, 64),
  }),
  option({
    key: 'seed',
    flag: '--seed <seed>',
    env: 'GPSIM_SEED',
    description: 'estate seed: the same seed gives the same estate everywhere',
    defaultValue: DEFAULT_ESTATE_SPEC.seed,
    parse: nonEmpty('seed'),
  }),
  option({
    key: 'practices',
    flag: '--practices <n>',
    env: 'GPSIM_PRACTICES',
    description: 'generated practices, alternately SystmOne and EMIS (plus the test practice B82617)',
    defaultValue: DEFAULT_ESTATE_SPEC.practices,
    parse: integer('practices', 0, 10_000),
  }),
  option({
    key: 'patientsPerPractice',
    flag: '--patients-per-practice <n>',
    env: 'GPSIM_PATIENTS_PER_PRACTICE',
    description: `registered list size of each practice (14 to ${MAX_PATIENTS_PER_PRACTICE})`,
    defaultValue: DEFAULT_ESTATE_SPEC.patientsPerPractice,
    parse: integer('patients per practice', 14, MAX_PATIENTS_PER_PRACTICE),
  }),
  option({
    key: 'populationDate',
    flag: '--population-date <date>',
    env: 'GPSIM_POPULATION_DATE',
    description: 'date the computed records run up to (YYYY-MM-DD)',
    defaultValue: DEFAULT_ESTATE_SPEC.populationDate,
    parse: isoDate,
  }),
  option({
    key: 'journalCap',
    flag: '--journal-cap <n>',
    env: 'GPSIM_JOURNAL_CAP',
    description: 'requests kept in the journal ring buffer',
    defaultValue: 10_000,
    parse: integer('journal cap', 1, 10_000_000),
  }),
  option({
    key: 'patientCache',
    flag: '--patient-cache <n>',
    env: 'GPSIM_PATIENT_CACHE',
    description: 'computed patients kept in memory',
    defaultValue: 10_000,
    parse: integer('patient cache', 1, 10_000_000),
  }),
  option({
    key: 'recordCache',
    flag: '--record-cache <n>',
    env: 'GPSIM_RECORD_CACHE',
    description: 'computed clinical records kept in memory',
    defaultValue: 1_000,
    parse: integer('record cache', 1, 1_000_000),
  }),
  option({
    key: 'logLevel',
    flag: '--log-level <level>',
    env: 'GPSIM_LOG_LEVEL',
    description: 'fatal, error, warn, info, debug, trace or silent',
    defaultValue: 'info',
    parse: logLevel,
  }),
  option({
    key: 'publicUrl',
    flag: '--public-url <url>',
    env: 'GPSIM_PUBLIC_URL',
    description: 'base URL clients use, when gpsim sits behind a proxy or in a container',
    defaultValue: undefined,
    parse: url,
  }),
  option({
    key: 'workflowActor',
    flag: '--workflow-actor <mode>',
    env: 'GPSIM_WORKFLOW_ACTOR',
    description: 'manual (staff act via the control API) or auto (items are filed after --workflow-actor-delay)',
    defaultValue: 'manual',
    parse: workflowActor,
  }),
  option({
    key: 'workflowActorDelay',
    flag: '--workflow-actor-delay <duration>',
    env: 'GPSIM_WORKFLOW_ACTOR_DELAY',
    description: 'simulated time the auto-actor waits before filing an item (ISO 8601 duration)',
    defaultValue: 'PT10M',
    parse: positiveDuration,
  }),
  option({
    key: 'launchLenient',
    flag: '--launch-lenient [on]',
    env: 'GPSIM_LAUNCH_LENIENT',
    description: 'accept unregistered public OAuth clients with any redirect URI',
    defaultValue: false,
    parse: boolean('launch lenient'),
  }),
  option({
    key: 'launchAutoApprove',
    flag: '--launch-auto-approve [on]',
    env: 'GPSIM_LAUNCH_AUTO_APPROVE',
    description: 'approve every OAuth authorize request without the login page',
    defaultValue: false,
    parse: boolean('launch auto-approve'),
  }),
  option({
    key: 'strict',
    flag: '--strict [on]',
    env: 'GPSIM_STRICT',
    description: 'exact checks where providers are lenient (GP Connect JWT aud must be the service root)',
    defaultValue: false,
    parse: boolean('strict'),
  }),
  option({
    key: 'checkResponses',
    flag: '--check-responses [on]',
    env: 'GPSIM_CHECK_RESPONSES',
    description: 'check every JSON answer against the published contracts; drift answers 500 (on with --strict)',
    defaultValue: false,
    parse: boolean('check responses'),
  }),
  option({
    key: 'profile',
    flag: '--profile <name>',
    env: 'GPSIM_PROFILE',
    description:
      'sandbox (forgiving) or integration (SSP-only GP Connect, strict JWT aud, allow-listed partners, rate limit)',
    defaultValue: 'sandbox',
    parse: profileName,
  }),
  option({
    key: 'rateLimit',
    flag: '--rate-limit <n>',
    env: 'GPSIM_RATE_LIMIT',
    description: 'requests per second per application under the integration profile',
    defaultValue: 5,
    parse: integer('rate limit', 1, 100_000),
  }),
  option({
    key: 'partnerAllowList',
    flag: '--partner-allow-list <addresses>',
    env: 'GPSIM_PARTNER_ALLOW_LIST',
    description: 'comma-separated source addresses partner APIs accept under the integration profile',
    defaultValue: ['127.0.0.1', '::1'],
    parse: addressList,
  }),
  option({
    key: 'adminToken',
    flag: '--admin-token <token>',
    env: 'GPSIM_ADMIN_TOKEN',
    description:
      'token the control API (/__sim) requires when --host is not loopback (generated and printed once if unset)',
    defaultValue: undefined,
    parse: adminToken,
  }),
  option({
    key: 'clientRateLimit',
    flag: '--client-rate-limit <n>',
    env: 'GPSIM_CLIENT_RATE_LIMIT',
    description: 'requests per second one client address may send, then 429 (0: no limit)',
    defaultValue: 0,
    parse: integer('client rate limit', 0, 1_000_000),
  }),
  option({
    key: 'maxHeaderBytes',
    flag: '--max-header-bytes <n>',
    env: 'GPSIM_MAX_HEADER_BYTES',
    description: 'largest request line and headers accepted, in bytes, then 431',
    defaultValue: 16_384,
    parse: integer('max header bytes', 1_024, 1_048_576),
  }),
] as const satisfies readonly OptionSpec[];

function profileName(text: string): EnvironmentProfileName {
  if (text !== 'sandbox' && text !== 'integration') {
    throw new OptionError(`profile must be sandbox or integration (got "${text}").`);
  }
  return text;
}

function addressList(text: string): string[] {
  const addresses = text
    .split(',')
    .map((address) => address.trim())
    .filter((address) => address !== '');
  if (
    addresses.length === 0 ||
    addresses.length > 1_000 ||
    addresses.some((address) => !/^[0-9a-fA-F.:]{2,45}$/.test(address))
  ) {
    throw new OptionError(`partner allow-list must be comma-separated IP addresses (got "${text}").`);
  }
  return addresses;
}

function adminToken(text: string): string {
  if (!/^[\x21-\x7e]{16,256}$/.test(text)) {
    throw new OptionError('admin token must be 16 to 256 printable characters without spaces.');
  }
  return text;
}

function workflowActor(text: string): 'manual' | 'auto' {
  if (text !== 'manual' && text !== 'auto') {
    throw new OptionError(`workflow actor must be manual or auto (got "${text}").`);
  }
  return text;
}

function positiveDuration(text: string): string {
  if (!/^P(?:\d+D)?(?:T(?:\d+H)?(?:\d+M)?(?:\d+S)?)?$/.test(text) || text === 'P' || text.endsWith('T')) {
    throw new OptionError(`workflow actor delay must be an ISO 8601 duration such as PT10M or P1D (got "${text}").`);
  }
  return text;
}

function isoDate(text: string): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text) || Number.isNaN(Date.parse(text))) {
    throw new OptionError(`population date must be a date written YYYY-MM-DD (got "${text}").`);
  }
  return text;
}

function logLevel(text: string): string {
  const levels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];
  if (!levels.includes(text)) throw new OptionError(`log level must be one of ${levels.join(', ')} (got "${text}").`);
  return text;
}

function url(text: string): string {
  try {
    const parsed = new URL(text);
    if (!['http:', 'https:'].includes(parsed.protocol)) throw new Error();
  } catch {
    throw new OptionError(`public URL must be an http(s) URL (got "${text}").`);
  }
  return text.replace(/\/+$/, '');
}

export function defaultOptions(): GpsimOptions {
  const defaults: Record<string, unknown> = {};
  for (const spec of optionSpecs) defaults[spec.key] = spec.defaultValue;
  return defaults as unknown as GpsimOptions;
}

/**
 * Resolves options from their sources. `flags` holds raw strings as typed on the command line,
 * keyed by option name; `env` is usually process.env; `configFile` a YAML file of option names.
 */
export function resolveOptions(sources: {
  flags?: Partial<Record<keyof GpsimOptions, string>>;
  env?: NodeJS.ProcessEnv;
  configFile?: string | undefined;
}): GpsimOptions {
  const resolved = defaultOptions() as unknown as Record<string, unknown>;
  const fromFile = sources.configFile ? readConfigFile(sources.configFile) : {};
  for (const spec of optionSpecs) {
    const parse = spec.parse as (text: string) => unknown;
    const fileValue = fromFile[spec.key];
    if (fileValue !== undefined && fileValue !== null) resolved[spec.key] = parse(String(fileValue));
    const envValue = sources.env?.[spec.env];
    if (envValue !== undefined && envValue !== '') resolved[spec.key] = parse(envValue);
    const flagValue = sources.flags?.[spec.key];
    if (flagValue !== undefined) resolved[spec.key] = parse(flagValue);
  }
  return resolved as unknown as GpsimOptions;
}

function readConfigFile(file: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new OptionError(`cannot read config file ${file}: ${(error as Error).message}`);
  }
  let parsed: unknown;
  try {
    parsed = parseYaml(text);
  } catch (error) {
    throw new OptionError(`config file ${file} is not valid YAML: ${(error as Error).message}`);
  }
  if (parsed === null || parsed === undefined) return {};
  if (typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new OptionError(`config file ${file} must be a mapping of option names to values.`);
  }
  const known = new Set<string>(optionSpecs.map((spec) => spec.key));
  for (const key of Object.keys(parsed)) {
    if (!known.has(key)) {
      throw new OptionError(
        `config file ${file} has an unknown option "${key}"; known options: ${[...known].join(', ')}.`,
      );
    }
  }
  return parsed as Record<string, unknown>;
}
