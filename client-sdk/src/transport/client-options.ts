import { ResilientTransport } from './resilient-transport.js';
import type { TransportOptions } from './resilient-transport.js';

/**
 * What every client accepts: either a transport to share (one circuit breaker state per endpoint
 * across clients), or the options to build its own.
 */
export interface ClientOptions extends Partial<Omit<TransportOptions, 'endpoints'>> {
  transport?: ResilientTransport;
}

export function transportFor(endpoints: readonly string[], options: ClientOptions): ResilientTransport {
  if (options.transport) return options.transport;
  const { transport: _shared, ...rest } = options;
  return new ResilientTransport({ ...rest, endpoints });
}

/** Splits a service URL into its origin (what the transport fails over between) and its path. */
export function splitUrl(url: string): { origin: string; path: string } {
  const parsed = new URL(url);
  return { origin: parsed.origin, path: parsed.pathname.replace(/\/+$/, '') };
}
