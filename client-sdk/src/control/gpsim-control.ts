import type { control } from '@gpsim/contracts';

export interface GpsimControlOptions {
  /** Base URL of a running gpsim, e.g. http://127.0.0.1:4100 */
  baseUrl: string;
  /** Injectable fetch (tests, proxies); defaults to the global fetch. */
  fetch?: typeof fetch;
}

/** Thrown when the control API answers with an error: carries its status and machine code. */
export class GpsimControlError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'GpsimControlError';
  }
}

/**
 * The /__sim control API, typed from the contracts: what tests use to learn the estate (fixtures),
 * return it to its seed state (reset) and move time (clock).
 */
export class GpsimControl {
  private readonly baseUrl: string;
  private readonly fetchImpl: typeof fetch;

  constructor(options: GpsimControlOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.fetchImpl = options.fetch ?? fetch;
  }

  health(): Promise<control.Health> {
    return this.request('GET', '/__sim/health');
  }

  fixtures(): Promise<control.Manifest> {
    return this.request('GET', '/__sim/fixtures');
  }

  reset(request: control.ResetRequest = {}): Promise<control.ResetResult> {
    return this.request('POST', '/__sim/reset', request);
  }

  clock(): Promise<control.ClockState> {
    return this.request('GET', '/__sim/clock');
  }

  moveClock(change: control.ClockChange): Promise<control.ClockState> {
    return this.request('POST', '/__sim/clock', change);
  }

  journal(
    query: { limit?: number; since?: number | string; surface?: control.SurfaceName; status?: string } = {},
  ): Promise<control.JournalPage> {
    const params = new URLSearchParams();
    for (const [name, value] of Object.entries(query)) if (value !== undefined) params.set(name, String(value));
    const search = params.toString();
    return this.request('GET', `/__sim/journal${search ? `?${search}` : ''}`);
  }

  private async request<T>(method: string, path: string, body?: unknown): Promise<T> {
    const response = await this.fetchImpl(`${this.baseUrl}${path}`, {
      method,
      headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const payload = (await response.json()) as unknown;
    if (!response.ok) {
      const error = (payload as Partial<control.ControlError>).error;
      throw new GpsimControlError(
        response.status,
        error?.code ?? 'unknown',
        error?.message ?? `HTTP ${response.status}`,
      );
    }
    return payload as T;
  }
}
