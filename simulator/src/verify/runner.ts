import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import * as contracts from '@gpsim/contracts';
import { control } from '@gpsim/contracts';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { capture, savedNames } from './capture';
import { authHeaders } from './request-auth';
import type { VerifySurface, VerifyCase } from './verify-case';
import { VerifyCaseFile } from './verify-case';
import type { VerifyContext } from './verify-context';
import { PlaceholderError, fill, placeholders } from './verify-context';

export const CASES_DIR = join(__dirname, '..', '..', 'fixtures', 'verify');
const TIMEOUT_MS = 30_000;

export interface SurfaceCase extends VerifyCase {
  surface: VerifySurface;
}

export interface CaseResult {
  surface: VerifySurface;
  case: VerifyCase;
  outcome: 'passed' | 'failed' | 'skipped';
  /** What differed, one line each; why it was skipped. */
  messages: string[];
  durationMs: number;
}

/** Thrown for what stops a run before any case: an unreachable target, a bad case file. */
export class VerifySetupError extends Error {}

export function loadCases(directory = CASES_DIR): SurfaceCase[] {
  const cases: SurfaceCase[] = [];
  for (const file of readdirSync(directory)
    .filter((name) => name.endsWith('.yaml'))
    .sort()) {
    const parsed = VerifyCaseFile.safeParse(parseYaml(readFileSync(join(directory, file), 'utf8'), { merge: true }));
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new VerifySetupError(`${file}: ${issue?.path.join('.')}: ${issue?.message}`);
    }
    for (const entry of parsed.data.cases) {
      const unknown = savedNames([entry.request, entry.expect]).find(
        (name) => !cases.some((earlier) => earlier.capture?.[name] !== undefined),
      );
      if (unknown !== undefined) {
        throw new VerifySetupError(
          `${file}: case ${entry.id} uses {{saved.${unknown}}}, which no earlier case captures.`,
        );
      }
      cases.push({ ...entry, surface: parsed.data.surface });
    }
  }
  return cases;
}

/** A contract schema named module.Name (e.g. gpconnect.Patient, mesh.InboxResponse). */
export function contractSchema(name: string): z.ZodType | undefined {
  const [module, member] = name.split('.');
  const found = (contracts as unknown as Record<string, Record<string, unknown>>)[module ?? '']?.[member ?? ''];
  return found instanceof z.ZodType ? found : undefined;
}

/** Learns the target's estate: from its manifest URL, its /__sim/fixtures, or a manifest given in the config. */
export async function loadContext(
  target: string,
  options: { ods?: string; manifest?: unknown; headers?: VerifyContext['headers'] } = {},
): Promise<VerifyContext> {
  let url: URL;
  try {
    url = new URL(target);
  } catch {
    throw new VerifySetupError(`--target must be a URL (got "${target}").`);
  }
  const isManifestUrl = /\/__sim\/fixtures\/?$|\.json$/.test(url.pathname);
  const baseUrl = isManifestUrl ? url.origin : target.replace(/\/+$/, '');
  let raw = options.manifest;
  if (raw === undefined) {
    const manifestUrl = isManifestUrl ? target : `${baseUrl}/__sim/fixtures`;
    try {
      const response = await fetch(manifestUrl, { signal: AbortSignal.timeout(TIMEOUT_MS) });
      if (!response.ok) throw new VerifySetupError(`${manifestUrl} answered ${response.status}.`);
      raw = await response.json();
    } catch (error) {
      if (error instanceof VerifySetupError) throw error;
      throw new VerifySetupError(`could not read the manifest at ${manifestUrl}: ${(error as Error).message}`);
    }
  }
  const parsed = control.Manifest.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new VerifySetupError(
      `the target's manifest is not one gpsim verify understands: ${issue?.path.join('.')}: ${issue?.message}`,
    );
  }
  const manifest = parsed.data;
  const practice = options.ods
    ? manifest.practices.find((candidate) => candidate.ods === options.ods)
    : manifest.practices[0];
  if (!practice) {
    throw new VerifySetupError(
      `no practice ${options.ods ?? ''} in the target's manifest; it lists ${manifest.practices.map((p) => p.ods).join(', ')}.`,
    );
  }
  return { baseUrl, manifest, practice, headers: options.headers ?? {} };
}

function valueAt(value: unknown, path: string): unknown {
  let current = value;
  for (const key of path.split('.')) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

function show(value: unknown): string {
  const text = JSON.stringify(value);
  return text === undefined ? 'nothing' : text.length > 120 ? `${text.slice(0, 117)}...` : text;
}

export interface CaseRun {
  /** What differed, one line each; empty when the case passed. */
  messages: string[];
  /** The values the case's `capture` saved (only when it passed). */
  captured: Record<string, string>;
}

/** Runs one case against the target, {{saved.<name>}} filled from `saved`, and says what differed. */
export async function runCase(
  context: VerifyContext,
  entry: SurfaceCase,
  saved: Readonly<Record<string, string>> = {},
): Promise<CaseRun> {
  const manifestLookup = placeholders(context);
  const lookup = (name: string) => (name.startsWith('saved.') ? saved[name.slice(6)] : manifestLookup(name));
  const request = fill(entry.request, lookup);
  // In the body patterns a placeholder stands for its value literally (a saved id may hold a dot).
  const literal = (name: string) => lookup(name)?.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const { bodyMatches, bodyExcludes, ...rest } = entry.expect;
  const expected = {
    ...fill(rest, lookup),
    ...(bodyMatches === undefined ? {} : { bodyMatches: fill(bodyMatches, literal) }),
    ...(bodyExcludes === undefined ? {} : { bodyExcludes: fill(bodyExcludes, literal) }),
  };
  const headers: Record<string, string> = {
    ...authHeaders(context, request, request.path),
    ...(context.headers[entry.surface] ?? {}),
    ...request.headers,
  };
  let body: string | undefined;
  if (typeof request.body === 'string') body = request.body;
  else if (request.body !== undefined) {
    body = JSON.stringify(request.body);
    headers['Content-Type'] ??= 'application/json';
  }
  let response: Response;
  try {
    response = await fetch(`${context.baseUrl}${request.path}`, {
      method: request.method,
      headers,
      ...(body !== undefined ? { body } : {}),
      redirect: 'manual',
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
  } catch (error) {
    return { messages: [`${request.method} ${request.path} failed: ${(error as Error).message}`], captured: {} };
  }
  const text = await response.text();
  const messages: string[] = [];
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  const statuses = Array.isArray(expected.status) ? expected.status : [expected.status];
  if (!statuses.includes(response.status)) {
    messages.push(`status: expected ${statuses.join(' or ')}, got ${response.status} — body: ${text.slice(0, 200)}`);
  }
  const contentType = response.headers.get('content-type') ?? '';
  if (expected.contentType && !new RegExp(expected.contentType, 'i').test(contentType)) {
    messages.push(`content-type: expected /${expected.contentType}/, got "${contentType}"`);
  }
  if (expected.bodyMatches && !new RegExp(expected.bodyMatches).test(text)) {
    messages.push(`body: expected to match /${expected.bodyMatches}/, got ${show(text.slice(0, 200))}`);
  }
  if (expected.bodyExcludes && new RegExp(expected.bodyExcludes).test(text)) {
    messages.push(`body: expected not to match /${expected.bodyExcludes}/, got ${show(text.slice(0, 200))}`);
  }
  if (expected.shape || expected.json) {
    if (json === undefined) {
      messages.push(`body: expected JSON, got ${show(text.slice(0, 120))}`);
      return { messages, captured: {} };
    }
    if (expected.shape) {
      const schema = contractSchema(expected.shape);
      if (!schema) throw new VerifySetupError(`case ${entry.id}: no contract schema named ${expected.shape}.`);
      const result = schema.safeParse(json);
      if (!result.success) {
        for (const issue of result.error.issues.slice(0, 3)) {
          const path = issue.path.join('.') || '(root)';
          messages.push(
            `shape ${expected.shape} at ${path}: ${issue.message} (got ${show(valueAt(json, issue.path.join('.')))})`,
          );
        }
      }
    }
    for (const [path, value] of Object.entries(expected.json ?? {})) {
      const actual = valueAt(json, path);
      if (JSON.stringify(actual) !== JSON.stringify(value)) {
        messages.push(`at ${path}: expected ${show(value)}, got ${show(actual)}`);
      }
    }
  }
  if (messages.length > 0 || !entry.capture) return { messages, captured: {} };
  const captured = capture(entry.capture, { headers: response.headers, json });
  return { messages: captured.messages, captured: captured.values };
}

export interface RunOptions {
  surfaces: readonly VerifySurface[];
  only?: readonly string[];
  bail?: boolean;
  allowWrites?: boolean;
  onResult?: (result: CaseResult, index: number, total: number) => void;
}

/** Runs the selected cases in order; read-only unless allowWrites. */
export async function runVerify(
  context: VerifyContext,
  cases: readonly SurfaceCase[],
  options: RunOptions,
): Promise<CaseResult[]> {
  const selected = cases.filter(
    (entry) =>
      options.surfaces.includes(entry.surface) &&
      (!options.only?.length || options.only.some((tag) => entry.tags.includes(tag) || entry.id === tag)),
  );
  const results: CaseResult[] = [];
  const saved: Record<string, string> = {};
  let bailed = false;
  for (const [index, entry] of selected.entries()) {
    const started = performance.now();
    const missing = savedNames([entry.request, entry.expect]).filter((name) => saved[name] === undefined);
    let result: CaseResult;
    if (bailed) {
      result = {
        surface: entry.surface,
        case: entry,
        outcome: 'skipped',
        messages: ['an earlier case failed (--bail)'],
        durationMs: 0,
      };
    } else if (entry.writes && !options.allowWrites) {
      result = {
        surface: entry.surface,
        case: entry,
        outcome: 'skipped',
        messages: ['changes the target: run with --allow-writes'],
        durationMs: 0,
      };
    } else if (missing.length > 0) {
      result = {
        surface: entry.surface,
        case: entry,
        outcome: 'skipped',
        messages: [
          `needs ${missing.map((name) => `{{saved.${name}}}`).join(', ')}, which no earlier case of this run captured (the case that captures it failed, was skipped or was not selected)`,
        ],
        durationMs: 0,
      };
    } else {
      let messages: string[];
      try {
        const run = await runCase(context, entry, saved);
        messages = run.messages;
        Object.assign(saved, run.captured);
      } catch (error) {
        if (!(error instanceof PlaceholderError)) throw error;
        messages = [error.message];
      }
      result = {
        surface: entry.surface,
        case: entry,
        outcome: messages.length === 0 ? 'passed' : 'failed',
        messages,
        durationMs: Math.round(performance.now() - started),
      };
      if (result.outcome === 'failed' && options.bail) bailed = true;
    }
    results.push(result);
    options.onResult?.(result, index + 1, selected.length);
  }
  return results;
}
