import { serviceRoots } from '../../control/manifest';
import { SimError } from '../../domain/errors';
import type { Practice } from '../../domain/estate';
import type { PracticeSettings } from '../../domain/practice-settings';
import type { Engine } from '../../engine';
import type { SimRequest } from '../../transport/types';
import { assertGpcContentTypes, hasXmlBody } from './content-negotiation';
import { readStu3Xml } from './stu3-xml-reader';
import type { Capability, InteractionName } from './interactions';
import { interactionScope, interactions } from './interactions';
import type { GpcToken } from './jwt';
import { validateGpcToken } from './jwt';

const migrateInteractions: ReadonlySet<InteractionName> = new Set(['migrateStructuredRecord']);

/** What every GP Connect handler gets once the shared rules have passed. */
export interface GpcContext {
  engine: Engine;
  request: SimRequest;
  practice: Practice;
  token: GpcToken;
  settings: PracticeSettings;
  interaction: InteractionName;
}

const MAX_HEADER_CHARS = 256;

function header(request: SimRequest, name: string): string {
  // Header names are case-insensitive (RFC 7230; the test suite sends Ssp-InteractionId), so the
  // transport's lower-cased names are read here.
  const value = request.headers[name.toLowerCase()];
  if (value === undefined || value.trim() === '') {
    throw new SimError('invalid-request', `The ${name} header is missing; every GP Connect request carries it.`, {
      field: name,
    });
  }
  if (value.length > MAX_HEADER_CHARS) {
    throw new SimError('invalid-request', `The ${name} header is longer than ${MAX_HEADER_CHARS} characters.`, {
      field: name,
    });
  }
  return value.trim();
}

/**
 * The rules every GP Connect request obeys, in the order a provider meets them: the practice
 * addressed exists, the SSP headers are present and consistent (Ssp-To is this practice's ASID,
 * the interaction id matches the verb and path), the audit JWT is valid and its scope fits, the
 * media types are supported, and the practice has GP Connect and this capability switched on
 * (GPC development_api_security_guidance.md, development_api_non_functional_requirements.md).
 */
export async function admitGpcRequest(
  engine: Engine,
  request: SimRequest,
  capability: Capability,
  allowed: readonly InteractionName[],
): Promise<GpcContext> {
  const ods = request.params['ods'] ?? '';
  const practice = engine.population.practice(ods);
  request.annotations.ods = ods;
  if (!practice) {
    throw new SimError(
      'practice-not-found',
      `No practice with ODS code "${ods}" in this estate; the service roots are listed at GET /__sim/fixtures.`,
    );
  }
  header(request, 'Ssp-TraceID');
  const from = header(request, 'Ssp-From');
  const to = header(request, 'Ssp-To');
  const interactionId = header(request, 'Ssp-InteractionID');
  request.annotations.clientId = from;
  if (to !== practice.asid) {
    throw new SimError(
      'invalid-request',
      `Ssp-To "${to}" is not the ASID of practice ${practice.ods} (${practice.asid}); address the provider's own ASID.`,
      { field: 'Ssp-To' },
    );
  }
  const interaction = allowed.find((name) => interactions[name] === interactionId);
  if (interaction === undefined) {
    throw new SimError(
      'invalid-request',
      `The interaction ID "${interactionId}" does not match the HTTP request verb and path ${request.method} ${request.path}; expected ${allowed.map((name) => interactions[name]).join(' or ')}.`,
      { field: 'Ssp-InteractionID' },
    );
  }
  request.annotations.interaction = interactionId;
  const token = validateGpcToken(request.headers['authorization'], Math.floor(engine.clock.now() / 1000));
  request.annotations.clientId = `${token.iss}|${token.sub}`;
  // aud is the provider's service root URL (GPC audit_and_provenance; domain.md §1.4). The spec's
  // example stops at /STU3/1 while SDS publishes the root with its routing segment, so both are
  // accepted. The official test suite sends a legacy aud, so only --strict and the integration
  // profile compare it.
  const capabilityRoot = serviceRoots(engine.baseUrl, practice.ods)[
    capability === 'structured' || capability === 'documents' ? capability : 'gpconnect'
  ];
  const versionRoot = `${engine.baseUrl}/${practice.ods}/STU3/1`;
  if (
    (engine.strict || engine.environment.name === 'integration') &&
    token.aud !== capabilityRoot &&
    token.aud !== versionRoot
  ) {
    throw new SimError(
      'invalid-request',
      `JWT aud "${token.aud}" is not this provider's service root; ${engine.strict ? 'strict mode (--strict)' : 'the integration profile, like the live environment,'} needs aud "${capabilityRoot}" (or "${versionRoot}").`,
      { field: 'Authorization' },
    );
  }
  const needed = interactionScope[interaction];
  if (token.scope !== needed) {
    throw new SimError(
      'invalid-request',
      `JWT requested_scope ${token.scope} does not fit this interaction, which needs ${needed}.`,
      { field: 'Authorization' },
    );
  }
  // Only the migrate interactions carry reason_for_request "migration" (GPC audit_and_provenance).
  const wantedReason = migrateInteractions.has(interaction) ? 'migration' : 'directcare';
  if (token.reason !== wantedReason) {
    throw new SimError('invalid-request', `JWT reason_for_request must be "${wantedReason}" for this interaction.`, {
      field: 'Authorization',
    });
  }
  assertGpcContentTypes(request);
  const settings = await engine.practiceSettings.get(practice);
  // Migration works even with the structured capability switched off (GPC migrate_patient_record.md).
  const capabilityOn = migrateInteractions.has(interaction) || settings.gpconnect[capability];
  if (!settings.gpconnect.enabled || !capabilityOn) {
    const what = settings.gpconnect.enabled ? `the ${capability} capability` : 'GP Connect';
    throw new SimError(
      'forbidden',
      `Practice ${practice.ods} has ${what} switched off. Switch it on with PATCH /__sim/practices/${practice.ods}.`,
    );
  }
  // An XML body is read once here into its JSON form, so every handler applies one set of rules.
  const read = hasXmlBody(request)
    ? { ...request, body: Buffer.from(JSON.stringify(readStu3Xml(request.body))) }
    : request;
  return { engine, request: read, practice, token, settings, interaction };
}
