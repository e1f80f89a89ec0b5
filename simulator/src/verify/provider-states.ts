/**
 * Pact provider states gpsim understands, each mapped to control API calls on the target:
 *
 * - "gpsim is running" / "gpsim is reset": POST /__sim/reset (seed state, no fault rules).
 * - "practice {ODS} is in maintenance": a maintenance fault rule for that practice.
 * - "practice {ODS} answers {status}": a status fault rule for that practice.
 * - "patient {NHS number} is {archetype}": checks the target's manifest says so (archetypes are
 *   computed from the seed, so the state is a precondition, not a change).
 *
 * Anything else fails clearly, naming the vocabulary.
 */
export const providerStateVocabulary = [
  'gpsim is running',
  'gpsim is reset',
  'practice {ODS} is in maintenance',
  'practice {ODS} answers {status}',
  'patient {NHS number} is {archetype}',
] as const;

export class UnknownProviderStateError extends Error {}

/** What a provider state asks of the target. */
export type ProviderState =
  | { kind: 'reset' }
  | { kind: 'maintenance'; ods: string }
  | { kind: 'status'; ods: string; status: number }
  | { kind: 'patient'; nhsNumber: string; archetype: string };

/** Reads a state in the vocabulary, touching nothing; anything else throws UnknownProviderStateError. */
export function parseProviderState(state: string): ProviderState {
  if (state === 'gpsim is running' || state === 'gpsim is reset') return { kind: 'reset' };
  let found = /^practice ([A-Z0-9]{3,10}) is in maintenance$/.exec(state);
  if (found?.[1]) return { kind: 'maintenance', ods: found[1] };
  found = /^practice ([A-Z0-9]{3,10}) answers ([45]\d\d)$/.exec(state);
  if (found?.[1] && found[2]) return { kind: 'status', ods: found[1], status: Number(found[2]) };
  found = /^patient (\d{10}) is ([a-z-]+)$/.exec(state);
  if (found?.[1] && found[2]) return { kind: 'patient', nhsNumber: found[1], archetype: found[2] };
  throw new UnknownProviderStateError(
    `unknown provider state "${state}"; gpsim understands: ${providerStateVocabulary.join('; ')}.`,
  );
}

async function call(baseUrl: string, method: string, path: string, body?: unknown): Promise<unknown> {
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    headers: { 'Content-Type': 'application/json' },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const json = (await response.json()) as unknown;
  if (!response.ok) throw new Error(`${method} ${path} answered ${response.status}: ${JSON.stringify(json)}`);
  return json;
}

/** Returns the target to its seed state: no changes, no fault rules. */
export async function resetTarget(baseUrl: string): Promise<void> {
  await call(baseUrl, 'POST', '/__sim/reset', {});
}

/**
 * Brings the target into a provider state. By default it resets first, so interactions never leak;
 * `reset: false` adds to the current state, for an interaction naming several states whose caller
 * resets once before them (as `gpsim pact-verify` does).
 */
export async function applyProviderState(
  baseUrl: string,
  state: string,
  options: { reset?: boolean } = {},
): Promise<void> {
  const wanted = parseProviderState(state);
  if (options.reset ?? true) await resetTarget(baseUrl);
  switch (wanted.kind) {
    case 'reset':
      return;
    case 'maintenance':
      await call(baseUrl, 'POST', '/__sim/faults', { match: { ods: wanted.ods }, fault: { kind: 'maintenance' } });
      return;
    case 'status':
      await call(baseUrl, 'POST', '/__sim/faults', {
        match: { ods: wanted.ods },
        fault: { kind: 'status', status: wanted.status },
      });
      return;
    case 'patient': {
      const manifest = (await call(baseUrl, 'GET', '/__sim/fixtures')) as {
        archetypes: { key: string; nhsNumber: string }[];
      };
      if (
        !manifest.archetypes.some((entry) => entry.nhsNumber === wanted.nhsNumber && entry.key === wanted.archetype)
      ) {
        throw new UnknownProviderStateError(
          `"${state}": the target's estate has no ${wanted.archetype} patient ${wanted.nhsNumber}; GET /__sim/fixtures lists the archetypes.`,
        );
      }
      return;
    }
  }
}
