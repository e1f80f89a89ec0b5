import { createHmac, randomUUID } from 'node:crypto';
import type { VerifyCase } from './verify-case';
import type { VerifyContext } from './verify-context';

function base64url(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

/**
 * SSP headers and the unsigned audit JWT every GP Connect request carries
 * (GPC 1.6 integration_spine_secure_proxy, integration_cross_organisation_audit_and_provenance).
 */
/**
 * The scope an interaction asks for (GPC 1.6 integration_cross_organisation_audit_and_provenance):
 * organization/* for the directory, metadata and slot search, patient/* otherwise; write for
 * create, update, cancel and register patient.
 */
function requestedScope(interaction: string): string {
  const access = /:(create|update|cancel):|gpc\.registerpatient/.test(interaction) ? 'write' : 'read';
  const subject = /organization|practitioner|location|metadata|slot/.test(interaction) ? 'organization' : 'patient';
  return `${subject}/*.${access}`;
}

/** The service root a path is under, the longest that matches: the JWT aud must name it (--strict). */
function serviceRootOf(context: VerifyContext, path: string): string {
  const roots = Object.values(context.practice.serviceRoots).sort((a, b) => b.length - a.length);
  return roots.find((root) => path.startsWith(new URL(root).pathname)) ?? context.practice.serviceRoots.gpconnect;
}

export function gpConnectHeaders(context: VerifyContext, interaction: string, path: string): Record<string, string> {
  const now = Math.floor(Date.now() / 1000);
  const consumer = context.manifest.consumers[0];
  const claims = {
    iss: 'https://verify.gpsim.invalid/',
    sub: '1',
    aud: serviceRootOf(context, path),
    exp: now + 300,
    iat: now,
    reason_for_request: 'directcare',
    requested_scope: requestedScope(interaction),
    requesting_device: {
      resourceType: 'Device',
      identifier: [{ system: 'https://verify.gpsim.invalid/Id/device', value: 'gpsim-verify' }],
      model: 'gpsim verify',
      version: '1',
    },
    requesting_organization: {
      resourceType: 'Organization',
      identifier: [{ system: 'https://fhir.nhs.uk/Id/ods-organization-code', value: consumer?.ods ?? 'X99999' }],
      name: consumer?.name ?? 'Verifier',
    },
    requesting_practitioner: {
      resourceType: 'Practitioner',
      id: '1',
      identifier: [
        { system: 'https://fhir.nhs.uk/Id/sds-user-id', value: '999999999999' },
        { system: 'https://fhir.nhs.uk/Id/sds-role-profile-id', value: '999999999998' },
      ],
      name: [{ family: 'Verifier', given: ['Contract'], prefix: ['Dr'] }],
    },
  };
  return {
    'Ssp-TraceID': randomUUID(),
    'Ssp-From': consumer?.asid ?? '999999999999',
    'Ssp-To': context.practice.asid,
    'Ssp-InteractionID': interaction,
    Authorization: `Bearer ${base64url({ alg: 'none', typ: 'JWT' })}.${base64url(claims)}.`,
    Accept: 'application/fhir+json',
  };
}

/** NHSMESH mailbox:nonce:count:timestamp:HMAC-SHA256(shared secret, mailbox:nonce:count:password:timestamp) (MESH API, authentication). */
function meshHeaders(context: VerifyContext, path: string): Record<string, string> {
  const id = /\/messageexchange\/([^/]+)/.exec(path)?.[1] ?? '';
  const mailbox = context.manifest.mailboxes.find((candidate) => candidate.id === id);
  if (!mailbox) return {};
  const nonce = randomUUID();
  const timestamp = new Date().toISOString().replace(/[-:T]/g, '').slice(0, 12);
  const hmac = createHmac('sha256', context.manifest.mesh.sharedSecret)
    .update(`${mailbox.id}:${nonce}:1:${mailbox.password}:${timestamp}`)
    .digest('hex');
  return {
    Authorization: `NHSMESH ${mailbox.id}:${nonce}:1:${timestamp}:${hmac}`,
    'mex-ClientVersion': 'gpsim-verify/1',
    'mex-OSName': 'Linux',
    'mex-OSVersion': '1',
  };
}

export function authHeaders(
  context: VerifyContext,
  request: VerifyCase['request'],
  path: string,
): Record<string, string> {
  switch (request.auth) {
    case 'gpconnect':
      return gpConnectHeaders(context, request.interaction ?? '', path);
    case 'mesh':
      return meshHeaders(context, path);
    case 'pds':
      return { 'X-Request-ID': randomUUID() };
    case 'none':
      return {};
  }
}
