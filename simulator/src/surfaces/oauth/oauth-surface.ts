import { randomUUID } from 'node:crypto';
import type { AuthorizeParams, PendingAuthorization } from '../../domain/identity/auth-service';
import { AuthorizeRedirect } from '../../domain/identity/auth-service';
import { oauthError } from '../../domain/identity/oauth-error';
import { findStaff, findStaffRole, rolesOfUser } from '../../domain/identity/staff-directory';
import { archetypeKeys } from '../../domain/archetypes';
import { isVisibleOnRecordApi } from '../../domain/patient-access';
import type { StaffUser } from '../../domain/estate';
import { DEVICE_TRUST_DAYS, maskEmail } from '../../domain/identity/device-trust';
import { SimError } from '../../domain/errors';
import type { Engine } from '../../engine';
import { jsonResponse } from '../../transport/json';
import type { Route, SimRequest, SimResponse, Surface } from '../../transport/types';
import { bearerToken } from './bearer';
import { openidConfiguration, smartConfiguration } from './discovery';
import { clientCredentials, field, parseForm } from './form';
import type { DeviceStep, PatientChoice, RoleChoice } from './login-page';
import { renderLoginPage } from './login-page';
import { renderOAuthError } from './oauth-errors';

const authorizeFields = [
  'response_type',
  'client_id',
  'redirect_uri',
  'scope',
  'state',
  'aud',
  'launch',
  'code_challenge',
  'code_challenge_method',
  'nonce',
] as const;

const noStore = { 'Cache-Control': 'no-store', Pragma: 'no-cache' };

function authorizeParams(source: URLSearchParams): AuthorizeParams {
  const params: AuthorizeParams = {};
  for (const name of authorizeFields) {
    const value = field(source, name);
    if (value !== undefined) params[name] = value;
  }
  // SMART lets `resource` stand for `aud`.
  const resource = field(source, 'resource');
  if (params.aud === undefined && resource !== undefined) params.aud = resource;
  return params;
}

function redirect(location: string): SimResponse {
  return { status: 302, headers: { Location: location, ...noStore } };
}

function html(status: number, body: string, headers: Record<string, string> = {}): SimResponse {
  return { status, headers: { 'Content-Type': 'text/html; charset=utf-8', ...noStore, ...headers }, body };
}

/** The browser's identity for device trust: a long-lived cookie, minted on its first held sign-in. */
const DEVICE_COOKIE = 'gpsim_device';
const deviceIdPattern = /^browser-[0-9a-f-]{36}$/;

function browserDevice(request: SimRequest): { id: string; setCookie: Record<string, string> } {
  const sent = (request.headers.cookie ?? '')
    .split(';')
    .map((part) => part.trim().split('='))
    .find(([name]) => name === DEVICE_COOKIE)?.[1];
  if (sent !== undefined && deviceIdPattern.test(sent)) return { id: sent, setCookie: {} };
  const id = `browser-${randomUUID()}`;
  const maxAge = DEVICE_TRUST_DAYS * 24 * 60 * 60;
  return {
    id,
    setCookie: { 'Set-Cookie': `${DEVICE_COOKIE}=${id}; Path=/oauth; Max-Age=${maxAge}; HttpOnly; SameSite=Lax` },
  };
}

/**
 * The authorisation server at /oauth and /.well-known: SMART App Launch (EHR and standalone),
 * EMIS-X–style launch and a CIS2-like staff login, all over the estate's users and patients.
 */
export function createOAuthSurface(engine: Engine): Surface {
  const { auth } = engine;

  const discovery = (): SimResponse => jsonResponse(200, smartConfiguration(engine.baseUrl));

  function patientChoices(pending: PendingAuthorization): PatientChoice[] {
    if (pending.launch || !pending.scopes.includes('launch/patient')) return [];
    const population = engine.population;
    const practice = auth.standalonePractice(pending.client);
    const choices: PatientChoice[] = [];
    archetypeKeys.forEach((key, index) => {
      const patient = population.patientAt(practice, index);
      if (patient && isVisibleOnRecordApi(patient)) {
        const name = `${patient.name.given.join(' ')} ${patient.name.family}`;
        choices.push({ nhsNumber: patient.nhsNumber, label: `${name} (${patient.nhsNumber}, ${key})` });
      }
    });
    return choices;
  }

  function loginPage(
    pending: PendingAuthorization,
    step: { error?: string; roleChoice?: RoleChoice; deviceStep?: DeviceStep } = {},
    headers: Record<string, string> = {},
  ): SimResponse {
    const { error, roleChoice, deviceStep } = step;
    const launch = pending.launch;
    const practice = auth.standalonePractice(pending.client);
    const patient = launch ? engine.population.byNhsNumber(launch.nhsNumber)?.patient : undefined;
    return html(
      error === undefined ? 200 : 401,
      renderLoginPage({
        pending,
        ...(launch ? { launchUser: launch.username } : {}),
        ...(patient ? { launchPatient: `${patient.name.given.join(' ')} ${patient.name.family}` } : {}),
        ...(pending.client.username !== undefined
          ? { defaultUsername: pending.client.username }
          : practice.staff[0]
            ? { defaultUsername: practice.staff[0].username }
            : {}),
        patients: patientChoices(pending),
        ...(roleChoice ? { roleChoice } : {}),
        ...(deviceStep ? { deviceStep } : {}),
        ...(error === undefined ? {} : { error }),
      }),
      headers,
    );
  }

  function roleLabel(role: StaffUser): string {
    const practice = engine.population.practice(role.ods);
    return `${role.jobRole.display} at ${practice?.name ?? role.ods} (${role.ods})`;
  }

  /**
   * A practice with device trust switched on trusts devices, not just users (Internet SystmOne guide,
   * "Two-Factor Authentication"): a sign-in from a browser the user has not validated is held until
   * they enter the passcode e-mailed to them. Returns the page to show instead, or undefined to go on.
   */
  async function deviceStepFor(
    request: SimRequest,
    pending: PendingAuthorization,
    user: StaffUser,
    carried: Record<string, string>,
    passcode: string | undefined,
  ): Promise<SimResponse | undefined> {
    const practice = engine.population.practice(user.ods);
    if (!practice || !(await engine.practiceSettings.get(practice)).deviceTrust) return undefined;
    const device = browserDevice(request);
    if (engine.devices.isTrusted(user, device.id)) return undefined;
    try {
      if (passcode !== undefined && passcode !== '') {
        await engine.devices.verify(user, device.id, passcode);
        return undefined;
      }
      const sent = await engine.devices.login(user, device.id);
      if (sent.status === 'trusted') return undefined;
      return loginPage(
        pending,
        { deviceStep: { username: user.username, sentTo: sent.sentTo, carried } },
        device.setCookie,
      );
    } catch (error) {
      if (!(error instanceof SimError)) throw error;
      const retry =
        error.field === 'passcode'
          ? { deviceStep: { username: user.username, sentTo: maskEmail(user.email ?? ''), carried } }
          : {};
      return loginPage(pending, { ...retry, error: error.message }, device.setCookie);
    }
  }

  async function authorize(request: SimRequest): Promise<SimResponse> {
    const source = request.method === 'POST' ? parseForm(request) : request.query;
    let pending: PendingAuthorization;
    try {
      pending = auth.checkAuthorize(authorizeParams(source));
    } catch (error) {
      if (error instanceof AuthorizeRedirect) return redirect(error.location);
      throw error;
    }
    request.annotations.clientId = pending.client.clientId;
    if (pending.launch) request.annotations.ods = pending.launch.ods;
    const decision = field(source, 'gpsim_decision');
    if (decision === 'deny') return redirect(auth.deny(pending));
    if (decision === 'approve') {
      if (pending.launch) return redirect(auth.approve(pending));
      const username = field(source, 'username') ?? '';
      const user = findStaff(engine.population, username);
      // gpsim checks no real passwords; the role picker continues a sign-in that already gave one.
      const signedIn =
        (field(source, 'password') ?? '') !== '' ||
        field(source, 'selected_roleid') !== undefined ||
        field(source, 'device_passcode') !== undefined;
      if (!user || !signedIn) {
        return loginPage(pending, {
          error: 'Unknown username or empty password: use a username from GET /__sim/fixtures.',
        });
      }
      const nhsNumber = field(source, 'patient');
      const roleId = field(source, 'selected_roleid');
      const roles = rolesOfUser(engine.population, user.username);
      // CIS2: a user with roles at several organisations picks the one to work in before going on.
      if (roles.length > 1 && roleId === undefined) {
        return loginPage(pending, {
          roleChoice: {
            username: user.username,
            roles: roles.map((role) => ({ id: role.sdsRoleProfileId, label: roleLabel(role) })),
          },
        });
      }
      const carried: Record<string, string> = {
        ...(roleId === undefined ? {} : { selected_roleid: roleId }),
        ...(nhsNumber ? { patient: nhsNumber } : {}),
      };
      // The organisation signed in to decides whether the device must be trusted.
      const working = roleId === undefined ? user : (findStaffRole(engine.population, user.username, roleId) ?? user);
      const untrusted = await deviceStepFor(request, pending, working, carried, field(source, 'device_passcode'));
      if (untrusted) return untrusted;
      return redirect(
        auth.approve(pending, {
          username: user.username,
          ...(roleId === undefined ? {} : { roleId }),
          ...(nhsNumber ? { nhsNumber } : {}),
        }),
      );
    }
    if (decision !== undefined) throw oauthError('invalid_request', 'gpsim_decision must be approve or deny.');
    if (pending.autoApprove) {
      const roleId = field(source, 'selected_roleid');
      return redirect(auth.approve(pending, roleId === undefined ? {} : { roleId }));
    }
    return loginPage(pending);
  }

  function token(request: SimRequest): SimResponse {
    const form = parseForm(request);
    const credentials = clientCredentials(request, form);
    const grantType = field(form, 'grant_type');
    if (credentials.clientId !== undefined) request.annotations.clientId = credentials.clientId;
    const optional = (name: string): Record<string, string> => {
      const value = field(form, name);
      return value === undefined ? {} : { [name]: value };
    };
    let body: object;
    switch (grantType) {
      case 'authorization_code':
        body = auth.exchangeCode(
          { ...optional('code'), ...optional('redirect_uri'), ...optional('code_verifier') },
          credentials,
        );
        break;
      case 'refresh_token':
        body = auth.refresh({ ...optional('refresh_token'), ...optional('scope') }, credentials);
        break;
      case 'client_credentials':
        body = auth.clientCredentials(optional('scope'), credentials);
        break;
      case undefined:
        // RFC 6749 §5.2: a missing required parameter is invalid_request, not an unsupported grant.
        throw oauthError(
          'invalid_request',
          'grant_type is required: authorization_code, refresh_token or client_credentials.',
          'grant_type',
        );
      default:
        throw oauthError(
          'unsupported_grant_type',
          'grant_type must be authorization_code, refresh_token or client_credentials.',
          'grant_type',
        );
    }
    return jsonResponse(200, body, noStore);
  }

  function introspect(request: SimRequest): SimResponse {
    const value = field(parseForm(request), 'token');
    if (value === undefined || value === '') throw oauthError('invalid_request', 'token is required.', 'token');
    return jsonResponse(200, auth.introspect(value), noStore);
  }

  function userinfo(request: SimRequest): SimResponse {
    const claims = auth.verifyAccessToken(bearerToken(request));
    request.annotations.clientId = claims.client_id;
    return jsonResponse(200, auth.userInfo(claims), noStore);
  }

  const routes: Route[] = [
    { method: 'GET', path: '/.well-known/smart-configuration', handler: discovery },
    { method: 'GET', path: '/fhir/R4/.well-known/smart-configuration', handler: discovery },
    {
      method: 'GET',
      path: '/.well-known/openid-configuration',
      handler: () => jsonResponse(200, openidConfiguration(engine.baseUrl)),
    },
    { method: 'GET', path: '/oauth/jwks', handler: () => jsonResponse(200, auth.jwks()) },
    { method: ['GET', 'POST'], path: '/oauth/authorize', handler: authorize },
    { method: 'POST', path: '/oauth/token', handler: token },
    { method: 'POST', path: '/oauth/introspect', handler: introspect },
    { method: ['GET', 'POST'], path: '/oauth/userinfo', handler: userinfo },
    {
      method: 'GET',
      path: '/oauth/smart-style.json',
      handler: () =>
        jsonResponse(200, { color_background: '#f2f2f2', color_highlight: '#005eb8', font_family: 'Arial' }),
    },
  ];

  return {
    name: 'oauth',
    prefixes: ['/oauth', '/.well-known'],
    routes,
    renderError: renderOAuthError,
    maxBodyBytes: 64 * 1024,
  };
}
