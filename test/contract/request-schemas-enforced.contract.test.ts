import { control, emis, fhirR4, gpconnect, mesh, oauth, openapi, pds } from '@gpsim/contracts';
import type { RunningGpsim } from '@gpsim/simulator/main';
import type { z } from 'zod';
import { INTERACTION, appointmentFor, gpcClient, jwtClaims } from '../support/gpconnect';
import type { GpcCall, Resource } from '../support/gpconnect';
import { MeshTestClient } from '../support/mesh-client';
import { smallEstate, startTestGpsim } from '../support/gpsim';
import { backendToken, bearer } from '../support/tokens';

/**
 * Every request schema the published contracts declare is enforced by the surface that serves it:
 * a request breaking the schema is refused with a 4xx in that surface's own error dialect. gpsim
 * validates in each surface rather than in one generic layer at the dispatcher, because the right
 * refusal differs by surface and, in GP Connect, by rule (400 BAD_REQUEST / INVALID_NHS_NUMBER vs
 * 422 INVALID_PARAMETER / INVALID_RESOURCE; docs/decisions/013-published-contracts-and-verify.md).
 */

interface Answer {
  status: number;
  text: string;
}

interface Violation {
  /** What is sent as the body or query: the operation's request schema must reject it. */
  input: Record<string, unknown>;
  send: (input: Record<string, unknown>) => Promise<Answer>;
  /** The status the surface answers (the spec's choice where it makes one). */
  status: number;
  /** The surface's error dialect: a contract schema for JSON errors, a pattern for XML. */
  error: z.ZodType | RegExp;
  /** The error code the dialect carries (Spine code, OAuth error, ...), where the spec names one. */
  code?: string;
}

describe('request schemas in the contracts are enforced by their surfaces', () => {
  jest.setTimeout(60_000);
  let gpsim: RunningGpsim;
  let manifest: control.Manifest;
  let practice: control.Manifest['practices'][number];
  let gpc: ReturnType<typeof gpcClient>;
  let booked: Resource;
  let token: string;

  beforeAll(async () => {
    gpsim = await startTestGpsim(smallEstate);
    manifest = (await (await fetch(`${gpsim.url}/__sim/fixtures`)).json()) as control.Manifest;
    practice = manifest.practices[0] as typeof practice;
    gpc = gpcClient(practice, manifest.consumers[0]?.asid ?? '');
    token = await backendToken(gpsim.url);
    // An appointment to amend, so that the update body is what is checked, not the id.
    const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
    const slots = await gpc({
      path: `/Slot?status=free&start=ge${day(1)}&end=le${day(7)}&_include=Slot:schedule`,
      interaction: INTERACTION.searchSlots,
      scope: 'organization/*.read',
    });
    const slot = (slots.body['entry'] as { resource: Resource }[])
      .map((entry) => entry.resource)
      .find((resource) => resource.resourceType === 'Slot') as Resource;
    const nhsNumber = manifest.archetypes.find((entry) => entry.key === 'standard' && entry.ods === practice.ods);
    const patientId = gpsim.engine.population.byNhsNumber(nhsNumber?.nhsNumber ?? '')?.patient.id ?? '';
    const reply = await gpc({
      method: 'POST',
      path: '/Appointment',
      interaction: INTERACTION.bookAppointment,
      scope: 'patient/*.write',
      body: appointmentFor(slot, patientId),
    });
    expect(reply.status).toBe(201);
    booked = reply.body as Resource;
  });
  afterAll(() => gpsim.close());

  const query = (input: Record<string, unknown>) => new URLSearchParams(input as Record<string, string>).toString();
  const plain = async (path: string, init: RequestInit = {}): Promise<Answer> => {
    const response = await fetch(`${gpsim.url}${path}`, init);
    return { status: response.status, text: await response.text() };
  };
  const json = (method: string, path: string) => (input: Record<string, unknown>) =>
    plain(path, { method, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(input) });
  const gpcCall =
    (call: Omit<GpcCall, 'body'>) =>
    async (input: Record<string, unknown>): Promise<Answer> => {
      const isQuery = (call.method ?? 'GET') === 'GET';
      const reply = await gpc({
        ...call,
        path: isQuery ? `${call.path}?${query(input)}` : call.path,
        ...(isQuery ? {} : { body: input }),
      });
      return { status: reply.status, text: reply.text };
    };

  /** Keyed surface.operationId, one for every operation of the contracts that has a body or query schema. */
  const violations = (): Record<string, Violation> => ({
    // GPC 1.6 foundations_use_case_find_a_patient: an identifier without the NHS number system.
    'gpconnect.findPatient': {
      input: {},
      send: gpcCall({ path: '/Patient', interaction: INTERACTION.searchPatient }),
      status: 400,
      error: gpconnect.OperationOutcome,
      code: 'BAD_REQUEST',
    },
    // GPC 1.6 foundations_use_case_register_a_patient: the body is a Parameters resource.
    'gpconnect.registerPatient': {
      input: { resourceType: 'Patient' },
      send: gpcCall({
        method: 'POST',
        path: '/Patient/$gpc.registerpatient',
        interaction: INTERACTION.registerPatient,
        scope: 'patient/*.write',
      }),
      status: 422,
      error: gpconnect.OperationOutcome,
      code: 'INVALID_RESOURCE',
    },
    // GPC 1.6 appointments_use_case_search_for_free_slots: start, end, status and _include are mandatory.
    'gpconnect.searchSlots': {
      input: { status: 'free', _include: 'Slot:schedule' },
      send: gpcCall({ path: '/Slot', interaction: INTERACTION.searchSlots, scope: 'organization/*.read' }),
      status: 400,
      error: gpconnect.OperationOutcome,
      code: 'BAD_REQUEST',
    },
    // GPC 1.6 appointments_use_case_book_an_appointment: status, start, end, slot and participant.
    'gpconnect.bookAppointment': {
      input: { resourceType: 'Appointment' },
      send: gpcCall({
        method: 'POST',
        path: '/Appointment',
        interaction: INTERACTION.bookAppointment,
        scope: 'patient/*.write',
      }),
      status: 422,
      error: gpconnect.OperationOutcome,
      code: 'INVALID_RESOURCE',
    },
    // GPC 1.6 appointments_use_case_amend_an_appointment: the whole Appointment is sent back.
    'gpconnect.updateAppointment': {
      input: { resourceType: 'Appointment', id: '' },
      send: (input) =>
        gpcCall({
          method: 'PUT',
          path: `/Appointment/${booked.id ?? ''}`,
          interaction: INTERACTION.amendAppointment,
          scope: 'patient/*.write',
        })({ ...input, id: booked.id }),
      status: 422,
      error: gpconnect.OperationOutcome,
      code: 'INVALID_RESOURCE',
    },
    // GPC Access Record Structured 1.6: parameter names come from the operation definition.
    'gpconnect.getStructuredRecord': {
      input: { resourceType: 'Parameters', parameter: [{ name: 'includeEverything' }] },
      send: gpcCall({
        method: 'POST',
        root: 'structured',
        path: '/Patient/$gpc.getstructuredrecord',
        interaction: INTERACTION.getStructuredRecord,
      }),
      status: 422,
      error: gpconnect.OperationOutcome,
      code: 'INVALID_PARAMETER',
    },
    'gpconnect.migrateStructuredRecord': {
      input: { resourceType: 'Parameters', parameter: [{ name: 'includeEverything' }] },
      send: gpcCall({
        method: 'POST',
        root: 'structured',
        path: '/Patient/$gpc.migratestructuredrecord',
        interaction: INTERACTION.migrateStructuredRecord,
        // GPC Access Record Structured 1.6 migrate: reason_for_request "migration".
        claims: { ...jwtClaims('patient/*.read conf/N'), reason_for_request: 'migration' },
      }),
      status: 422,
      error: gpconnect.OperationOutcome,
      code: 'INVALID_PARAMETER',
    },
    // GPC Access Document 1.2, find a patient: identifier is mandatory.
    'gpconnect.documentsFindPatient': {
      input: {},
      send: gpcCall({ root: 'documents', path: '/Patient', interaction: INTERACTION.documentsSearchPatient }),
      status: 400,
      error: gpconnect.OperationOutcome,
      code: 'BAD_REQUEST',
    },
    // MESH API, track an outbox message: messageID is required.
    'mesh.tracking': {
      input: {},
      send: async (input) => {
        const mailbox = manifest.mailboxes.find((entry) => entry.ods === practice.ods);
        const client = new MeshTestClient(
          `${gpsim.url}/mesh`,
          { id: mailbox?.id ?? '', password: mailbox?.password ?? '' },
          manifest.mesh.sharedSecret,
          () => new Date(gpsim.engine.clock.now()),
        );
        const reply = await client.request('GET', `/outbox/tracking?${query(input)}`, {
          headers: { 'mex-ClientVersion': 'test/1', 'mex-OSName': 'Linux', 'mex-OSVersion': '1' },
        });
        return { status: reply.status, text: reply.bytes.toString('utf8') };
      },
      status: 400,
      error: mesh.MeshError,
    },
    // RFC 6749 §4.1.3 / §5.2: grant_type is required; its absence is invalid_request.
    'smart.token': {
      input: { code: 'x' },
      send: (input) =>
        plain('/oauth/token', {
          method: 'POST',
          headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
          body: query(input),
        }),
      status: 400,
      error: oauth.OAuthError,
      code: 'invalid_request',
    },
    // FHIR R4 search: _count is a number.
    'fhir-r4.r4SearchPatient': {
      input: { family: 'Smith', _count: 'many' },
      send: (input) => plain(`/fhir/R4/Patient?${query(input)}`, { headers: bearer(token) }),
      status: 400,
      error: fhirR4.R4OperationOutcome,
    },
    // PDS FHIR API, search a patient: gender is male, female, other or unknown.
    'pds.pdsSearch': {
      input: { family: 'Smith', gender: 'robot', birthdate: 'eq1980-01-01' },
      send: (input) =>
        plain(`/spine/pds/FHIR/R4/Patient?${query(input)}`, { headers: { 'X-Request-ID': crypto.randomUUID() } }),
      status: 400,
      error: pds.PdsOperationOutcome,
    },
    // reference/domain.md §2.3: InitializeWithID takes ClientId, ClientSecret and OrganisationId.
    'emis.initializeWithId': {
      input: { OrganisationId: practice.ods },
      send: json('POST', '/emis/partner-api/InitializeWithID'),
      status: 400,
      error: emis.EmisError,
    },
    // reference/domain.md §2.2: the ClientIntegrationRequest envelope names its Function.
    'systmone.clientIntegration': {
      input: {
        RequestUID: crypto.randomUUID(),
        APIKey: 'key',
        DeviceID: 'device',
        DeviceVersion: '1',
        FunctionVersion: '1.0',
        FunctionParameters: '',
      },
      send: (input) => {
        const systmone = manifest.practices.find((entry) => entry.system === 'systmone');
        const elements = Object.entries(input).map(([name, value]) => `<${name}>${String(value)}</${name}>`);
        return plain(`/systmone/${systmone?.ods ?? ''}/client-integration`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/xml' },
          body: `<?xml version="1.0" encoding="utf-8"?><ClientIntegrationRequest>${elements.join('')}</ClientIntegrationRequest>`,
        });
      },
      status: 400,
      error: /<Error>/,
    },
    // The control API parses bodies with the same schemas (README, control API).
    'control.reset': {
      input: { seed: 42 },
      send: json('POST', '/__sim/reset'),
      status: 400,
      error: control.ControlError,
    },
    'control.changeClock': {
      input: { freeze: 'yes' },
      send: json('POST', '/__sim/clock'),
      status: 400,
      error: control.ControlError,
    },
    'control.addFault': {
      input: { match: { ods: practice.ods } },
      send: json('POST', '/__sim/faults'),
      status: 400,
      error: control.ControlError,
    },
    'control.startScenario': {
      input: { seed: 7 },
      send: json('POST', `/__sim/scenarios/${'flaky-network'}/start`),
      status: 400,
      error: control.ControlError,
    },
    'control.patchPractice': {
      input: { deviceTrust: 'sometimes' },
      send: json('PATCH', `/__sim/practices/${practice.ods}`),
      status: 400,
      error: control.ControlError,
    },
    'control.actOnTask': {
      input: { by: 'nobody' },
      send: json('POST', '/__sim/tasks/no-such-task'),
      status: 400,
      error: control.ControlError,
    },
    'control.subscribe': {
      input: { url: 'http://127.0.0.1:9/hook' },
      send: json('POST', '/__sim/subscriptions'),
      status: 400,
      error: control.ControlError,
    },
    'control.launch': {
      input: { ods: practice.ods },
      send: json('POST', '/__sim/launches'),
      status: 400,
      error: control.ControlError,
    },
    'control.registerClient': {
      input: { clientId: 'c' },
      send: json('POST', '/__sim/clients'),
      status: 400,
      error: control.ControlError,
    },
    'control.deviceLogin': {
      input: { username: 'x' },
      send: json('POST', '/__sim/devices/login'),
      status: 400,
      error: control.ControlError,
    },
    'control.deviceVerify': {
      input: { username: 'x' },
      send: json('POST', '/__sim/devices/verify'),
      status: 400,
      error: control.ControlError,
    },
    'control.movePdsRegistration': {
      input: { ods: 'not an ODS code' },
      send: json('PUT', `/__sim/patients/${manifest.archetypes[0]?.nhsNumber ?? ''}/pds-registration`),
      status: 400,
      error: control.ControlError,
    },
  });

  const withRequestSchema = Object.entries(openapi.surfaceContracts).flatMap(([surface, contract]) =>
    contract.operations
      .filter((operation) => operation.body ?? operation.query)
      .map((operation) => ({ key: `${surface}.${operation.operationId}`, operation })),
  );

  it('has a violating request for every operation whose contract declares a body or query schema', () => {
    expect(withRequestSchema.map((entry) => entry.key).sort()).toEqual(Object.keys(violations()).sort());
  });

  it.each(withRequestSchema.map((entry) => [entry.key, entry.operation] as const))(
    '%s refuses a request its schema rejects, in its own dialect',
    async (key, operation) => {
      const violation = violations()[key];
      if (!violation) throw new Error(`no violating request for ${key}`);
      const schema = (operation.body?.schema ?? operation.query) as z.ZodType;
      // The input really breaks the contract: otherwise the surface's refusal would prove nothing.
      expect(schema.safeParse(violation.input).success).toBe(false);
      const answer = await violation.send(violation.input);
      expect({ key, status: answer.status }).toEqual({ key, status: violation.status });
      if (violation.code !== undefined) expect(answer.text).toContain(`"${violation.code}"`);
      if (violation.error instanceof RegExp) {
        expect(answer.text).toMatch(violation.error);
      } else {
        const parsed = violation.error.safeParse(JSON.parse(answer.text));
        expect(parsed.error?.issues ?? []).toEqual([]);
      }
    },
  );
});
