import { z } from 'zod';
import * as control from '../control';
import * as emis from '../emis';
import {
  R4Bundle,
  R4CapabilityStatement,
  R4OperationOutcome,
  R4Patient,
  R4PatientSearchQuery,
} from '../fhir-r4/resources';
import { AnyResource } from '../fhir/datatypes';
import * as mesh from '../mesh/mesh';
import * as oauth from '../oauth/oauth';
import { PdsHeaders, PdsOperationOutcome, PdsPatient, PdsSearchBundle, PdsSearchQuery } from '../pds/pds';
import { ClientIntegrationRequest } from '../systmone/client-integration';
import type { OperationContract, ResponseContract, SurfaceContract } from './operation';

const json = (schema: z.ZodType, description = 'Success', contentType = 'application/json'): ResponseContract => ({
  description,
  contentType,
  schema,
});
const described = (description: string): ResponseContract => ({ description });

const MESH = 'MESH API (digital.nhs.uk/developer/api-catalogue/message-exchange-for-social-care-and-health-api)';
const meshRoot = '/mesh/messageexchange/{mailbox}';
const meshHeaders = z.looseObject({
  authorization: z
    .string()
    .startsWith('NHSMESH ')
    .describe('NHSMESH {mailbox}:{nonce}:{count}:{timestamp}:{HMAC-SHA256}'),
});
const meshErrors = json(mesh.MeshError, 'Any error, v1 or v2 shape');
const meshOp = (
  method: OperationContract['method'],
  path: string,
  operationId: string,
  summary: string,
  responses: Record<string, ResponseContract>,
  extra: Partial<OperationContract> = {},
): OperationContract => ({
  method,
  path: `${meshRoot}${path}`,
  operationId,
  summary,
  citation: `${MESH}: ${summary.toLowerCase()}`,
  tags: ['mesh'],
  headers: meshHeaders,
  responses: { ...responses, default: meshErrors },
  ...extra,
});

export const meshContract: SurfaceContract = {
  surface: 'mesh',
  title: 'gpsim MESH API',
  description:
    'MESH mailboxes of the estate: handshake, send (chunked), inbox, download, acknowledge, tracking. v1 and v2 media types.',
  operations: [
    meshOp('post', '', 'handshake', 'Handshake (validate mailbox)', { 200: json(mesh.HandshakeResponse) }),
    meshOp('get', '/inbox', 'inbox', 'Check an inbox', { 200: json(mesh.InboxResponse) }),
    meshOp('get', '/inbox/{messageId}', 'download', 'Download a message', {
      200: described('Message content (first chunk)'),
      206: described('First chunk; more remain'),
    }),
    meshOp('get', '/inbox/{messageId}/{chunk}', 'downloadChunk', 'Download a chunk', {
      200: described('Last chunk'),
      206: described('A chunk; more remain'),
    }),
    meshOp('put', '/inbox/{messageId}/status/acknowledged', 'acknowledge', 'Acknowledge a message', {
      200: json(mesh.AcknowledgeResponse),
    }),
    meshOp(
      'get',
      '/outbox/tracking',
      'tracking',
      'Track an outbox message',
      { 200: json(mesh.TrackingResponse) },
      { query: z.object({ messageID: z.string().max(100) }) },
    ),
    meshOp(
      'post',
      '/outbox',
      'send',
      'Send a message',
      { 202: json(mesh.SendResponse) },
      { headers: meshHeaders.extend(mesh.SendHeaders.shape) },
    ),
    meshOp('post', '/outbox/{messageId}/{chunk}', 'sendChunk', 'Send a further chunk', {
      202: json(mesh.SendResponse),
    }),
  ],
};

const SMART = 'SMART App Launch 2.2 (hl7.org/fhir/smart-app-launch)';
const oauthErrors = json(oauth.OAuthError, 'RFC 6749 §5.2 error');
export const smartContract: SurfaceContract = {
  surface: 'smart',
  title: 'gpsim authorisation server (SMART App Launch, OIDC)',
  description:
    'Discovery, authorize, token, introspection and userinfo for SMART apps, EMIS-X–style launch and staff login.',
  operations: [
    {
      method: 'get',
      path: '/.well-known/smart-configuration',
      operationId: 'smartConfiguration',
      summary: 'SMART configuration',
      citation: `${SMART}: conformance`,
      tags: ['discovery'],
      responses: { 200: json(oauth.SmartConfiguration) },
    },
    {
      method: 'get',
      path: '/fhir/R4/.well-known/smart-configuration',
      operationId: 'fhirSmartConfiguration',
      summary: 'SMART configuration under the FHIR base',
      citation: `${SMART}: conformance`,
      tags: ['discovery'],
      responses: { 200: json(oauth.SmartConfiguration) },
    },
    {
      method: 'get',
      path: '/.well-known/openid-configuration',
      operationId: 'openidConfiguration',
      summary: 'OpenID Connect discovery',
      citation: 'OpenID Connect Discovery 1.0 §3',
      tags: ['discovery'],
      responses: { 200: json(oauth.OpenIdConfiguration) },
    },
    {
      method: 'get',
      path: '/oauth/jwks',
      operationId: 'jwks',
      summary: 'Signing keys',
      citation: 'RFC 7517',
      tags: ['discovery'],
      responses: { 200: json(oauth.Jwks) },
    },
    {
      method: 'get',
      path: '/oauth/authorize',
      operationId: 'authorize',
      summary: 'Authorize (login and consent, or redirect)',
      citation: 'RFC 6749 §4.1.1',
      tags: ['authorize'],
      responses: {
        200: described('Login or consent page'),
        302: described('Redirect to the app with code or error'),
        default: oauthErrors,
      },
    },
    {
      method: 'post',
      path: '/oauth/token',
      operationId: 'token',
      summary: 'Token',
      citation: 'RFC 6749 §4.1.3, §5',
      tags: ['token'],
      body: { contentType: 'application/x-www-form-urlencoded', schema: oauth.TokenRequest },
      responses: { 200: json(oauth.TokenResponse), default: oauthErrors },
    },
    {
      method: 'post',
      path: '/oauth/introspect',
      operationId: 'introspect',
      summary: 'Token introspection',
      citation: 'RFC 7662',
      tags: ['token'],
      responses: { 200: json(oauth.IntrospectionResponse), default: oauthErrors },
    },
    {
      method: 'get',
      path: '/oauth/userinfo',
      operationId: 'userinfo',
      summary: 'User info',
      citation: 'OpenID Connect Core 1.0 §5.3',
      tags: ['token'],
      responses: { 200: json(z.looseObject({ sub: z.string() })), default: oauthErrors },
    },
  ],
};

const FHIR_JSON = 'application/fhir+json';
const r4Errors = json(R4OperationOutcome, 'UKCore-OperationOutcome', FHIR_JSON);
const r4 = (
  path: string,
  operationId: string,
  summary: string,
  schema: z.ZodType,
  extra: Partial<OperationContract> = {},
): OperationContract => ({
  method: 'get',
  path: `/fhir/R4${path}`,
  operationId,
  summary,
  citation: 'FHIR R4 RESTful API; UK Core STU2 profiles (simplifier.net/hl7fhirukcorer4)',
  tags: ['fhir-r4'],
  responses: { 200: json(schema, 'Success', FHIR_JSON), default: r4Errors },
  ...extra,
});
export const fhirR4Contract: SurfaceContract = {
  surface: 'fhir-r4',
  title: 'gpsim UK Core R4 read API',
  description:
    'The FHIR R4 server launched apps read (their iss): Patient, Practitioner, Organization and the coded record, behind SMART tokens.',
  operations: [
    r4('/metadata', 'r4Metadata', 'CapabilityStatement', R4CapabilityStatement),
    r4('/Patient', 'r4SearchPatient', 'Search patients', R4Bundle, { query: R4PatientSearchQuery }),
    r4('/Patient/{id}', 'r4ReadPatient', 'Read a patient', R4Patient),
    r4('/{resourceType}', 'r4Search', 'Search any served resource type', R4Bundle),
    r4('/{resourceType}/{id}', 'r4Read', 'Read any served resource', AnyResource),
  ],
};

const PDS = 'PDS FHIR API (digital.nhs.uk/developer/api-catalogue/personal-demographics-service-fhir)';
export const pdsContract: SurfaceContract = {
  surface: 'pds',
  title: 'gpsim PDS-like demographics',
  description:
    'Personal Demographics Service lookups over the estate: read by NHS number and application-restricted search.',
  operations: [
    {
      method: 'get',
      path: '/spine/pds/FHIR/R4/Patient',
      operationId: 'pdsSearch',
      summary: 'Search for a patient',
      citation: `${PDS}: search for a patient`,
      tags: ['pds'],
      query: PdsSearchQuery,
      headers: PdsHeaders,
      responses: {
        200: json(
          z.union([PdsSearchBundle, PdsOperationOutcome]),
          'Searchset, or an information OperationOutcome TOO_MANY_MATCHES',
          FHIR_JSON,
        ),
        default: json(PdsOperationOutcome, 'Error', FHIR_JSON),
      },
    },
    {
      method: 'get',
      path: '/spine/pds/FHIR/R4/Patient/{id}',
      operationId: 'pdsRead',
      summary: 'Get patient details',
      citation: `${PDS}: get patient details`,
      tags: ['pds'],
      headers: PdsHeaders,
      responses: {
        200: json(PdsPatient, 'Patient', FHIR_JSON),
        default: json(PdsOperationOutcome, 'Error', FHIR_JSON),
      },
    },
  ],
};

const emisOutcome = z.looseObject({ Outcome: z.enum(['Success', 'Failure', 'Error']) });
export const emisContract: SurfaceContract = {
  surface: 'emis',
  title: 'gpsim EMIS partner API (EMIS Open–style)',
  description: 'EMIS partner API methods over HTTP; JSON or XML with the same PascalCase fields.',
  operations: [
    {
      method: 'post',
      path: '/emis/partner-api/InitializeWithID',
      operationId: 'initializeWithId',
      summary: 'Log on (InitializeWithID)',
      tags: ['emis'],
      body: { contentType: 'application/json', schema: emis.InitializeWithId },
      responses: { 200: json(emis.success(emis.SessionResult)), default: json(emis.EmisError, 'Error') },
    },
    {
      method: 'post',
      path: '/emis/partner-api/{method}',
      operationId: 'callMethod',
      summary: 'Call a partner API method (GetMatchedPatient, GetMedicalRecord, FileRecord, ...)',
      tags: ['emis'],
      responses: { 200: json(emisOutcome), default: json(emis.EmisError, 'Error') },
    },
  ],
};

export const systmoneContract: SurfaceContract = {
  surface: 'systmone',
  title: 'gpsim SystmOne Client Integration over HTTP',
  description: 'The SystmOne Client Integration XML functions over HTTP (the same as the TCP port).',
  operations: [
    {
      method: 'post',
      path: '/systmone/{ods}/client-integration',
      operationId: 'clientIntegration',
      summary: 'Call a Client Integration function',
      tags: ['systmone'],
      body: { contentType: 'application/xml', schema: ClientIntegrationRequest },
      responses: {
        200: { description: 'The function response (XML)', contentType: 'application/xml' },
        default: { description: 'A ClientIntegrationError (XML)', contentType: 'application/xml' },
      },
    },
  ],
};

const controlError = json(control.ControlError, 'Error');
const sim = (
  method: OperationContract['method'],
  path: string,
  operationId: string,
  summary: string,
  ok: ResponseContract | undefined,
  body?: z.ZodType,
  status = 200,
): OperationContract => ({
  method,
  path: `/__sim${path}`,
  operationId,
  summary,
  tags: ['control'],
  ...(body ? { body: { contentType: 'application/json', schema: body } } : {}),
  responses: { [status]: ok ?? described('Success'), default: controlError },
});
export const controlContract: SurfaceContract = {
  surface: 'control',
  title: 'gpsim control API',
  description:
    'How tests and people learn and steer the estate: manifest, reset, clock, faults, scenarios, journal, tasks, launches.',
  operations: [
    sim('get', '/health', 'health', 'Health', json(control.Health)),
    sim('get', '/fixtures', 'fixtures', 'The estate manifest', json(control.Manifest)),
    sim('post', '/reset', 'reset', 'Reset to the seed state', json(control.ResetResult), control.ResetRequest),
    sim('get', '/clock', 'getClock', 'Simulated time', json(control.ClockState)),
    sim('post', '/clock', 'changeClock', 'Move the simulated clock', json(control.ClockState), control.ClockChange),
    sim('get', '/journal', 'journal', 'Request journal', json(control.JournalPage)),
    sim('get', '/audit', 'audit', 'Audit trail', undefined),
    sim('get', '/faults', 'listFaults', 'Fault rules', json(control.FaultRuleList)),
    sim('post', '/faults', 'addFault', 'Add a fault rule', json(control.FaultRuleCreated), control.FaultRuleInput, 201),
    sim('delete', '/faults', 'clearFaults', 'Remove every fault rule', undefined),
    sim('delete', '/faults/{id}', 'removeFault', 'Remove a fault rule', undefined),
    sim('get', '/scenarios', 'listScenarios', 'Scenario presets', undefined),
    sim(
      'post',
      '/scenarios/{name}/start',
      'startScenario',
      'Start a scenario',
      json(control.ScenarioStarted),
      control.ScenarioStartRequest,
      201,
    ),
    sim('post', '/scenarios/stop', 'stopScenario', 'Stop the running scenario', undefined),
    sim('get', '/practices', 'listPractices', 'Practices and their settings', undefined),
    sim('get', '/practices/{ods}', 'getPractice', 'One practice', json(control.PracticeSummary)),
    sim(
      'patch',
      '/practices/{ods}',
      'patchPractice',
      'Change practice settings',
      json(control.PracticeSummary),
      control.PracticeSettingsPatch,
    ),
    sim('get', '/tasks', 'listTasks', 'Workflow tasks', undefined),
    sim('get', '/tasks/{id}', 'getTask', 'One task', undefined),
    sim('post', '/tasks/{id}', 'actOnTask', 'Act on a task as practice staff', undefined, control.TaskAction),
    sim('get', '/subscriptions', 'listSubscriptions', 'Webhook subscriptions', undefined),
    sim(
      'post',
      '/subscriptions',
      'subscribe',
      'Subscribe to task events',
      json(control.CreatedSubscription),
      control.SubscriptionRequest,
      201,
    ),
    sim('delete', '/subscriptions/{id}', 'unsubscribe', 'Remove a subscription', undefined),
    sim('get', '/subscriptions/{id}/deliveries', 'deliveries', 'Webhook deliveries', undefined),
    sim(
      'post',
      '/launches',
      'launch',
      'Start a context launch',
      json(control.LaunchResult),
      control.LaunchRequest,
      201,
    ),
    sim('get', '/clients', 'clients', 'Registered OAuth clients', undefined),
    sim(
      'post',
      '/clients',
      'registerClient',
      'Register an OAuth client',
      json(control.OAuthClient),
      control.OAuthClient,
      201,
    ),
    sim('get', '/openapi', 'openapiIndex', 'Published surfaces and their documents', undefined),
    sim('get', '/roles', 'roles', 'Role and permission matrix', undefined),
    sim('get', '/report', 'report', 'Client behaviour report', undefined),
    sim('post', '/devices/login', 'deviceLogin', 'Device sign-in', undefined, control.DeviceLogin),
    sim('post', '/devices/verify', 'deviceVerify', 'Device passcode verification', undefined, control.DeviceVerify),
    sim('get', '/mailbox', 'mailbox', 'Mail sent by the simulated estate', undefined),
    sim('get', '/systmone/selection', 'systmoneSelection', 'SystmOne desktop selection', undefined),
    sim('get', '/openapi/{surface}.json', 'openapi', 'OpenAPI 3.1 document of a surface', undefined),
    sim('get', '/docs/{surface}', 'docs', 'Browsable reference of a surface (HTML)', undefined),
  ],
};
