import { SimError } from '../../domain/errors';
import { LruCache } from '../../population/lru-cache';
import type { Scope } from './interactions';
import { scopes } from './interactions';

/**
 * The unsigned audit JWT every GP Connect request carries (GPC integration_cross_organisation_audit_and_provenance.md,
 * reference/domain.md §1.4). It is provenance, not authentication: the checks follow the reference
 * implementation's WebTokenValidator and the provider test suite's JWT.feature.
 */
export interface GpcToken {
  iss: string;
  sub: string;
  aud: string;
  exp: number;
  iat: number;
  scope: Scope;
  /** The confidentiality suffix of requested_scope: conf/R (restricted) only for GP2GP migration. */
  confidentiality: 'N' | 'R';
  /** directcare for every interaction but the migrate ones (checked at admission, per interaction). */
  reason: 'directcare' | 'migration';
  practitioner: { id: string; name: string; sdsUserId: string };
  organization: { ods: string; name: string };
  device: { id: string };
}

const SDS_USER_ID = 'https://fhir.nhs.uk/Id/sds-user-id';
const ODS_CODE = 'https://fhir.nhs.uk/Id/ods-organization-code';
const LIFETIME_S = 300;
const MAX_TOKEN_CHARS = 16 * 1024;
/** Tokens already checked, by the exact Authorization header: at most 256 × 16 KB. */
const CHECKED_TOKENS = 256;

const bad = (message: string) => new SimError('invalid-request', message, { field: 'Authorization' });
const invalidResource = (message: string) => new SimError('invalid-resource', message, { field: 'Authorization' });

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function decodePart(part: string, what: string): Json {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
  } catch {
    throw bad(`The JWT ${what} is not base64url-encoded JSON.`);
  }
  if (!isObject(parsed)) throw bad(`The JWT ${what} must be a JSON object.`);
  return parsed;
}

function nonEmptyString(value: unknown): value is string {
  return typeof value === 'string' && value.trim() !== '';
}

function identifierValue(resource: Json, system: string): string | undefined {
  const identifiers = resource['identifier'];
  if (!Array.isArray(identifiers)) return undefined;
  for (const identifier of identifiers as unknown[]) {
    if (isObject(identifier) && identifier['system'] === system && nonEmptyString(identifier['value'])) {
      return identifier['value'];
    }
  }
  return undefined;
}

/** An embedded resource: absent → 400; not the resource type or structurally broken → 422 (PT JWT.feature). */
function embedded(payload: Json, claim: string, resourceType: string): Json {
  const value = payload[claim];
  if (value === undefined || value === null) throw bad(`The JWT has no ${claim} claim; send a ${resourceType}.`);
  if (!isObject(value)) throw invalidResource(`The JWT ${claim} claim must be a FHIR STU3 ${resourceType}.`);
  if (value['resourceType'] !== resourceType) {
    throw invalidResource(
      `The JWT ${claim} claim must be a ${resourceType} resource, not ${String(value['resourceType'])}.`,
    );
  }
  for (const arrayElement of ['identifier', 'name']) {
    const element = value[arrayElement];
    if (
      element !== undefined &&
      !(arrayElement === 'name' && resourceType === 'Organization') &&
      !Array.isArray(element)
    ) {
      throw invalidResource(`The JWT ${claim}.${arrayElement} must be an array, as FHIR STU3 defines it.`);
    }
  }
  return value;
}

export function parseScope(value: unknown): { scope: Scope; confidentiality: 'N' | 'R' } {
  if (!nonEmptyString(value)) throw bad('The JWT has no requested_scope claim, e.g. "patient/*.read".');
  const [first = '', ...rest] = value.trim().split(/\s+/);
  const scope = scopes.find((candidate) => candidate === first);
  if (!scope || rest.length > 1 || rest.some((part) => part !== 'conf/N' && part !== 'conf/R')) {
    throw bad(
      `JWT requested_scope "${value}" is not one of ${scopes.join(', ')} (optionally followed by conf/N or conf/R).`,
    );
  }
  return { scope, confidentiality: rest[0] === 'conf/R' ? 'R' : 'N' };
}

const expired = () => bad('The JWT has expired: mint a new token for every request (exp = iat + 300).');

/**
 * Tokens that passed every check, by their exact Authorization header. Whether a token is well formed
 * depends on its text alone, so a consumer reusing one within its 300 s is not parsed again; whether
 * it has expired depends on the simulated clock, so that is checked on every request.
 */
const checkedTokens = new LruCache<string, GpcToken>(CHECKED_TOKENS);

/** Parses and checks the Authorization header; `nowS` is the simulated time in Unix seconds. */
export function validateGpcToken(authorization: string | undefined, nowS: number): GpcToken {
  const checked = authorization === undefined ? undefined : checkedTokens.get(authorization);
  if (checked) {
    if (checked.exp < nowS) throw expired();
    return checked;
  }
  const token = parseGpcToken(authorization, nowS);
  checkedTokens.set(authorization as string, token);
  return token;
}

function parseGpcToken(authorization: string | undefined, nowS: number): GpcToken {
  if (authorization === undefined || authorization.trim() === '') {
    throw bad('The Authorization header is missing: send "Bearer <unsigned JWT>".');
  }
  const match = /^Bearer (\S+)$/.exec(authorization.trim());
  if (!match?.[1]) throw bad('The Authorization header must be "Bearer <unsigned JWT>".');
  const token = match[1];
  if (token.length > MAX_TOKEN_CHARS) throw bad(`The JWT is longer than ${MAX_TOKEN_CHARS} characters.`);
  if (/[=+/]/.test(token)) throw bad('JWT must be encoded using Base64URL. Padding is not allowed.');
  const parts = token.split('.');
  if (parts.length !== 3 || !parts[0] || !parts[1]) {
    throw bad('The JWT must have a header, a payload and an empty signature (it ends with a trailing ".").');
  }
  if (parts[2] !== '') throw bad('The JWT must be unsigned: alg "none" and an empty signature after the trailing ".".');
  const header = decodePart(parts[0], 'header');
  if (header['alg'] !== 'none') throw bad('The JWT header alg must be "none".');
  if (header['typ'] !== undefined && header['typ'] !== 'JWT') throw bad('The JWT header typ must be "JWT".');
  if (Object.keys(header).some((name) => name !== 'alg' && name !== 'typ')) {
    throw bad('The JWT header may contain only alg and typ.');
  }
  const payload = decodePart(parts[1], 'payload');
  for (const claim of ['iss', 'sub', 'aud', 'reason_for_request'] as const) {
    if (!nonEmptyString(payload[claim])) throw bad(`Empty JWT ${claim} claim.`);
  }
  if ('requested_record' in payload) throw bad('The JWT must not carry the retired requested_record claim.');
  const { exp, iat } = payload;
  if (typeof exp !== 'number' || !Number.isInteger(exp))
    throw bad('The JWT exp claim must be an integer (Unix seconds).');
  if (typeof iat !== 'number' || !Number.isInteger(iat))
    throw bad('The JWT iat claim must be an integer (Unix seconds).');
  if (exp - iat !== LIFETIME_S)
    throw bad(`The JWT exp must be exactly ${LIFETIME_S} seconds after iat (was ${exp - iat}).`);
  // A future iat is accepted (GitHub nhsconnect/gpconnect #188); only an expired token is refused.
  if (exp < nowS) throw expired();
  const reason = payload['reason_for_request'];
  if (reason !== 'directcare' && reason !== 'migration') {
    throw bad('The JWT reason_for_request must be "directcare" (or "migration" for the migrate interactions).');
  }
  const { scope, confidentiality } = parseScope(payload['requested_scope']);

  const device = embedded(payload, 'requesting_device', 'Device');
  const organization = embedded(payload, 'requesting_organization', 'Organization');
  const practitioner = embedded(payload, 'requesting_practitioner', 'Practitioner');

  const deviceIdentifiers = device['identifier'];
  const firstDevice = Array.isArray(deviceIdentifiers) ? (deviceIdentifiers as unknown[])[0] : undefined;
  if (!isObject(firstDevice) || !nonEmptyString(firstDevice['system']) || !nonEmptyString(firstDevice['value'])) {
    throw bad('The JWT requesting_device needs an identifier with system and value.');
  }
  if (!nonEmptyString(device['model']) || !nonEmptyString(device['version'])) {
    throw bad('The JWT requesting_device needs model and version.');
  }
  const ods = identifierValue(organization, ODS_CODE);
  if (!nonEmptyString(organization['name']) || ods === undefined) {
    throw bad(`The JWT requesting_organization needs a name and an identifier with system ${ODS_CODE}.`);
  }
  const practitionerId = practitioner['id'];
  if (!nonEmptyString(practitionerId)) throw bad('The JWT requesting_practitioner needs an id (equal to sub).');
  if (practitionerId !== payload['sub']) throw bad('The JWT sub must equal requesting_practitioner.id.');
  const names = practitioner['name'];
  const name = Array.isArray(names) ? (names as unknown[])[0] : undefined;
  const given = isObject(name) ? name['given'] : undefined;
  if (!isObject(name) || !nonEmptyString(name['family']) || !Array.isArray(given) || given.length === 0) {
    throw bad('The JWT requesting_practitioner needs a name with family and given.');
  }
  // "UNK" is allowed for the SDS user id (PT JWT.feature: practitioner identity UNK → 200).
  const sdsUserId = identifierValue(practitioner, SDS_USER_ID);
  if (sdsUserId === undefined)
    throw bad(`The JWT requesting_practitioner needs an identifier with system ${SDS_USER_ID}.`);

  return Object.freeze({
    iss: payload['iss'] as string,
    sub: payload['sub'] as string,
    aud: payload['aud'] as string,
    exp,
    iat,
    scope,
    confidentiality,
    reason,
    practitioner: {
      id: practitionerId,
      name: `${(given as unknown[]).join(' ')} ${String(name['family'])}`,
      sdsUserId,
    },
    organization: { ods, name: organization['name'] as string },
    device: { id: firstDevice['value'] },
  });
}
