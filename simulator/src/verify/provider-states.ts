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

/** Brings the target into a provider state; every state starts from a reset so interactions never leak. */
export async function applyProviderState(baseUrl: string, state: string): Promise<void> {
  await call(baseUrl, 'POST', '/__sim/reset', {});
  if (state === 'gpsim is running' || state === 'gpsim is reset') return;
  let found = /^practice ([A-Z0-9]{3,10}) is in maintenance$/.exec(state);
  if (found) {
    await call(baseUrl, 'POST', '/__sim/faults', { match: { ods: found[1] }, fault: { kind: 'maintenance' } });
    return;
  }
  found = /^practice ([A-Z0-9]{3,10}) answers ([45]\d\d)$/.exec(state);
  if (found) {
    await call(baseUrl, 'POST', '/__sim/faults', {
      match: { ods: found[1] },
      fault: { kind: 'status', status: Number(found[2]) },
    });
    return;
  }
  found = /^patient (\d{10}) is ([a-z-]+)$/.exec(state);
  if (found) {
    const manifest = (await call(baseUrl, 'GET', '/__sim/fixtures')) as {
      archetypes: { key: string; nhsNumber: string }[];
    };
    if (!manifest.archetypes.some((entry) => entry.nhsNumber === found?.[1] && entry.key === found[2])) {
      throw new UnknownProviderStateError(
        `"${state}": the target's estate has no ${found[2]} patient ${found[1]}; GET /__sim/fixtures lists the archetypes.`,
      );
    }
    return;
  }
  throw new UnknownProviderStateError(
    `unknown provider state "${state}"; gpsim understands: ${providerStateVocabulary.join('; ')}.`,
  );
}
