import type { ClientOptions } from '../transport/client-options.js';
import { splitUrl, transportFor } from '../transport/client-options.js';
import type { AuthorizationDetail, EmisXContext, SmartConfiguration, TokenResponse } from './wire-types.js';

export interface Pkce {
  verifier: string;
  challenge: string;
  method: 'S256';
}

const base64url = (bytes: Uint8Array): string => {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
};

/** A PKCE pair (RFC 7636 §4.1–4.2): a 43-character verifier from 32 random bytes, its S256 challenge. */
export async function createPkce(): Promise<Pkce> {
  const verifier = base64url(crypto.getRandomValues(new Uint8Array(32)));
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier));
  return { verifier, challenge: base64url(new Uint8Array(digest)), method: 'S256' };
}

/** The `iss` and `launch` an EHR launch opens the app with (SMART App Launch, EHR launch step 1). */
export function parseLaunch(url: string | URL): { iss: string; launch: string } {
  const parsed = new URL(url);
  const iss = parsed.searchParams.get('iss');
  const launch = parsed.searchParams.get('launch');
  if (!iss || !launch) throw new TypeError('A launch URL carries both iss and launch query parameters.');
  return { iss, launch };
}

/** The authorisation server's endpoints from `{iss}/.well-known/smart-configuration`. */
export async function discover(iss: string, options: ClientOptions = {}): Promise<SmartConfiguration> {
  const { origin, path } = splitUrl(iss);
  return transportFor([origin], options).json<SmartConfiguration>({
    method: 'GET',
    path: `${path}/.well-known/smart-configuration`,
    surface: 'oauth',
  });
}

export interface AuthorizeRequest {
  configuration: Pick<SmartConfiguration, 'authorization_endpoint'>;
  clientId: string;
  redirectUri: string;
  scope: string;
  state: string;
  /** The FHIR base the token is for: the launch's iss. */
  aud: string;
  pkce: Pick<Pkce, 'challenge' | 'method'>;
  /** From an EHR launch; absent for a standalone launch. */
  launch?: string;
}

/** The URL to send the user's browser to (SMART App Launch, obtain authorization code). */
export function authorizeUrl(request: AuthorizeRequest): string {
  const url = new URL(request.configuration.authorization_endpoint);
  const params: Record<string, string | undefined> = {
    response_type: 'code',
    client_id: request.clientId,
    redirect_uri: request.redirectUri,
    scope: request.scope,
    state: request.state,
    aud: request.aud,
    launch: request.launch,
    code_challenge: request.pkce.challenge,
    code_challenge_method: request.pkce.method,
  };
  for (const [name, value] of Object.entries(params)) if (value !== undefined) url.searchParams.set(name, value);
  return url.toString();
}

/** The code (and state) the authorisation server redirected back with; an OAuth error as an Error. */
export function parseRedirect(url: string | URL, expectedState: string): { code: string } {
  const parsed = new URL(url);
  const error = parsed.searchParams.get('error');
  if (error)
    throw new Error(`Authorisation refused: ${error} ${parsed.searchParams.get('error_description') ?? ''}`.trim());
  if (parsed.searchParams.get('state') !== expectedState)
    throw new Error('The redirect carries another state: not this login.');
  const code = parsed.searchParams.get('code');
  if (!code) throw new Error('The redirect carries no code.');
  return { code };
}

export interface ClientAuthentication {
  clientId: string;
  /** Confidential clients authenticate with client_secret_basic; public ones send client_id. */
  clientSecret?: string;
}

/** Exchanges the authorisation code for tokens (with the PKCE verifier). */
export function exchangeCode(
  request: ClientAuthentication & {
    configuration: Pick<SmartConfiguration, 'token_endpoint'>;
    code: string;
    redirectUri: string;
    codeVerifier: string;
  },
  options: ClientOptions = {},
): Promise<TokenResponse> {
  return tokenRequest(
    request,
    {
      grant_type: 'authorization_code',
      code: request.code,
      redirect_uri: request.redirectUri,
      code_verifier: request.codeVerifier,
    },
    options,
  );
}

/** A new access token from a refresh token (a refresh token is used once; keep the new one). */
export function refreshToken(
  request: ClientAuthentication & {
    configuration: Pick<SmartConfiguration, 'token_endpoint'>;
    refreshToken: string;
    scope?: string;
  },
  options: ClientOptions = {},
): Promise<TokenResponse> {
  return tokenRequest(
    request,
    {
      grant_type: 'refresh_token',
      refresh_token: request.refreshToken,
      ...(request.scope ? { scope: request.scope } : {}),
    },
    options,
  );
}

/** The EMIS-X–style context (patient, user, organisation) of a token response, when it carries one. */
export function emisXContext(token: Pick<TokenResponse, 'authorization_details'>): EmisXContext | undefined {
  return token.authorization_details?.find((detail: AuthorizationDetail) => detail.context !== undefined)?.context;
}

function tokenRequest(
  client: ClientAuthentication & { configuration: Pick<SmartConfiguration, 'token_endpoint'> },
  form: Record<string, string>,
  options: ClientOptions,
): Promise<TokenResponse> {
  const { origin, path } = splitUrl(client.configuration.token_endpoint);
  const body = new URLSearchParams(form);
  const headers: Record<string, string> = { 'Content-Type': 'application/x-www-form-urlencoded' };
  if (client.clientSecret === undefined) body.set('client_id', client.clientId);
  else
    headers.Authorization = `Basic ${btoa(`${encodeURIComponent(client.clientId)}:${encodeURIComponent(client.clientSecret)}`)}`;
  return transportFor([origin], options).json<TokenResponse>({
    method: 'POST',
    path,
    headers,
    body: body.toString(),
    surface: 'oauth',
    // A code is single use: a retried exchange would be refused and could revoke the tokens.
    idempotent: false,
  });
}
