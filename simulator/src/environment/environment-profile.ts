import { randomBytes } from 'node:crypto';

/**
 * `sandbox` (default) forgives, as a local tool should; `integration` rehearses the supplier's
 * path-to-live environment (issue 7 "Environment profiles"): GP Connect only through the SSP,
 * strict JWT audience, registered OAuth clients only, partner source addresses on an allow-list,
 * and a per-application rate limit.
 */
export type EnvironmentProfileName = 'sandbox' | 'integration';

export interface EnvironmentProfile {
  name: EnvironmentProfileName;
  /** Requests per second one application may make (integration only); the API platform's default is 5. */
  rateLimitPerS: number;
  /** Source addresses partner APIs accept (integration only), as the supplier whitelists IP ranges. */
  partnerAllowList: readonly string[];
  /** Marks requests the SSP emulation forwards, so the provider can tell them from direct ones. */
  readonly sspMark: string;
}

export function environmentProfile(
  name: EnvironmentProfileName,
  rateLimitPerS = 5,
  partnerAllowList: readonly string[] = ['127.0.0.1', '::1'],
): EnvironmentProfile {
  return { name, rateLimitPerS, partnerAllowList, sspMark: randomBytes(16).toString('hex') };
}

/** The header the SSP emulation adds to what it forwards. */
export const SSP_MARK_HEADER = 'x-gpsim-via-ssp';

/** IPv4 addresses arrive IPv6-mapped on dual-stack sockets (::ffff:127.0.0.1). */
export function isAllowedSource(address: string, allowList: readonly string[]): boolean {
  const plain = address.startsWith('::ffff:') ? address.slice('::ffff:'.length) : address;
  return allowList.includes(plain) || allowList.includes(address);
}
