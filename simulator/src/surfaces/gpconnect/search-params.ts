import { SimError } from '../../domain/errors';
import type { SimRequest } from '../../transport/types';

/** A token search `identifier=system|value`: exactly once, both parts present (GPC find-a-* use cases). */
export function identifierParam(request: SimRequest, knownSystems: readonly string[], what: string) {
  const values = request.query.getAll('identifier');
  if (values.length !== 1 || (values[0] ?? '').trim() === '') {
    throw new SimError(
      'invalid-request',
      `Send exactly one identifier parameter: identifier=${knownSystems[0] ?? ''}|{${what}}.`,
      { field: 'identifier' },
    );
  }
  const raw = values[0] as string;
  const bar = raw.indexOf('|');
  const system = bar < 0 ? '' : raw.slice(0, bar);
  const value = bar < 0 ? raw : raw.slice(bar + 1);
  if (!knownSystems.includes(system)) {
    throw new SimError(
      'invalid-identifier-system',
      `Identifier system "${system}" is not supported; search with identifier=${knownSystems[0] ?? ''}|{${what}}.`,
      { field: 'identifier' },
    );
  }
  if (value.trim() === '') {
    throw new SimError('invalid-request', `The identifier has no ${what} after the "|".`, { field: 'identifier' });
  }
  return { system, value: value.trim() };
}
