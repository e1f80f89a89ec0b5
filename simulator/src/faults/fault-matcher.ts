import type { control } from '@gpsim/contracts';
import type { RoutedRequest } from '../transport/types';

/** A rule's match, compiled once so that testing a request is a few comparisons. */
export type RequestPredicate = (request: RoutedRequest, ods: string | undefined) => boolean;

const list = (value: string | readonly string[] | undefined): readonly string[] | undefined =>
  value === undefined ? undefined : typeof value === 'string' ? [value] : value;

/** The text before a pattern's first wildcard: a path without it cannot match, and startsWith is cheaper than the RegExp. */
export function literalPrefix(pattern: string): string {
  const wildcard = pattern.indexOf('*');
  return wildcard === -1 ? pattern : pattern.slice(0, wildcard);
}

/** "*" matches within one path segment, "**" across segments; the whole path must match. */
export function pathPattern(pattern: string): RegExp {
  const source = pattern
    .split('**')
    .map((part) =>
      part
        .split('*')
        .map((text) => text.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
        .join('[^/]*'),
    )
    .join('.*');
  return new RegExp(`^${source}$`);
}

/** The GP system of a practice, when the estate has it. */
export type SystemOf = (ods: string) => string | undefined;

export function compileMatch(match: control.FaultMatch, systemOf: SystemOf): RequestPredicate {
  const methods = list(match.method)?.map((method) => method.toUpperCase());
  const odsCodes = list(match.ods)?.map((ods) => ods.toUpperCase());
  const path = match.path === undefined ? undefined : pathPattern(match.path);
  const pathPrefix = match.path === undefined ? '' : literalPrefix(match.path);
  const { interaction, clientId, node, system } = match;
  return (request, ods) => {
    if (methods && !methods.includes(request.method)) return false;
    if (node !== undefined && request.node !== node) return false;
    if (odsCodes && (ods === undefined || !odsCodes.includes(ods.toUpperCase()))) return false;
    if (path && !(request.path.startsWith(pathPrefix) && path.test(request.path))) return false;
    if (system !== undefined && (ods === undefined || systemOf(ods) !== system)) return false;
    if (interaction !== undefined && interactionOf(request) !== interaction) return false;
    if (clientId !== undefined && clientOf(request) !== clientId) return false;
    return true;
  };
}

/** GP Connect addresses the practice in the path: /{ODS}/STU3/1/gpconnect, also behind /ssp/. */
const odsInPath = /(?:^|\/)([A-Za-z][A-Za-z0-9]{2,7})\/STU3\//;

/** The practice a request addresses, as far as it is known before the handler runs. */
export function odsOf(request: RoutedRequest): string | undefined {
  return request.annotations.ods ?? request.params['ods'] ?? odsInPath.exec(request.path)?.[1];
}

export function interactionOf(request: RoutedRequest): string | undefined {
  return request.annotations.interaction ?? request.headers['ssp-interactionid'];
}

export function clientOf(request: RoutedRequest): string | undefined {
  return request.annotations.clientId ?? request.headers['x-client-id'];
}
