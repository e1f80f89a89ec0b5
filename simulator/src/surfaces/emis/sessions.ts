import { randomUUID } from 'node:crypto';
import type { emis } from '@gpsim/contracts';
import type { Practice, StaffUser } from '../../domain/estate';
import type { EmisFunction, PartnerCredentials } from '../../domain/partners';
import { partnerCredentials } from '../../domain/partners';
import type { Engine } from '../../engine';
import { emisError } from './emis-errors';
import { isSimError } from '../../domain/errors';

/** Session lifetime on the simulated clock (approximate: EMIS's real timeout is not public). */
export const SESSION_TTL_MS = 30 * 60 * 1000;

interface StoredSession {
  partner: string;
  ods: string;
  username: string;
  expiresAt: number;
}

export interface EmisSession {
  id: string;
  partner: PartnerCredentials;
  practice: Practice;
  user: StaffUser;
  expiresAt: number;
}

const key = (id: string) => `emis-session:${id}`;

function activationHint(ods: string, partner: string, feature?: string): string {
  const change = feature ? `{"functions":{"${feature}":true}}` : '{"enabled":true}';
  return `activate it in EMAS Manager (Partner API tab); in gpsim: PATCH /__sim/practices/${ods} {"partners":{"${partner}":${change}}}.`;
}

/**
 * InitializeWithID-like logon: partner credentials plus the practice (EMIS uses its CDB number;
 * gpsim the ODS code) and optionally the EMIS user bound at activation, the first GP otherwise.
 * Sessions live in the store so both nodes share them, and expire on the simulated clock.
 */
export async function logon(engine: Engine, body: emis.InitializeWithId): Promise<EmisSession> {
  const partner = partnerCredentials(engine.population.estate.spec.seed).find(
    (candidate) => candidate.clientId === body.ClientId && candidate.clientSecret === body.ClientSecret,
  );
  if (!partner) {
    throw emisError(
      'unauthorised',
      'InvalidCredentials',
      'ClientId and ClientSecret do not match a partner; use clientId/clientSecret from GET /__sim/fixtures (partners).',
    );
  }
  const { practice, user } = await practiceAndUser(engine, partner, body.OrganisationId, body.UserName);
  const id = randomUUID();
  const expiresAt = engine.clock.now() + SESSION_TTL_MS;
  await engine.store.settings.put(key(id), {
    partner: partner.name,
    ods: practice.ods,
    username: user.username,
    expiresAt,
  } satisfies StoredSession);
  return { id, partner, practice, user, expiresAt };
}

/**
 * The session an OAuth bearer token stands for: a token the authorisation server issued (client
 * credentials) to a partner's registered client, for the practice the call names. It lives as long
 * as the token, on the simulated clock; the desktop user is the practice's first GP.
 */
export async function tokenSession(engine: Engine, token: string, ods: string | undefined): Promise<EmisSession> {
  let claims: { client_id: string; jti: string; exp: number };
  try {
    claims = engine.auth.verifyAccessToken(token);
  } catch (error) {
    if (!isSimError(error)) throw error;
    const expired = error.message.includes('expired');
    throw emisError(
      'unauthorised',
      expired ? 'SessionExpired' : 'SessionInvalid',
      `${error.message} (POST /oauth/token with grant_type=client_credentials and the partner's clientId/clientSecret).`,
      'Authorization',
    );
  }
  const partner = partnerCredentials(engine.population.estate.spec.seed).find(
    (candidate) => candidate.clientId === claims.client_id,
  );
  if (!partner) {
    throw emisError(
      'unauthorised',
      'InvalidCredentials',
      `The token was issued to ${claims.client_id}, not a partner product; get one with a partner's clientId from GET /__sim/fixtures (partners).`,
      'Authorization',
    );
  }
  if (ods === undefined) {
    throw emisError(
      'invalid-parameter',
      'InvalidParameter',
      'With a bearer token, name the practice with OrganisationId (its ODS code).',
      'OrganisationId',
    );
  }
  const { practice, user } = await practiceAndUser(engine, partner, ods, undefined);
  return { id: claims.jti, partner, practice, user, expiresAt: claims.exp * 1000 };
}

async function practiceAndUser(
  engine: Engine,
  partner: PartnerCredentials,
  ods: string,
  username: string | undefined,
): Promise<{ practice: Practice; user: StaffUser }> {
  const practice = engine.population.practice(ods);
  if (!practice) {
    throw emisError(
      'practice-not-found',
      'OrganisationNotFound',
      `No practice ${ods}; see GET /__sim/fixtures.`,
      'OrganisationId',
    );
  }
  if (practice.system !== 'emis') {
    throw emisError(
      'forbidden',
      'WrongClinicalSystem',
      `Practice ${practice.ods} runs SystmOne, not EMIS Web: use the SystmOne Client Integration API for it.`,
      'OrganisationId',
    );
  }
  await assertActivated(engine, practice, partner.name);
  const user =
    username === undefined
      ? (practice.staff.find((member) => member.role === 'gp') ?? practice.staff[0])
      : practice.staff.find((member) => member.username === username);
  if (!user) {
    throw emisError(
      'practitioner-not-found',
      'UserNotFound',
      `No EMIS user ${username ?? ''} at ${practice.ods}; see GET /__sim/fixtures (users).`,
      'UserName',
    );
  }
  return { practice, user };
}

export async function assertActivated(
  engine: Engine,
  practice: Practice,
  partner: string,
  feature?: EmisFunction,
): Promise<void> {
  const settings = (await engine.practiceSettings.get(practice)).partners[partner];
  if (settings?.enabled !== true) {
    throw emisError(
      'forbidden',
      'PartnerNotActivated',
      `${partner} is not activated at ${practice.ods}: ${activationHint(practice.ods, partner)}`,
    );
  }
  if (feature !== undefined && settings.functions[feature] === false) {
    throw emisError(
      'forbidden',
      'FeatureNotEnabled',
      `${feature} is not enabled for ${partner} at ${practice.ods}: ${activationHint(practice.ods, partner, feature)}`,
    );
  }
}

/** The live session a SessionId names; activation is checked separately, per call. */
export async function session(engine: Engine, id: string): Promise<EmisSession> {
  const stored = await engine.store.settings.get<StoredSession>(key(id));
  const partner = partnerCredentials(engine.population.estate.spec.seed).find(
    (candidate) => candidate.name === stored?.partner,
  );
  const practice = stored ? engine.population.practice(stored.ods) : undefined;
  const user = practice?.staff.find((member) => member.username === stored?.username);
  if (!stored || !partner || !practice || !user) {
    throw emisError(
      'unauthorised',
      'SessionInvalid',
      'Unknown SessionId; log on again with InitializeWithID.',
      'SessionId',
    );
  }
  if (engine.clock.now() >= stored.expiresAt) {
    throw emisError(
      'unauthorised',
      'SessionExpired',
      'The session has expired; log on again with InitializeWithID.',
      'SessionId',
    );
  }
  return { id, partner, practice, user, expiresAt: stored.expiresAt };
}
