import { randomBytes } from 'node:crypto';
import type { GpsimOptions } from '../config/options';

/** Interfaces only this machine can reach; anything else exposes the control API to the network. */
export function isLoopbackHost(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

/**
 * The control API token: none on loopback; beyond it the configured one, or a fresh one printed
 * once on stderr (never into the structured log, which may be shipped elsewhere). Resolved once per
 * gpsim, by the cluster primary when there are workers, so every worker accepts the same token.
 */
export function resolveAdminToken(options: GpsimOptions): string | undefined {
  if (isLoopbackHost(options.host)) return undefined;
  if (options.adminToken !== undefined) return options.adminToken;
  const generated = randomBytes(24).toString('base64url');
  process.stderr.write(
    `gpsim: listening on ${options.host}, beyond loopback, so the control API (/__sim) needs an admin token.\n` +
      `gpsim: generated admin token (shown once; set --admin-token or GPSIM_ADMIN_TOKEN to choose your own): ${generated}\n`,
  );
  return generated;
}
