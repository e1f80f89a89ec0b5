import { SimError } from '../../domain/errors';
import type { Practice, StaffUser } from '../../domain/estate';
import type { Engine } from '../../engine';
import type { SimRequest, SimResponse } from '../../transport/types';
import { pageOf, searchsetBundle } from './bundle';
import type { SearchParamDoc } from './capability-statement';
import type { FhirResource } from './fhir-types';
import { fhirJsonResponse } from './operation-outcome';
import { toUkCoreOrganization } from './organization-mapper';
import { toUkCorePractitioner } from './practitioner-mapper';
import { ODS_ORGANIZATION_CODE, SDS_USER_ID, practiceForOrganizationId } from './references';
import type { Paging } from './search-params';
import { nonEmpty, parsePaging, parseToken, rejectModifiers } from './search-params';

/** Practices and their staff: not patient data, so not audited. */

export const practitionerSearchParams: readonly SearchParamDoc[] = [
  {
    name: 'identifier',
    type: 'token',
    documentation: `SDS user id: ${SDS_USER_ID}|{12 digits}, or the id alone. Required.`,
  },
];

export const organizationSearchParams: readonly SearchParamDoc[] = [
  {
    name: 'identifier',
    type: 'token',
    documentation: `ODS code of a practice: ${ODS_ORGANIZATION_CODE}|{ODS code}, or the code alone. Required.`,
  },
];

export function readPractitioner(engine: Engine, request: SimRequest): SimResponse {
  const { population } = engine;
  const id = request.params['id'] ?? '';
  const decoded = population.decodeId(id, 'practitioner');
  const member = decoded ? population.practices[decoded.owner]?.staff[decoded.n] : undefined;
  if (!member) {
    throw new SimError(
      'practitioner-not-found',
      `No practitioner with id "${id}". Find one with Practitioner?identifier=${SDS_USER_ID}|{SDS user id}.`,
    );
  }
  return fhirJsonResponse(200, toUkCorePractitioner(member));
}

export function searchPractitioners(engine: Engine, request: SimRequest): SimResponse {
  const code = requiredIdentifier(request, 'Practitioner', SDS_USER_ID, 'SDS user id');
  const paging = parsePaging(request.query);
  const matches: StaffUser[] = [];
  for (const practice of engine.population.practices) {
    for (const member of practice.staff) if (member.sdsUserId === code) matches.push(member);
  }
  return directoryBundle(engine, request, 'Practitioner', paging, matches.map(toUkCorePractitioner));
}

export function readOrganization(engine: Engine, request: SimRequest): SimResponse {
  const { population } = engine;
  const id = request.params['id'] ?? '';
  const practice = practiceForOrganizationId(population, id);
  if (!practice) {
    throw new SimError(
      'practice-not-found',
      `No organization with id "${id}". Find a practice with Organization?identifier=${ODS_ORGANIZATION_CODE}|{ODS code}.`,
    );
  }
  return fhirJsonResponse(200, toUkCoreOrganization(population, practice));
}

export function searchOrganizations(engine: Engine, request: SimRequest): SimResponse {
  const { population } = engine;
  // ODS codes are upper case; people type them either way.
  const code = requiredIdentifier(request, 'Organization', ODS_ORGANIZATION_CODE, 'ODS code').toUpperCase();
  const paging = parsePaging(request.query);
  const practice: Practice | undefined = population.practice(code);
  const matches = practice ? [toUkCoreOrganization(population, practice)] : [];
  return directoryBundle(engine, request, 'Organization', paging, matches);
}

function requiredIdentifier(request: SimRequest, type: string, system: string, what: string): string {
  rejectModifiers(request.query, ['identifier']);
  const value = nonEmpty(request.query, 'identifier');
  if (value === undefined) {
    throw new SimError('invalid-parameter', `Search ${type} by identifier=${system}|{${what}}.`, {
      field: 'identifier',
    });
  }
  const token = parseToken(value);
  if (token.system !== undefined && token.system !== system) {
    throw new SimError(
      'invalid-identifier-system',
      `${type} is searched by ${what} here: use identifier=${system}|{${what}} (got system "${token.system}").`,
      { field: 'identifier' },
    );
  }
  return token.code;
}

function directoryBundle(
  engine: Engine,
  request: SimRequest,
  resourceType: string,
  paging: Paging,
  matches: readonly FhirResource[],
): SimResponse {
  return fhirJsonResponse(
    200,
    searchsetBundle({
      base: `${engine.baseUrl}/fhir/R4`,
      resourceType,
      params: [['identifier', request.query.get('identifier') ?? '']],
      paging,
      total: matches.length,
      resources: pageOf(matches, paging),
    }),
  );
}
