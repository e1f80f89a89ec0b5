import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { control } from '@gpsim/contracts';
import type { RunningGpsim } from '@gpsim/simulator/main';
import { clientIntegrationRequest, errorCode, identity, postClientIntegration } from '../support/systmone';
import { smallEstate, startTestGpsim } from '../support/gpsim';
import { signWithEngineKey } from '../support/tokens';

/**
 * The role → permission matrix (fixtures/identity/role-permissions.json, after the go-live guide
 * §5.1: never < view < create-change < approve) holds on every surface that acts for a staff user.
 * Expectations come from the matrix file itself, so changing the data changes what is asserted.
 */
interface MatrixFile {
  levels: string[];
  roles: Record<string, { permissions: Record<string, string> }>;
}
const matrix = JSON.parse(
  readFileSync(join(__dirname, '../../fixtures/identity/role-permissions.json'), 'utf8'),
) as MatrixFile;
const roles = Object.keys(matrix.roles);

function matrixAllows(role: string, area: string, action: string): boolean {
  const level = matrix.roles[role]?.permissions[area] ?? 'never';
  return matrix.levels.indexOf(level) >= matrix.levels.indexOf(action);
}

type User = control.Manifest['users'][number];
type Partner = control.Manifest['partners'][number];

interface Operation {
  name: string;
  area: string;
  action: 'view' | 'create-change';
  /** Calls the surface as the user: 'allowed', 'refused' (for the user's role) or what else happened. */
  call: (user: User) => Promise<string>;
}

describe('the role matrix on every surface that acts for a staff user', () => {
  let gpsim: RunningGpsim;
  let manifest: control.Manifest;
  let demo: Partner;
  const practiceOf = (system: string) => manifest.practices.find((p) => p.system === system)?.ods as string;
  const standard = (ods: string) =>
    manifest.archetypes.find((a) => a.key === 'standard' && a.ods === ods)?.nhsNumber as string;

  beforeAll(async () => {
    gpsim = await startTestGpsim(smallEstate);
    manifest = control.Manifest.parse(await (await fetch(`${gpsim.url}/__sim/fixtures`)).json());
    demo = manifest.partners.find((p) => p.name === 'gpsim-demo') as Partner;
  });
  afterAll(() => gpsim.close());

  function userWithRole(system: string, role: string): User {
    const user = manifest.users.find((candidate) => candidate.ods === practiceOf(system) && candidate.role === role);
    if (!user) throw new Error(`the estate has no ${role} at its ${system} practice`);
    return user;
  }

  const now = () => Math.floor(gpsim.engine.clock.now() / 1000);
  /** An R4 token as /oauth/token issues one to a launched user: the role and role profile travel with it. */
  const userToken = (user: User) =>
    signWithEngineKey(gpsim.engine, {
      iss: gpsim.url,
      aud: `${gpsim.url}/fhir/R4`,
      sub: user.username,
      client_id: 'gpsim-demo',
      scope: 'openid fhirUser user/*.rs',
      role: user.role,
      ods: user.ods,
      sds_role_profile_id: user.sdsRoleProfileId,
      jti: randomUUID(),
      iat: now(),
      exp: now() + 300,
    });
  const r4Read = (path: (user: User) => string) => async (user: User) => {
    const response = await fetch(`${gpsim.url}/fhir/R4${path(user)}`, {
      headers: { Authorization: `Bearer ${await userToken(user)}` },
    });
    const text = await response.text();
    if (response.status === 200) return 'allowed';
    return response.status === 403 && /OperationOutcome/.test(text) && text.includes(`The ${user.role} role`)
      ? 'refused'
      : `${response.status} ${text}`;
  };
  const patientId = (ods: string) => gpsim.engine.population.byNhsNumber(standard(ods))?.patient.id as string;

  /** SystmOne lets a user other than the first GP work only on a device they have validated (2FA). */
  async function trustDevice(user: User): Promise<void> {
    const post = (step: string, body: object) =>
      fetch(`${gpsim.url}/__sim/devices/${step}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    const login = (await (
      await post('login', { username: user.username, password: 'secret', deviceId: demo.deviceId })
    ).json()) as { status: string };
    if (login.status === 'trusted') return;
    const mailbox = (await (
      await fetch(`${gpsim.url}/__sim/mailbox?to=${encodeURIComponent(user.email ?? '')}`)
    ).json()) as { messages: control.MailMessage[] };
    const passcode = /passcode is (\d{6})/.exec(mailbox.messages.at(-1)?.body ?? '')?.[1] ?? '';
    expect((await post('verify', { username: user.username, deviceId: demo.deviceId, passcode })).status).toBe(200);
  }
  const systmOne = (fn: string, parameters: () => string) => async (user: User) => {
    await trustDevice(user);
    const reply = await postClientIntegration(
      gpsim.url,
      user.ods,
      clientIntegrationRequest({ partner: demo, fn, parameters: parameters() }),
      user.username,
    );
    const code = errorCode(reply.xml);
    if (code === undefined && reply.status === 200) return 'allowed';
    return reply.status === 403 && code === 'UserNotAuthorised' ? 'refused' : `${reply.status} ${reply.text}`;
  };

  interface EmisReply {
    Outcome?: string;
    Result?: Record<string, unknown>;
    Error?: { Code?: string };
  }
  const emis = (method: string, body: (user: User) => object) => async (user: User) => {
    const logon = await fetch(`${gpsim.url}/emis/partner-api/InitializeWithID`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        ClientId: demo.clientId,
        ClientSecret: demo.clientSecret,
        OrganisationId: user.ods,
        UserName: user.username,
      }),
    });
    const SessionId = ((await logon.json()) as EmisReply).Result?.['SessionId'] as string;
    const response = await fetch(`${gpsim.url}/emis/partner-api/${method}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ SessionId, ...body(user) }),
    });
    const text = await response.text();
    if (response.status === 200) return 'allowed';
    const reply = JSON.parse(text) as EmisReply;
    return response.status === 403 && reply.Error?.Code === 'UserNotAuthorised'
      ? 'refused'
      : `${response.status} ${text}`;
  };

  const surfaces: [string, string, Operation[]][] = [
    [
      'UK Core R4 API with a user token',
      'emis',
      [
        {
          name: 'search Patient',
          area: 'demographics',
          action: 'view',
          call: r4Read((user) => `/Patient?identifier=${standard(user.ods)}`),
        },
        {
          name: 'search Condition',
          area: 'clinical-record',
          action: 'view',
          call: r4Read((user) => `/Condition?patient=${patientId(user.ods)}`),
        },
        {
          name: 'search Appointment',
          area: 'appointments',
          action: 'view',
          call: r4Read((user) => `/Appointment?patient=${patientId(user.ods)}`),
        },
      ],
    ],
    [
      'SystmOne Client Integration with a desktop user',
      'systmone',
      [
        {
          name: 'GetPatientRecord',
          area: 'clinical-record',
          action: 'view',
          call: async (user) => {
            // SystmOne serves one full record per patient every 30 s; each role's read is a later one.
            gpsim.engine.clock.advance(31_000);
            return systmOne('GetPatientRecord', () => identity(standard(practiceOf('systmone'))))(user);
          },
        },
        { name: 'GetTasks', area: 'workflow-tasks', action: 'view', call: systmOne('GetTasks', () => '') },
        {
          name: 'CreateTask',
          area: 'workflow-tasks',
          action: 'create-change',
          call: systmOne(
            'CreateTask',
            () => `<Title>Role matrix check</Title>${identity(standard(practiceOf('systmone')))}`,
          ),
        },
      ],
    ],
    [
      'EMIS partner API with a user session',
      'emis',
      [
        {
          name: 'GetMatchedPatient',
          area: 'demographics',
          action: 'view',
          call: emis('GetMatchedPatient', (user) => ({ NhsNumber: standard(user.ods) })),
        },
        {
          name: 'GetMedicalRecord',
          area: 'clinical-record',
          action: 'view',
          call: emis('GetMedicalRecord', (user) => ({ NhsNumber: standard(user.ods) })),
        },
        {
          name: 'GetWorkflowItems',
          area: 'workflow-tasks',
          action: 'view',
          call: emis('GetWorkflowItems', () => ({})),
        },
        {
          name: 'CreateTask',
          area: 'workflow-tasks',
          action: 'create-change',
          call: emis('CreateTask', (user) => ({ NhsNumber: standard(user.ods), Title: 'Role matrix check' })),
        },
        {
          name: 'GetDocuments',
          area: 'documents',
          action: 'view',
          call: emis('GetDocuments', (user) => ({ NhsNumber: standard(user.ods) })),
        },
      ],
    ],
  ];

  describe.each(surfaces)('%s', (_surface, system, operations) => {
    const cases = operations.flatMap((operation) => roles.map((role) => ({ operation, role })));
    it.each(cases.map((c) => [c.operation.name, c.role, c] as const))(
      '%s as %s follows the matrix',
      async (_name, role, { operation }) => {
        const expected = matrixAllows(role, operation.area, operation.action) ? 'allowed' : 'refused';
        expect(await operation.call(userWithRole(system, role))).toBe(expected);
      },
    );

    it('expects refusals as well as permissions here (so the checks above can tell them apart)', () => {
      const outcomes = new Set(
        cases.map(({ operation, role }) => matrixAllows(role, operation.area, operation.action)),
      );
      expect(outcomes).toEqual(new Set([true, false]));
    });
  });
});
