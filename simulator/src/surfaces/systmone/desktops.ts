import type { Practice, StaffUser } from '../../domain/estate';
import type { Engine } from '../../engine';
import { systmOneError } from './systmone-errors';

/**
 * The simulated SystmOne desktops of a practice: one per staff user, logged in as that user. A
 * partner without `?user=` reaches the desktop of the practice's first GP (approximate: the real
 * API talks to whichever SystmOne client runs on the same machine). The patient each desktop has
 * selected is kept in the store, so a reset clears it.
 */
const selectionKey = (ods: string, username: string) => `systmone-selection:${ods}:${username}`;

export function desktopUser(practice: Practice, username: string | undefined): StaffUser {
  if (username === undefined) {
    const gp = practice.staff.find((member) => member.role === 'gp') ?? practice.staff[0];
    if (!gp) throw systmOneError('unauthorised', 'UserNotLoggedIn', `No one is logged in at ${practice.ods}.`);
    return gp;
  }
  const user = practice.staff.find((member) => member.username === username);
  if (!user) {
    throw systmOneError(
      'unauthorised',
      'UserNotLoggedIn',
      `No SystmOne desktop at ${practice.ods} is logged in as "${username}"; use a username of this practice from GET /__sim/fixtures (users), or omit user for the first GP.`,
      'user',
    );
  }
  return user;
}

export async function selectedNhsNumber(
  engine: Engine,
  practice: Practice,
  user: StaffUser,
): Promise<string | undefined> {
  return engine.store.settings.get<string>(selectionKey(practice.ods, user.username));
}

export async function selectPatient(
  engine: Engine,
  practice: Practice,
  user: StaffUser,
  nhsNumber: string,
): Promise<void> {
  await engine.store.settings.put(selectionKey(practice.ods, user.username), nhsNumber);
}

/** Which practice desktop the TCP listener reaches: the first SystmOne practice unless set. */
const TCP_DESKTOP = 'systmone-tcp-desktop';

export interface TcpDesktop {
  ods: string;
  username?: string;
}

export async function tcpDesktop(engine: Engine): Promise<TcpDesktop | undefined> {
  const chosen = await engine.store.settings.get<TcpDesktop>(TCP_DESKTOP);
  if (chosen) return chosen;
  const first = engine.population.practices.find((practice) => practice.system === 'systmone');
  return first ? { ods: first.ods } : undefined;
}

export async function setTcpDesktop(engine: Engine, desktop: TcpDesktop): Promise<void> {
  await engine.store.settings.put(TCP_DESKTOP, desktop);
}
