import { createHash, createPublicKey, randomBytes, timingSafeEqual } from 'node:crypto';
import type { JsonWebKey } from 'node:crypto';
import jwt from 'jsonwebtoken';
import type { control } from '@gpsim/contracts';
import type { SimClock } from '../clock';
import type { Practice, StaffUser } from '../estate';
import type { Patient } from '../patient';
import type { Population } from '../../population/population';
import type { SettingsRepository } from '../../store/store';
import type { OAuthClient } from './clients';
import { defaultClients } from './clients';
import { oauthError } from './oauth-error';
import { isKnownScope, parseResourceScope, splitScopes } from './scopes';
import type { SigningKeys } from './signing-keys';
import { generateSigningKeys, loadSigningKeys, publicJwks, publicPem, saveSigningKeys } from './signing-keys';
import { defaultGp, findStaff, findStaffRole, rolesOfUser } from './staff-directory';

export type SimulatedLaunchError = control.SimulatedLaunchError;

export interface LaunchOptions {
  /** Accept unregistered public clients with any redirect URI. */
  lenient: boolean;
  /** Approve every authorize request without showing the login page. */
  autoApprove: boolean;
}

export interface AuthServiceDeps {
  clock: SimClock;
  population: () => Population;
  baseUrl: () => string;
  settings: SettingsRepository;
  options: LaunchOptions;
}

/** The context an EHR launch puts the app in. */
export interface Launch {
  id: string;
  ods: string;
  nhsNumber: string;
  username: string;
  /** The SDS role profile the user works in at the launching practice. */
  roleId: string;
  clientId: string;
  autoApprove: boolean;
  encounter?: string;
  device?: string;
  simulateError?: SimulatedLaunchError;
}

/** Who and what a token is about, carried from authorize to token to refresh. */
export interface GrantContext {
  clientId: string;
  scopes: string[];
  username?: string;
  /** The selected role (SDS role profile id): which organisation and permissions the user acts with. */
  roleId?: string;
  patientId?: string;
  encounter?: string;
  launchId?: string;
  device?: string;
  nonce?: string;
  /** Every token descending from one authorization code, so a replayed code can revoke them all. */
  family?: string;
  simulateError?: SimulatedLaunchError;
}

interface Code {
  grant: GrantContext;
  redirectUri: string;
  codeChallenge?: string;
  expiresAt: number;
  used: boolean;
}

interface RefreshGrant {
  grant: GrantContext;
  expiresAt: number;
}

/** The validated claims of an access token. */
export interface AccessClaims {
  sub: string;
  client_id: string;
  scope: string;
  jti: string;
  exp: number;
  patient?: string;
  encounter?: string;
  fhirUser?: string;
  role?: string;
  ods?: string;
  sds_role_profile_id?: string;
  launch_id?: string;
  device?: string;
  sim_error?: SimulatedLaunchError;
}

export interface AuthorizeParams {
  response_type?: string;
  client_id?: string;
  redirect_uri?: string;
  scope?: string;
  state?: string;
  aud?: string;
  launch?: string;
  code_challenge?: string;
  code_challenge_method?: string;
  nonce?: string;
}

/** A checked authorize request, ready to approve (or show the login and consent page for). */
export interface PendingAuthorization {
  params: AuthorizeParams;
  client: OAuthClient;
  redirectUri: string;
  scopes: string[];
  launch?: Launch;
  autoApprove: boolean;
}

export interface TokenResponse {
  access_token: string;
  token_type: 'Bearer';
  expires_in: number;
  scope: string;
  id_token?: string;
  refresh_token?: string;
  patient?: string;
  encounter?: string;
  fhirContext?: { reference: string }[];
  need_patient_banner?: boolean;
  smart_style_url?: string;
  authorization_details?: Record<string, unknown>[];
}

export interface ClientCredentials {
  clientId?: string;
  clientSecret?: string;
  clientAssertion?: string;
  clientAssertionType?: string;
}

export const ACCESS_TOKEN_SECONDS = 3600;
/** Codes are short-lived (SMART app-launch: about a minute). */
export const CODE_SECONDS = 60;
export const REFRESH_TOKEN_SECONDS = 24 * 3600;
const LAUNCH_SECONDS = 3600;
/** Bounds on what the service holds, so a runaway client cannot exhaust memory. */
const MAX_ENTRIES = 10_000;
const JWT_BEARER = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

function opaque(): string {
  return randomBytes(24).toString('base64url');
}

function remember<V>(map: Map<string, V>, key: string, value: V): void {
  if (map.size >= MAX_ENTRIES) {
    const oldest = map.keys().next();
    if (!oldest.done) map.delete(oldest.value);
  }
  map.set(key, value);
}

function sameSecret(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

/**
 * The authorisation server's rules: registered clients, EHR launches, authorization codes with
 * PKCE, tokens signed with the estate's keys and timed by the simulated clock. Facts from HL7
 * smart-app-launch app-launch.md and conformance.md (reference/domain.md §3.1).
 */
export class AuthService {
  /** Loaded from the store by `load`; made on first use by an engine that never loads (RSA generation is slow). */
  private loadedKeys: SigningKeys | undefined;
  private readonly registered = new Map<string, OAuthClient>();
  private readonly launches = new Map<string, { launch: Launch; expiresAt: number }>();
  private readonly codes = new Map<string, Code>();
  private readonly refreshTokens = new Map<string, RefreshGrant>();
  private readonly usedAssertions = new Map<string, number>();
  /** Tokens launched with simulateError token_expired that have served their one request. */
  private readonly spentTokens = new Map<string, number>();
  /** Token id → the code family it descends from; and the families revoked by a replayed code. */
  private readonly tokenFamilies = new Map<string, string>();
  private readonly revokedFamilies = new Map<string, true>();

  constructor(private readonly deps: AuthServiceDeps) {}

  private get keys(): SigningKeys {
    return (this.loadedKeys ??= generateSigningKeys());
  }

  get options(): LaunchOptions {
    return this.deps.options;
  }

  async load(): Promise<void> {
    this.loadedKeys = await loadSigningKeys(this.deps.settings);
  }

  /** Back to the seed state; the signing keys stay, so clients' cached JWKS stay valid. */
  async reset(): Promise<void> {
    this.forgetFlows();
    await saveSigningKeys(this.deps.settings, this.keys);
  }

  /** Drops the clients, launches and tokens this process holds (another process reset the shared store). */
  forgetFlows(): void {
    this.registered.clear();
    this.launches.clear();
    this.codes.clear();
    this.refreshTokens.clear();
    this.usedAssertions.clear();
    this.spentTokens.clear();
    this.tokenFamilies.clear();
    this.revokedFamilies.clear();
  }

  get issuer(): string {
    return this.deps.baseUrl();
  }

  get fhirBase(): string {
    return `${this.deps.baseUrl()}/fhir/R4`;
  }

  get tokenEndpoint(): string {
    return `${this.deps.baseUrl()}/oauth/token`;
  }

  jwks(): { keys: JsonWebKey[] } {
    return publicJwks(this.keys);
  }

  private nowSeconds(): number {
    return Math.floor(this.deps.clock.now() / 1000);
  }

  clients(): OAuthClient[] {
    const seed = this.deps.population().estate.spec.seed;
    return [...defaultClients(seed), ...this.registered.values()];
  }

  client(clientId: string): OAuthClient | undefined {
    return this.clients().find((client) => client.clientId === clientId);
  }

  registerClient(client: OAuthClient): OAuthClient {
    const seed = this.deps.population().estate.spec.seed;
    if (defaultClients(seed).some((existing) => existing.clientId === client.clientId)) {
      throw oauthError('invalid_request', `${client.clientId} is a built-in client; register under another clientId.`);
    }
    if (client.type !== 'public' && !client.clientSecret && !client.jwks) {
      throw oauthError(
        'invalid_request',
        `A ${client.type} client needs a clientSecret (client_secret_basic/post) or jwks (private_key_jwt).`,
      );
    }
    if (this.registered.size >= 1000 && !this.registered.has(client.clientId)) {
      throw oauthError('invalid_request', 'Too many registered clients: reset the simulator to start again.');
    }
    this.registered.set(client.clientId, client);
    return client;
  }

  /** POST /__sim/launches: an EHR launch of an app for a patient and user. */
  createLaunch(request: control.LaunchRequest): { launch: Launch; url: string; iss: string } {
    const population = this.deps.population();
    const practice = population.practice(request.ods);
    if (!practice) throw oauthError('invalid_request', `No practice ${request.ods}: see GET /__sim/fixtures.`, 'ods');
    const found = population.byNhsNumber(request.nhsNumber);
    if (!found || population.practiceOf(found.patient).ods !== practice.ods) {
      throw oauthError(
        'invalid_request',
        `No patient ${request.nhsNumber} registered at ${practice.ods}: pick one from GET /__sim/fixtures.`,
        'nhsNumber',
      );
    }
    const user = rolesOfUser(population, request.username).find((role) => role.ods === practice.ods);
    if (!user) {
      throw oauthError(
        'invalid_request',
        `No user ${request.username} at ${practice.ods}: pick one from the users in GET /__sim/fixtures.`,
        'username',
      );
    }
    const client = this.client(request.app.clientId);
    const launchUrl = request.app.launchUrl ?? client?.launchUrl;
    if (!client && !this.options.lenient) {
      throw oauthError(
        'invalid_client',
        `Unknown client ${request.app.clientId}: register it with POST /__sim/clients or start gpsim with --launch-lenient.`,
        'app.clientId',
      );
    }
    if (launchUrl === undefined || !URL.canParse(launchUrl)) {
      throw oauthError(
        'invalid_request',
        'Give app.launchUrl, an absolute URL of the app launch page.',
        'app.launchUrl',
      );
    }
    const launch: Launch = {
      id: opaque(),
      ods: practice.ods,
      nhsNumber: found.patient.nhsNumber,
      username: user.username,
      roleId: user.sdsRoleProfileId,
      clientId: request.app.clientId,
      autoApprove: request.autoApprove ?? false,
      ...(request.encounter === undefined ? {} : { encounter: request.encounter }),
      ...(request.device === undefined ? {} : { device: request.device }),
      ...(request.simulateError === undefined ? {} : { simulateError: request.simulateError }),
    };
    remember(this.launches, launch.id, { launch, expiresAt: this.deps.clock.now() + LAUNCH_SECONDS * 1000 });
    const url = new URL(launchUrl);
    url.searchParams.set('iss', this.fhirBase);
    url.searchParams.set('launch', launch.id);
    return { launch, url: url.toString(), iss: this.fhirBase };
  }

  /**
   * Checks an authorize request. Problems with the client or redirect URI throw (never redirect
   * to an unchecked URI); other problems are returned as an error to send to the redirect URI.
   */
  checkAuthorize(params: AuthorizeParams): PendingAuthorization {
    const clientId = params.client_id ?? '';
    if (clientId === '') throw oauthError('invalid_request', 'client_id is required.', 'client_id');
    let client = this.client(clientId);
    const redirectUri = params.redirect_uri ?? '';
    if (!client) {
      if (!this.options.lenient) {
        throw oauthError(
          'invalid_client',
          `Unknown client_id ${clientId}: register the app with POST /__sim/clients, or start gpsim with --launch-lenient.`,
          'client_id',
        );
      }
      // Lenient: any redirect URI the app sends, but never one that would run script.
      client = {
        clientId,
        type: 'public',
        redirectUris: /^(javascript|data|vbscript):/i.test(redirectUri) ? [] : [redirectUri],
      };
    }
    const launchEntry = params.launch === undefined ? undefined : this.launches.get(params.launch);
    const launch = launchEntry && launchEntry.expiresAt > this.deps.clock.now() ? launchEntry.launch : undefined;
    if (launch?.simulateError === 'invalid_client') {
      throw oauthError('invalid_client', 'Simulated error: the client is not recognised (invalid_client).');
    }
    if (!URL.canParse(redirectUri) || !client.redirectUris.includes(redirectUri)) {
      throw oauthError(
        'invalid_request',
        `redirect_uri "${redirectUri}" is not registered for ${clientId}: use one of ${client.redirectUris.join(', ') || '(none registered)'}.`,
        'redirect_uri',
      );
    }
    if (launch?.simulateError === 'invalid_redirect_uri') {
      throw oauthError('invalid_request', 'Simulated error: redirect_uri does not match the registration.');
    }
    const pending = { params, client, redirectUri, scopes: splitScopes(params.scope) };
    if (params.response_type !== 'code') {
      throw this.redirectable('unsupported_response_type', 'response_type must be "code".', pending);
    }
    if (params.launch !== undefined && !launch) {
      throw this.redirectable(
        'invalid_request',
        'launch is unknown or expired: start a new launch from the EHR.',
        pending,
      );
    }
    if (launch && launch.clientId !== clientId) {
      throw this.redirectable(
        'invalid_request',
        `launch was made for client ${launch.clientId}, not ${clientId}.`,
        pending,
      );
    }
    // aud protects FHIR tokens (SMART); a pure OpenID Connect staff login (CIS2-like) asks for no FHIR access.
    const wantsFhir = pending.scopes.some(
      (scope) => scope.startsWith('launch') || parseResourceScope(scope) !== undefined,
    );
    if ((wantsFhir || params.aud !== undefined) && (params.aud ?? '').replace(/\/$/, '') !== this.fhirBase) {
      throw this.redirectable(
        'invalid_request',
        `aud must be the FHIR server's base URL, ${this.fhirBase} (the iss of the launch).`,
        pending,
      );
    }
    const unknown = pending.scopes.filter((scope) => !isKnownScope(scope));
    if (pending.scopes.length === 0 || unknown.length > 0 || launch?.simulateError === 'invalid_scope') {
      throw this.redirectable(
        'invalid_scope',
        unknown.length > 0
          ? `Unknown scope(s): ${unknown.join(' ')}.`
          : 'scope is required (e.g. "launch openid fhirUser patient/*.rs").',
        pending,
      );
    }
    if (client.type === 'public' && (params.code_challenge === undefined || params.code_challenge === '')) {
      throw this.redirectable(
        'invalid_request',
        'Public clients must use PKCE: send code_challenge and code_challenge_method=S256.',
        pending,
      );
    }
    if (params.code_challenge !== undefined && params.code_challenge_method !== 'S256') {
      throw this.redirectable(
        'invalid_request',
        'code_challenge_method must be S256 (plain is not supported).',
        pending,
      );
    }
    return {
      ...pending,
      ...(launch ? { launch } : {}),
      autoApprove: this.options.autoApprove || (launch?.autoApprove ?? false),
    };
  }

  private redirectable(
    code: 'invalid_request' | 'invalid_scope' | 'unsupported_response_type',
    message: string,
    pending: { redirectUri: string; params: AuthorizeParams },
  ): AuthorizeRedirect {
    return new AuthorizeRedirect(errorRedirect(pending.redirectUri, code, message, pending.params.state));
  }

  /** The user approved (or auto-approval did): mint a code and say where to send the browser. */
  approve(
    pending: PendingAuthorization,
    chosen: { username?: string; roleId?: string; nhsNumber?: string } = {},
  ): string {
    const population = this.deps.population();
    const { launch, client } = pending;
    let username: string | undefined;
    let roleId: string | undefined;
    let patient: Patient | undefined;
    if (launch) {
      username = launch.username;
      roleId = launch.roleId;
      patient = population.byNhsNumber(launch.nhsNumber)?.patient;
    } else {
      const practice = this.standalonePractice(client);
      const user = findStaff(population, chosen.username ?? client.username ?? '') ?? defaultGp(practice);
      username = user?.username;
      roleId = user?.sdsRoleProfileId;
      if (user && chosen.roleId !== undefined) {
        if (!findStaffRole(population, user.username, chosen.roleId)) {
          throw oauthError(
            'invalid_request',
            `${user.username} holds no role ${chosen.roleId}: pick one of ${rolesOfUser(population, user.username)
              .map((role) => `${role.sdsRoleProfileId} (${role.role} at ${role.ods})`)
              .join(', ')}.`,
            'selected_roleid',
          );
        }
        roleId = chosen.roleId;
      }
      if (pending.scopes.includes('launch/patient')) {
        const nhsNumber = chosen.nhsNumber ?? client.nhsNumber;
        patient = nhsNumber ? population.byNhsNumber(nhsNumber)?.patient : population.patientAt(practice, 0);
        if (!patient)
          throw oauthError('invalid_request', `No patient ${nhsNumber ?? ''}: pick one from the list.`, 'patient');
      }
    }
    const grant: GrantContext = {
      clientId: client.clientId,
      scopes: pending.scopes,
      ...(username === undefined ? {} : { username }),
      ...(roleId === undefined ? {} : { roleId }),
      ...(patient ? { patientId: patient.id } : {}),
      ...(launch?.encounter === undefined ? {} : { encounter: launch.encounter }),
      ...(launch ? { launchId: launch.id } : {}),
      ...(launch?.device === undefined ? {} : { device: launch.device }),
      ...(pending.params.nonce === undefined ? {} : { nonce: pending.params.nonce }),
      ...(launch?.simulateError === undefined ? {} : { simulateError: launch.simulateError }),
      family: opaque(),
    };
    const code = opaque();
    remember(this.codes, code, {
      grant,
      redirectUri: pending.redirectUri,
      ...(pending.params.code_challenge === undefined ? {} : { codeChallenge: pending.params.code_challenge }),
      expiresAt: this.deps.clock.now() + CODE_SECONDS * 1000,
      used: false,
    });
    const location = new URL(pending.redirectUri);
    location.searchParams.set('code', code);
    if (pending.params.state !== undefined) location.searchParams.set('state', pending.params.state);
    return location.toString();
  }

  deny(pending: PendingAuthorization): string {
    return errorRedirect(pending.redirectUri, 'access_denied', 'The user declined.', pending.params.state);
  }

  standalonePractice(client: OAuthClient): Practice {
    const population = this.deps.population();
    const practice =
      (client.ods === undefined ? undefined : population.practice(client.ods)) ?? population.practices[0];
    if (!practice) throw oauthError('invalid_request', 'The estate has no practices.');
    return practice;
  }

  /** POST /oauth/token, grant_type=authorization_code. */
  exchangeCode(
    form: { code?: string; redirect_uri?: string; code_verifier?: string },
    credentials: ClientCredentials,
  ): TokenResponse {
    const stored = form.code === undefined ? undefined : this.codes.get(form.code);
    if (!stored) throw oauthError('invalid_grant', 'The code is unknown: start the authorization again.', 'code');
    const client = this.authenticate(credentials, stored.grant.clientId);
    if (stored.used) {
      // A replayed code may mean it was stolen: every token it gave is refused from now on (RFC 6749 §4.1.2).
      this.codes.delete(form.code ?? '');
      if (stored.grant.family !== undefined) remember(this.revokedFamilies, stored.grant.family, true);
      throw oauthError('invalid_grant', 'The code was already used: codes are single-use.', 'code');
    }
    stored.used = true;
    if (stored.expiresAt <= this.deps.clock.now() || stored.grant.simulateError === 'expired_code') {
      throw oauthError(
        'invalid_grant',
        `The code expired (codes last ${CODE_SECONDS} seconds): authorize again.`,
        'code',
      );
    }
    if (form.redirect_uri !== stored.redirectUri) {
      throw oauthError('invalid_grant', 'redirect_uri must be the one sent to the authorize endpoint.', 'redirect_uri');
    }
    if (stored.codeChallenge !== undefined) {
      const verifier = form.code_verifier ?? '';
      if (!/^[A-Za-z0-9._~-]{43,128}$/.test(verifier)) {
        throw oauthError(
          'invalid_grant',
          'code_verifier must be 43–128 unreserved characters (RFC 7636).',
          'code_verifier',
        );
      }
      const challenge = createHash('sha256').update(verifier).digest('base64url');
      if (challenge !== stored.codeChallenge) {
        throw oauthError(
          'invalid_grant',
          'code_verifier does not match the code_challenge (PKCE S256).',
          'code_verifier',
        );
      }
    } else if (client.type === 'public') {
      throw oauthError('invalid_grant', 'Public clients must use PKCE.', 'code_verifier');
    }
    return this.issue(stored.grant, true);
  }

  /** POST /oauth/token, grant_type=refresh_token (rotated on every use). */
  refresh(form: { refresh_token?: string; scope?: string }, credentials: ClientCredentials): TokenResponse {
    const token = form.refresh_token ?? '';
    const stored = this.refreshTokens.get(token);
    if (!stored)
      throw oauthError('invalid_grant', 'The refresh token is unknown or was already used.', 'refresh_token');
    this.authenticate(credentials, stored.grant.clientId);
    this.refreshTokens.delete(token);
    if (stored.grant.family !== undefined && this.revokedFamilies.has(stored.grant.family)) {
      throw oauthError('invalid_grant', 'The refresh token was revoked (its authorization code was replayed).');
    }
    if (stored.expiresAt <= this.deps.clock.now() || stored.grant.simulateError === 'expired_refresh_token') {
      throw oauthError('invalid_grant', 'The refresh token expired: launch the app again.', 'refresh_token');
    }
    const narrowed = splitScopes(form.scope);
    if (narrowed.some((scope) => !stored.grant.scopes.includes(scope))) {
      throw oauthError('invalid_scope', 'A refresh may only ask for scopes already granted.', 'scope');
    }
    const grant = narrowed.length > 0 ? { ...stored.grant, scopes: narrowed } : stored.grant;
    return this.issue(grant, false);
  }

  /** POST /oauth/token, grant_type=client_credentials (SMART backend services). */
  clientCredentials(form: { scope?: string }, credentials: ClientCredentials): TokenResponse {
    const clientId = credentials.clientId ?? this.assertionIssuer(credentials.clientAssertion);
    const client = this.authenticate(credentials, clientId ?? '');
    if (client.type !== 'backend') {
      throw oauthError(
        'unauthorized_client',
        `${client.clientId} is not a backend client; use the authorization code grant.`,
      );
    }
    const scopes = splitScopes(form.scope);
    const bad = scopes.filter((scope) => !/^system\//.test(scope) || !isKnownScope(scope));
    if (scopes.length === 0 || bad.length > 0) {
      throw oauthError('invalid_scope', 'Backend services ask for system/ scopes, e.g. "system/*.rs".', 'scope');
    }
    return this.issue({ clientId: client.clientId, scopes }, false);
  }

  private assertionIssuer(assertion: string | undefined): string | undefined {
    if (assertion === undefined) return undefined;
    const decoded = jwt.decode(assertion, { json: true });
    return typeof decoded?.iss === 'string' ? decoded.iss : undefined;
  }

  /** Client authentication at the token endpoint: none (public), secret (basic/post) or private_key_jwt. */
  private authenticate(credentials: ClientCredentials, expectedClientId: string): OAuthClient {
    const clientId = credentials.clientId ?? this.assertionIssuer(credentials.clientAssertion);
    if (clientId !== expectedClientId) {
      throw oauthError('invalid_client', 'client_id does not match the client the grant was issued to.');
    }
    const client = this.client(clientId) ?? (this.options.lenient ? undefined : null);
    if (client === null) throw oauthError('invalid_client', `Unknown client ${clientId}.`);
    if (client === undefined || client.type === 'public') {
      if (credentials.clientSecret !== undefined || credentials.clientAssertion !== undefined) {
        throw oauthError('invalid_client', 'Public clients do not authenticate; send client_id only.');
      }
      return client ?? { clientId, type: 'public', redirectUris: [] };
    }
    if (credentials.clientAssertion !== undefined) {
      if (credentials.clientAssertionType !== JWT_BEARER) {
        throw oauthError('invalid_client', `client_assertion_type must be ${JWT_BEARER}.`);
      }
      this.verifyAssertion(client, credentials.clientAssertion);
      return client;
    }
    if (client.clientSecret !== undefined && credentials.clientSecret !== undefined) {
      if (sameSecret(credentials.clientSecret, client.clientSecret)) return client;
    }
    throw oauthError(
      'invalid_client',
      `Authenticate ${clientId}: client_secret_basic, client_secret_post or private_key_jwt.`,
    );
  }

  private verifyAssertion(client: OAuthClient, assertion: string): void {
    const header = jwt.decode(assertion, { complete: true })?.header;
    const keys = (client.jwks?.keys ?? []).filter((key) => header?.kid === undefined || key['kid'] === header.kid);
    for (const key of keys) {
      let claims: jwt.JwtPayload | string;
      try {
        const pem = createPublicKey({ key: key as JsonWebKey, format: 'jwk' }).export({ format: 'pem', type: 'spki' });
        claims = jwt.verify(assertion, pem.toString(), {
          algorithms: ['RS256', 'RS384', 'ES256', 'ES384'],
          issuer: client.clientId,
          subject: client.clientId,
          audience: this.tokenEndpoint,
          clockTimestamp: this.nowSeconds(),
        });
      } catch {
        continue;
      }
      if (typeof claims === 'string' || typeof claims.jti !== 'string' || typeof claims.exp !== 'number') break;
      if (claims.exp > this.nowSeconds() + 300) {
        throw oauthError('invalid_client', 'client_assertion must expire within 5 minutes.');
      }
      if (this.usedAssertions.has(claims.jti)) {
        throw oauthError('invalid_client', 'client_assertion jti was already used: make a new assertion per request.');
      }
      remember(this.usedAssertions, claims.jti, claims.exp);
      return;
    }
    throw oauthError(
      'invalid_client',
      `client_assertion is not valid: sign it with a registered key, iss and sub ${client.clientId}, aud ${this.tokenEndpoint}, exp and jti.`,
    );
  }

  private issue(grant: GrantContext, withRefresh: boolean): TokenResponse {
    const population = this.deps.population();
    const now = this.nowSeconds();
    const user = grant.username === undefined ? undefined : this.actingUser(grant.username, grant.roleId);
    const patient = grant.patientId === undefined ? undefined : population.patientById(grant.patientId);
    const practice = patient ? population.practiceOf(patient) : user ? population.practice(user.ods) : undefined;
    const fhirUser = user ? `${this.fhirBase}/Practitioner/${user.id}` : undefined;
    const claims: AccessClaims & { iss: string; aud: string; iat: number; nbf: number } = {
      iss: this.issuer,
      aud: this.fhirBase,
      sub: user?.username ?? grant.clientId,
      client_id: grant.clientId,
      scope: grant.scopes.join(' '),
      iat: now,
      nbf: now,
      exp: now + ACCESS_TOKEN_SECONDS,
      jti: opaque(),
      ...(patient ? { patient: patient.id } : {}),
      ...(grant.encounter === undefined ? {} : { encounter: grant.encounter }),
      ...(fhirUser === undefined ? {} : { fhirUser }),
      ...(user ? { role: user.role, ods: user.ods, sds_role_profile_id: user.sdsRoleProfileId } : {}),
      ...(grant.launchId === undefined ? {} : { launch_id: grant.launchId }),
      ...(grant.device === undefined ? {} : { device: grant.device }),
      ...(grant.simulateError === undefined ? {} : { sim_error: grant.simulateError }),
    };
    if (grant.family !== undefined) remember(this.tokenFamilies, claims.jti, grant.family);
    const response: TokenResponse = {
      access_token: this.sign(claims),
      token_type: 'Bearer',
      expires_in: ACCESS_TOKEN_SECONDS,
      scope: claims.scope,
    };
    if (patient) {
      response.patient = patient.id;
      response.need_patient_banner = grant.launchId === undefined;
    }
    if (grant.encounter !== undefined) {
      response.encounter = grant.encounter;
      response.fhirContext = [{ reference: `Encounter/${grant.encounter}` }];
    }
    if (grant.launchId !== undefined || patient) {
      response.smart_style_url = `${this.issuer}/oauth/smart-style.json`;
      response.authorization_details = [this.authorizationDetails(grant, patient, user, practice)];
    }
    if (
      user &&
      grant.scopes.includes('openid') &&
      (grant.scopes.includes('fhirUser') || grant.scopes.includes('profile'))
    ) {
      response.id_token = this.idToken(grant, user, now);
    }
    if (withRefresh && (grant.scopes.includes('offline_access') || grant.scopes.includes('online_access'))) {
      response.refresh_token = this.newRefreshToken(grant);
    } else if (!withRefresh && grant.username !== undefined) {
      // Refresh rotation: a refreshed grant gets a new refresh token in place of the spent one.
      response.refresh_token = this.newRefreshToken(grant);
    }
    return response;
  }

  /** The user in the role they selected (their default role when they chose none). */
  private actingUser(username: string, roleId: string | undefined): StaffUser | undefined {
    const population = this.deps.population();
    return (
      (roleId === undefined ? undefined : findStaffRole(population, username, roleId)) ??
      findStaff(population, username)
    );
  }

  private newRefreshToken(grant: GrantContext): string {
    const token = opaque();
    remember(this.refreshTokens, token, { grant, expiresAt: this.deps.clock.now() + REFRESH_TOKEN_SECONDS * 1000 });
    return token;
  }

  /**
   * RFC 9396 authorization_details as SMART describes them, plus the patient, user and
   * organisation context an EMIS-X–style launch carries (reference/domain.md §3.2).
   */
  private authorizationDetails(
    grant: GrantContext,
    patient: Patient | undefined,
    user: StaffUser | undefined,
    practice: Practice | undefined,
  ): Record<string, unknown> {
    return {
      type: 'smart_on_fhir',
      locations: [this.fhirBase],
      fhirVersions: ['4.0.1'],
      scope: grant.scopes.join(' '),
      ...(patient ? { patient: patient.id } : {}),
      ...(grant.encounter === undefined ? {} : { encounter: grant.encounter }),
      ...(practice?.system === 'emis'
        ? {
            context: {
              ...(patient
                ? {
                    patient: {
                      id: patient.id,
                      nhsNumber: patient.nhsNumber,
                      name: `${patient.name.given.join(' ')} ${patient.name.family}`,
                      birthDate: patient.birthDate,
                    },
                  }
                : {}),
              ...(user
                ? {
                    user: {
                      username: user.username,
                      name: `${user.prefix} ${user.given} ${user.family}`,
                      role: user.role,
                      sdsUserId: user.sdsUserId,
                      sdsRoleProfileId: user.sdsRoleProfileId,
                    },
                  }
                : {}),
              organisation: { odsCode: practice.ods, name: practice.name },
            },
          }
        : {}),
    };
  }

  private idToken(grant: GrantContext, user: StaffUser, now: number): string {
    return this.sign({
      iss: this.issuer,
      sub: user.username,
      aud: grant.clientId,
      iat: now,
      exp: now + ACCESS_TOKEN_SECONDS,
      fhirUser: `${this.fhirBase}/Practitioner/${user.id}`,
      name: `${user.prefix} ${user.given} ${user.family}`,
      ...(grant.nonce === undefined ? {} : { nonce: grant.nonce }),
      ...this.userClaims(user, grant.scopes),
    });
  }

  /** CIS2-shaped role claims (reference/domain.md §3.3): nhsid_nrbac_roles and selected_roleid. */
  userClaims(user: StaffUser, scopes: readonly string[]): Record<string, unknown> {
    const claims: Record<string, unknown> = {};
    if (scopes.includes('nationalrbacaccess')) {
      claims['nhsid_useruid'] = user.sdsUserId;
      // Every role the person holds: a multi-site user has one per practice they work at.
      claims['nhsid_nrbac_roles'] = rolesOfUser(this.deps.population(), user.username).map((role) => ({
        person_orgid: role.sdsUserId,
        person_roleid: role.sdsRoleProfileId,
        org_code: role.ods,
        role_name: `"${role.accessRole.display}":"${role.jobRole.display}"`,
        // The R-code is the user's SDS job role; the activity-set (S) and job-category (G) codes are
        // fixed stand-ins, as the estate does not model them.
        role_code: `S8000:G8000:${role.jobRole.code}`,
      }));
    }
    if (scopes.includes('selectedrole')) claims['selected_roleid'] = user.sdsRoleProfileId;
    return claims;
  }

  private sign(payload: object): string {
    const key = this.keys.RS256;
    return jwt.sign(payload, key.privatePem, {
      algorithm: 'RS256',
      keyid: key.kid,
      header: { alg: 'RS256', typ: 'JWT' },
    });
  }

  /**
   * Checks a bearer token: signature by one of our keys (RS256/ES256 only, so `alg: none` and
   * HS256-with-the-public-key are refused), issuer, audience, nbf and exp on the simulated clock.
   */
  verifyAccessToken(token: string, use: 'resource' | 'inspect' = 'resource'): AccessClaims {
    const header = jwt.decode(token, { complete: true })?.header;
    const key = header
      ? [this.keys.RS256, this.keys.ES256].find((candidate) => candidate.kid === header.kid)
      : undefined;
    if (!header || !key || header.alg !== key.alg) {
      throw oauthError(
        'invalid_token',
        'The access token is not one this server issued: get a new one from /oauth/token.',
      );
    }
    let claims: jwt.JwtPayload | string;
    try {
      claims = jwt.verify(token, publicPem(key), {
        algorithms: [key.alg],
        issuer: this.issuer,
        audience: this.fhirBase,
        clockTimestamp: this.nowSeconds(),
      });
    } catch (error) {
      const expired = error instanceof jwt.TokenExpiredError;
      throw oauthError(
        'invalid_token',
        expired
          ? 'The access token expired: refresh it or launch again.'
          : `The access token is invalid (${(error as Error).message}): get a new one from /oauth/token.`,
      );
    }
    if (typeof claims === 'string' || typeof claims.jti !== 'string' || typeof claims['client_id'] !== 'string') {
      throw oauthError('invalid_token', 'The access token lacks jti or client_id.');
    }
    const access = claims as unknown as AccessClaims;
    const family = this.tokenFamilies.get(access.jti);
    if (family !== undefined && this.revokedFamilies.has(family)) {
      throw oauthError(
        'invalid_token',
        'The access token was revoked (its authorization code was replayed): launch again.',
      );
    }
    if (access.sim_error === 'invalid_token') {
      throw oauthError('invalid_token', 'Simulated error: the access token was rejected (invalid_token).');
    }
    // Only a resource request spends a token_expired token; introspecting it does not.
    if (access.sim_error === 'token_expired' && use === 'resource') {
      if (this.spentTokens.has(access.jti)) {
        throw oauthError('invalid_token', 'The access token expired: refresh it or launch again.');
      }
      remember(this.spentTokens, access.jti, access.exp);
    }
    return access;
  }

  /** RFC 7662: active tokens describe themselves; anything else is just inactive. */
  introspect(token: string): Record<string, unknown> {
    try {
      const claims = this.verifyAccessToken(token, 'inspect');
      return { active: true, token_type: 'Bearer', ...claims };
    } catch {
      const refresh = this.refreshTokens.get(token);
      if (refresh && refresh.expiresAt > this.deps.clock.now()) {
        return {
          active: true,
          token_type: 'refresh_token',
          client_id: refresh.grant.clientId,
          scope: refresh.grant.scopes.join(' '),
        };
      }
      return { active: false };
    }
  }

  /** OIDC UserInfo for the user behind an access token. */
  userInfo(claims: AccessClaims): Record<string, unknown> {
    const user = this.actingUser(claims.sub, claims.sds_role_profile_id);
    if (!user)
      throw oauthError('invalid_token', 'This token was not issued to a user (backend tokens have no user info).');
    return {
      sub: user.username,
      name: `${user.prefix} ${user.given} ${user.family}`,
      given_name: user.given,
      family_name: user.family,
      uid: user.sdsUserId,
      fhirUser: `${this.fhirBase}/Practitioner/${user.id}`,
      ...(user.email === undefined ? {} : { email: user.email }),
      ...this.userClaims(user, splitScopes(claims.scope)),
    };
  }
}

/** A failure to report by redirecting back to the app, as RFC 6749 §4.1.2.1 requires. */
export class AuthorizeRedirect extends Error {
  constructor(readonly location: string) {
    super('authorize error redirect');
    this.name = 'AuthorizeRedirect';
  }
}

function errorRedirect(redirectUri: string, error: string, description: string, state: string | undefined): string {
  const location = new URL(redirectUri);
  location.searchParams.set('error', error);
  location.searchParams.set('error_description', description);
  if (state !== undefined) location.searchParams.set('state', state);
  return location.toString();
}
