import type { ClientOptions } from '../transport/client-options.js';
import { splitUrl, transportFor } from '../transport/client-options.js';
import { parseBody, toApiError } from '../transport/resilient-transport.js';
import type { ResilientTransport } from '../transport/resilient-transport.js';
import type { AuditIdentity, ReasonForRequest, RequestedScope } from './audit-jwt.js';
import { auditJwt } from './audit-jwt.js';
import type { MigrateRecordQuery, StructuredRecordQuery } from './structured-query.js';
import { migrateRecordParameters, structuredRecordParameters } from './structured-query.js';
import type {
  Appointment,
  Binary,
  Bundle,
  CapabilityStatement,
  DocumentReference,
  Patient,
  Slot,
} from './wire-types.js';

/** Interaction ids (GPC integration_interaction_ids.md). */
export const GP_CONNECT_INTERACTIONS = {
  metadata: 'urn:nhs:names:services:gpconnect:fhir:rest:read:metadata-1',
  readPatient: 'urn:nhs:names:services:gpconnect:fhir:rest:read:patient-1',
  searchPatient: 'urn:nhs:names:services:gpconnect:fhir:rest:search:patient-1',
  registerPatient: 'urn:nhs:names:services:gpconnect:fhir:operation:gpc.registerpatient-1',
  searchSlots: 'urn:nhs:names:services:gpconnect:fhir:rest:search:slot-1',
  readAppointment: 'urn:nhs:names:services:gpconnect:fhir:rest:read:appointment-1',
  bookAppointment: 'urn:nhs:names:services:gpconnect:fhir:rest:create:appointment-1',
  amendAppointment: 'urn:nhs:names:services:gpconnect:fhir:rest:update:appointment-1',
  cancelAppointment: 'urn:nhs:names:services:gpconnect:fhir:rest:cancel:appointment-1',
  patientAppointments: 'urn:nhs:names:services:gpconnect:fhir:rest:search:patient_appointments-1',
  getStructuredRecord: 'urn:nhs:names:services:gpconnect:fhir:operation:gpc.getstructuredrecord-1',
  migrateStructuredRecord: 'urn:nhs:names:services:gpconnect:fhir:operation:gpc.migratestructuredrecord-1',
  documentsSearchPatient: 'urn:nhs:names:services:gpconnect:documents:fhir:rest:search:patient-1',
  searchDocuments: 'urn:nhs:names:services:gpconnect:documents:fhir:rest:search:documentreference-1',
  readBinary: 'urn:nhs:names:services:gpconnect:documents:fhir:rest:read:binary-1',
} as const;

const NHS_NUMBER_SYSTEM = 'https://fhir.nhs.uk/Id/nhs-number';
const ODS_SYSTEM = 'https://fhir.nhs.uk/Id/ods-organization-code';
const PROFILE = 'https://fhir.nhs.uk/STU3/StructureDefinition/';

export interface ServiceRoots {
  gpconnect: string;
  structured: string;
  documents: string;
}

export interface GpConnectClientOptions extends ClientOptions, AuditIdentity {
  /** The practice's service roots, e.g. a practice's `serviceRoots` from the gpsim manifest or the SDS. */
  serviceRoots: ServiceRoots;
  /** The provider's ASID (Ssp-To) and the consumer's own (Ssp-From). */
  providerAsid: string;
  consumerAsid: string;
  /**
   * Send every request through the Spine Secure Proxy: its base URL, e.g. the manifest's
   * `endpoints.ssp`. Requests then go to `{ssp}/{full provider URL}`.
   */
  ssp?: string;
  /** Further nodes serving the same roots (origins), tried in order when the first fails. */
  failoverOrigins?: readonly string[];
  /** The time the JWT is minted at; gpsim's simulated clock when it has been moved. */
  clock?: () => number;
}

/** A value with the version the server gave it (ETag), needed to amend or cancel it. */
export interface Versioned<R> {
  resource: R;
  etag: string | undefined;
}

export interface SlotSearch {
  /** yyyy-mm-dd or yyyy-mm-ddThh:mm:ss+hh:mm; at most 14 days apart. */
  start: string;
  end: string;
  /** Slots some practices reserve for an organisation (searchFilter ODS code) or organisation type. */
  bookingOdsCode?: string;
  bookingOrganisationType?: string;
}

export interface Booking {
  slot: Pick<Slot, 'id' | 'start' | 'end'>;
  patientId: string;
  description?: string;
  comment?: string;
}

type Root = keyof ServiceRoots;
type Interaction = keyof typeof GP_CONNECT_INTERACTIONS;

/**
 * A GP Connect consumer for one practice: Ssp-* headers, a fresh audit JWT per request, typed STU3
 * resources for Foundations, Appointment Management, Access Record Structured and Access Document.
 * Errors are GpsimApiError with surface "gpconnect" and the Spine error code.
 */
export class GpConnectClient {
  private readonly transport: ResilientTransport;
  private readonly clock: () => number;

  constructor(private readonly options: GpConnectClientOptions) {
    const origin = splitUrl(options.ssp ?? options.serviceRoots.gpconnect).origin;
    this.transport = transportFor([origin, ...(options.ssp ? [] : (options.failoverOrigins ?? []))], options);
    this.clock = options.clock ?? Date.now;
  }

  /** The practice's CapabilityStatement (Foundations). */
  metadata(): Promise<CapabilityStatement> {
    return this.request('gpconnect', 'GET', '/metadata', 'metadata', 'organization/*.read');
  }

  /** Finds a patient by NHS number: a searchset with no entry when not found or not visible. */
  findPatient(nhsNumber: string): Promise<Bundle<Patient>> {
    const identifier = encodeURIComponent(`${NHS_NUMBER_SYSTEM}|${nhsNumber}`);
    return this.request('gpconnect', 'GET', `/Patient?identifier=${identifier}`, 'searchPatient', 'patient/*.read');
  }

  async readPatient(id: string): Promise<Versioned<Patient>> {
    return this.versioned('gpconnect', 'GET', `/Patient/${encodeURIComponent(id)}`, 'readPatient', 'patient/*.read');
  }

  /** Registers a patient temporarily ($gpc.registerpatient): the searchset with the registered patient. */
  registerPatient(patient: { nhsNumber: string; family: string; given: string[]; birthDate: string }): Promise<Bundle> {
    return this.request('gpconnect', 'POST', '/Patient/$gpc.registerpatient', 'registerPatient', 'patient/*.write', {
      resourceType: 'Parameters',
      parameter: [
        {
          name: 'registerPatient',
          resource: {
            resourceType: 'Patient',
            identifier: [{ system: NHS_NUMBER_SYSTEM, value: patient.nhsNumber }],
            name: [{ use: 'official', family: patient.family, given: patient.given }],
            birthDate: patient.birthDate,
          },
        },
      ],
    });
  }

  /** Free slots with their schedules, practitioners, locations and organisations (_include). */
  searchSlots(search: SlotSearch): Promise<Bundle> {
    const query = new URLSearchParams([
      ['status', 'free'],
      ['start', `ge${search.start}`],
      ['end', `le${search.end}`],
      ['_include', 'Slot:schedule'],
      ['_include:recurse', 'Schedule:actor:Practitioner'],
      ['_include:recurse', 'Schedule:actor:Location'],
      ['_include:recurse', 'Location:managingOrganization'],
    ]);
    if (search.bookingOdsCode) query.append('searchFilter', `${ODS_SYSTEM}|${search.bookingOdsCode}`);
    if (search.bookingOrganisationType)
      query.append(
        'searchFilter',
        `https://fhir.nhs.uk/STU3/CodeSystem/GPConnect-OrganisationType-1|${search.bookingOrganisationType}`,
      );
    return this.request('gpconnect', 'GET', `/Slot?${query.toString()}`, 'searchSlots', 'organization/*.read');
  }

  /** Books a free slot for the patient, on behalf of the requesting organisation. */
  bookAppointment(booking: Booking): Promise<Versioned<Appointment>> {
    const organization = this.options.requestingOrganization;
    const appointment: Appointment = {
      resourceType: 'Appointment',
      meta: { profile: [`${PROFILE}GPConnect-Appointment-1`] },
      contained: [
        {
          resourceType: 'Organization',
          id: '1',
          identifier: [{ system: ODS_SYSTEM, value: organization.odsCode }],
          name: organization.name,
        },
      ],
      extension: [{ url: `${PROFILE}Extension-GPConnect-BookingOrganisation-1`, valueReference: { reference: '#1' } }],
      status: 'booked',
      start: booking.slot.start,
      end: booking.slot.end,
      slot: [{ reference: `Slot/${booking.slot.id}` }],
      ...(booking.description === undefined ? {} : { description: booking.description }),
      ...(booking.comment === undefined ? {} : { comment: booking.comment }),
      participant: [{ actor: { reference: `Patient/${booking.patientId}` }, status: 'accepted' }],
    };
    return this.versioned('gpconnect', 'POST', '/Appointment', 'bookAppointment', 'patient/*.write', appointment);
  }

  readAppointment(id: string): Promise<Versioned<Appointment>> {
    return this.versioned(
      'gpconnect',
      'GET',
      `/Appointment/${encodeURIComponent(id)}`,
      'readAppointment',
      'patient/*.read',
    );
  }

  /** The patient's appointments in a date range (yyyy-mm-dd). */
  patientAppointments(patientId: string, range: { start: string; end: string }): Promise<Bundle<Appointment>> {
    const query = new URLSearchParams([
      ['start', `ge${range.start}`],
      ['start', `le${range.end}`],
    ]);
    return this.request(
      'gpconnect',
      'GET',
      `/Patient/${encodeURIComponent(patientId)}/Appointment?${query.toString()}`,
      'patientAppointments',
      'patient/*.read',
    );
  }

  /** Changes description or comment; `current` must be the version last read (If-Match). */
  amendAppointment(
    current: Versioned<Appointment>,
    changes: { description?: string; comment?: string },
  ): Promise<Versioned<Appointment>> {
    return this.update(current, { ...current.resource, ...changes }, 'amendAppointment');
  }

  /** Cancels a future appointment, with an optional reason (cancellation-reason extension). */
  cancelAppointment(current: Versioned<Appointment>, reason?: string): Promise<Versioned<Appointment>> {
    // Extensions are not pinned by the contract: keep whatever the server sent, add the reason.
    const sent: unknown = current.resource['extension'];
    const extension = [
      ...(Array.isArray(sent) ? (sent as unknown[]) : []),
      ...(reason === undefined
        ? []
        : [{ url: `${PROFILE}Extension-GPConnect-AppointmentCancellationReason-1`, valueString: reason }]),
    ];
    return this.update(current, { ...current.resource, status: 'cancelled', extension }, 'cancelAppointment');
  }

  /** The structured record (a collection Bundle) for a typed query; banned combinations do not compile. */
  getStructuredRecord(query: StructuredRecordQuery): Promise<Bundle> {
    return this.request(
      'structured',
      'POST',
      '/Patient/$gpc.getstructuredrecord',
      'getStructuredRecord',
      'patient/*.read',
      structuredRecordParameters(query),
    );
  }

  /**
   * The record for migration to a new practice ($gpc.migratestructuredrecord): the JWT says
   * reason_for_request "migration", and asks for conf/R only when sensitive items are wanted.
   */
  migrateStructuredRecord(query: MigrateRecordQuery): Promise<Bundle> {
    const scope = query.fullRecord?.includeSensitive ? 'patient/*.read conf/R' : 'patient/*.read conf/N';
    return this.request(
      'structured',
      'POST',
      '/Patient/$gpc.migratestructuredrecord',
      'migrateStructuredRecord',
      scope,
      migrateRecordParameters(query),
      'migration',
    );
  }

  /** Finds a patient on the documents service root (its own Patient id space is the same). */
  findDocumentsPatient(nhsNumber: string): Promise<Bundle<Patient>> {
    const identifier = encodeURIComponent(`${NHS_NUMBER_SYSTEM}|${nhsNumber}`);
    return this.request(
      'documents',
      'GET',
      `/Patient?identifier=${identifier}`,
      'documentsSearchPatient',
      'patient/*.read',
    );
  }

  /** The patient's documents with their authors and custodian (_include as the spec requires). */
  searchDocuments(patientId: string): Promise<Bundle<DocumentReference>> {
    const query = [
      '_include=DocumentReference:subject:Patient',
      '_include=DocumentReference:custodian:Organization',
      '_include=DocumentReference:author:Organization',
      '_include=DocumentReference:author:Practitioner',
      '_revinclude:recurse=PractitionerRole:practitioner',
    ].join('&');
    return this.request(
      'documents',
      'GET',
      `/Patient/${encodeURIComponent(patientId)}/DocumentReference?${query}`,
      'searchDocuments',
      'patient/*.read',
    );
  }

  /** A document's content as a Binary (base64 content). */
  readBinary(id: string): Promise<Binary> {
    return this.request('documents', 'GET', `/Binary/${encodeURIComponent(id)}`, 'readBinary', 'patient/*.read');
  }

  private update(
    current: Versioned<Appointment>,
    resource: Appointment,
    interaction: 'amendAppointment' | 'cancelAppointment',
  ): Promise<Versioned<Appointment>> {
    const id = encodeURIComponent(current.resource.id ?? '');
    const headers: Record<string, string> = current.etag === undefined ? {} : { 'If-Match': current.etag };
    return this.versioned('gpconnect', 'PUT', `/Appointment/${id}`, interaction, 'patient/*.write', resource, headers);
  }

  private async versioned<R>(
    root: Root,
    method: string,
    path: string,
    interaction: Interaction,
    scope: RequestedScope,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<Versioned<R>> {
    const response = await this.exchange(root, method, path, interaction, scope, body, headers);
    return { resource: response.body as R, etag: response.headers.get('etag') ?? undefined };
  }

  private async request<R>(
    root: Root,
    method: string,
    path: string,
    interaction: Interaction,
    scope: RequestedScope,
    body?: unknown,
    reason?: ReasonForRequest,
  ): Promise<R> {
    return (await this.exchange(root, method, path, interaction, scope, body, {}, reason)).body as R;
  }

  private async exchange(
    root: Root,
    method: string,
    path: string,
    interaction: Interaction,
    scope: RequestedScope,
    body: unknown,
    extraHeaders: Record<string, string> = {},
    reason: ReasonForRequest = 'directcare',
  ): Promise<{ body: unknown; headers: Headers }> {
    const serviceRoot = this.options.serviceRoots[root].replace(/\/+$/, '');
    const target = this.options.ssp
      ? `${splitUrl(this.options.ssp).path}/${serviceRoot}${path}`
      : `${splitUrl(serviceRoot).path}${path}`;
    const traceId = crypto.randomUUID();
    const response = await this.transport.send({
      method,
      path: target,
      surface: 'gpconnect',
      headers: {
        Accept: 'application/fhir+json',
        'Ssp-TraceID': traceId,
        'Ssp-From': this.options.consumerAsid,
        'Ssp-To': this.options.providerAsid,
        'Ssp-InteractionID': GP_CONNECT_INTERACTIONS[interaction],
        ...(body === undefined ? {} : { 'Content-Type': 'application/fhir+json;charset=utf-8' }),
        ...extraHeaders,
      },
      // A fresh JWT per attempt: a retry after a wait must not carry an expired token.
      headersPerAttempt: () => ({
        Authorization: `Bearer ${auditJwt(this.options, serviceRoot, scope, this.clock(), reason)}`,
      }),
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      // A booking sent twice books twice: only reads are retried.
      idempotent: method === 'GET',
    });
    const parsed = parseBody(response.text);
    if (response.status >= 400) throw toApiError(response, parsed, 'gpconnect', traceId);
    return { body: parsed, headers: response.headers };
  }
}
