import { randomUUID } from 'node:crypto';
import type { control } from '@gpsim/contracts';
import { assertGpcProfiles } from './gpc-profiles';

/** Interaction ids the tests send (GPC pages/integration/integration_interaction_ids.md). */
export const INTERACTION = {
  metadata: 'urn:nhs:names:services:gpconnect:fhir:rest:read:metadata-1',
  readPatient: 'urn:nhs:names:services:gpconnect:fhir:rest:read:patient-1',
  searchPatient: 'urn:nhs:names:services:gpconnect:fhir:rest:search:patient-1',
  readPractitioner: 'urn:nhs:names:services:gpconnect:fhir:rest:read:practitioner-1',
  searchPractitioner: 'urn:nhs:names:services:gpconnect:fhir:rest:search:practitioner-1',
  readOrganization: 'urn:nhs:names:services:gpconnect:fhir:rest:read:organization-1',
  searchOrganization: 'urn:nhs:names:services:gpconnect:fhir:rest:search:organization-1',
  readLocation: 'urn:nhs:names:services:gpconnect:fhir:rest:read:location-1',
  registerPatient: 'urn:nhs:names:services:gpconnect:fhir:operation:gpc.registerpatient-1',
  searchSlots: 'urn:nhs:names:services:gpconnect:fhir:rest:search:slot-1',
  readAppointment: 'urn:nhs:names:services:gpconnect:fhir:rest:read:appointment-1',
  bookAppointment: 'urn:nhs:names:services:gpconnect:fhir:rest:create:appointment-1',
  amendAppointment: 'urn:nhs:names:services:gpconnect:fhir:rest:update:appointment-1',
  cancelAppointment: 'urn:nhs:names:services:gpconnect:fhir:rest:cancel:appointment-1',
  patientAppointments: 'urn:nhs:names:services:gpconnect:fhir:rest:search:patient_appointments-1',
  structuredMetadata: 'urn:nhs:names:services:gpconnect:structured:fhir:rest:read:metadata-1',
  getStructuredRecord: 'urn:nhs:names:services:gpconnect:fhir:operation:gpc.getstructuredrecord-1',
  migrateStructuredRecord: 'urn:nhs:names:services:gpconnect:fhir:operation:gpc.migratestructuredrecord-1',
  documentsMetadata: 'urn:nhs:names:services:gpconnect:documents:fhir:rest:read:metadata-1',
  documentsSearchPatient: 'urn:nhs:names:services:gpconnect:documents:fhir:rest:search:patient-1',
  searchDocuments: 'urn:nhs:names:services:gpconnect:documents:fhir:rest:search:documentreference-1',
  readBinary: 'urn:nhs:names:services:gpconnect:documents:fhir:rest:read:binary-1',
} as const;

export type Claims = Record<string, unknown>;

/** The spec's example JWT payload (GPC integration_cross_organisation_audit_and_provenance.md), freshly timed. */
export function jwtClaims(scope: string, nowS = Math.floor(Date.now() / 1000)): Claims {
  return {
    iss: 'https://consumersupplier.thirdparty.nhs.uk/',
    sub: '10019',
    aud: 'https://providersupplier.thirdparty.nhs.uk/GP0001/STU3/1',
    exp: nowS + 300,
    iat: nowS,
    reason_for_request: 'directcare',
    requested_scope: scope,
    requesting_device: {
      resourceType: 'Device',
      identifier: [{ system: 'https://consumersupplier.com/Id/device-identifier', value: 'CONS-APP-4' }],
      model: 'Consumer product name',
      version: '5.3.0',
    },
    requesting_organization: {
      resourceType: 'Organization',
      identifier: [{ system: 'https://fhir.nhs.uk/Id/ods-organization-code', value: 'A1001' }],
      name: 'Test Hospital',
    },
    requesting_practitioner: {
      resourceType: 'Practitioner',
      id: '10019',
      identifier: [
        { system: 'https://fhir.nhs.uk/Id/sds-user-id', value: '111222333444' },
        { system: 'https://fhir.nhs.uk/Id/sds-role-profile-id', value: '444555666777' },
      ],
      name: [{ family: 'Jones', given: ['Claire'], prefix: ['Dr'] }],
    },
  };
}

export function unsignedJwt(claims: Claims, header: Record<string, unknown> = { alg: 'none', typ: 'JWT' }): string {
  const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${part(header)}.${part(claims)}.`;
}

export interface GpcCall {
  method?: string;
  /** Which service root the path is under (Foundations by default). */
  root?: 'gpconnect' | 'structured' | 'documents';
  path: string;
  interaction: string;
  scope?: string;
  claims?: Claims;
  body?: unknown;
  headers?: Record<string, string | undefined>;
}

export interface GpcReply {
  status: number;
  headers: Headers;
  /** The parsed body when the answer is JSON; {} otherwise (read `text`). */
  body: Record<string, unknown>;
  text: string;
}

/** A GP Connect client for tests: SSP headers and a valid JWT unless the call overrides them. */
export type ManifestPractice = control.Manifest['practices'][number];

export function gpcClient(practice: ManifestPractice, consumerAsid: string) {
  return async (call: GpcCall): Promise<GpcReply> => {
    const scope = call.scope ?? 'patient/*.read';
    const headers: Record<string, string> = {
      Accept: 'application/fhir+json',
      'Ssp-TraceID': randomUUID(),
      'Ssp-From': consumerAsid,
      'Ssp-To': practice.asid,
      'Ssp-InteractionID': call.interaction,
      Authorization: `Bearer ${unsignedJwt(call.claims ?? jwtClaims(scope))}`,
      ...(call.body === undefined ? {} : { 'Content-Type': 'application/fhir+json;charset=utf-8' }),
    };
    for (const [name, value] of Object.entries(call.headers ?? {})) {
      if (value === undefined) delete headers[name];
      else headers[name] = value;
    }
    const response = await fetch(`${practice.serviceRoots[call.root ?? 'gpconnect']}${call.path}`, {
      method: call.method ?? 'GET',
      headers,
      ...(call.body === undefined
        ? {}
        : { body: typeof call.body === 'string' ? call.body : JSON.stringify(call.body) }),
    });
    const text = await response.text();
    const body =
      text === '' || !/json/.test(response.headers.get('content-type') ?? 'json')
        ? {}
        : (JSON.parse(text) as Record<string, unknown>);
    // Every FHIR answer is held to its profiles, whatever the test itself asserts.
    if (typeof body['resourceType'] === 'string') assertGpcProfiles(body, `${call.method ?? 'GET'} ${call.path}`);
    return { status: response.status, headers: response.headers, text, body };
  };
}

/** The Spine code of an OperationOutcome reply. */
export function spineCode(reply: Pick<GpcReply, 'body'>): string | undefined {
  const issue = (reply.body['issue'] as { details?: { coding?: { code?: string }[] } }[] | undefined)?.[0];
  return issue?.details?.coding?.[0]?.code;
}

/** A FHIR resource as the tests read it from a reply. */
export type Resource = { resourceType: string; id?: string; [element: string]: unknown };

/**
 * The Appointment a consumer books into `slot` for a patient (GPC appointments use case "Book an
 * appointment": one booking organisation, contained; one slot; one patient).
 */
export function appointmentFor(slot: Resource, patientId: string, overrides: Record<string, unknown> = {}) {
  return {
    resourceType: 'Appointment',
    meta: { profile: ['https://fhir.nhs.uk/STU3/StructureDefinition/GPConnect-Appointment-1'] },
    contained: [
      {
        resourceType: 'Organization',
        id: '1',
        identifier: [{ system: 'https://fhir.nhs.uk/Id/ods-organization-code', value: 'A1001' }],
        name: 'Test Hospital',
      },
    ],
    extension: [
      {
        url: 'https://fhir.nhs.uk/STU3/StructureDefinition/Extension-GPConnect-BookingOrganisation-1',
        valueReference: { reference: '#1' },
      },
    ],
    status: 'booked',
    start: slot['start'],
    end: slot['end'],
    slot: [{ reference: `Slot/${slot.id ?? ''}` }],
    description: 'Review of symptoms',
    participant: [{ actor: { reference: `Patient/${patientId}` }, status: 'accepted' }],
    ...overrides,
  };
}
