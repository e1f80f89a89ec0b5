import type { control } from '@gpsim/contracts';
import { ResilientTransport } from '../transport/resilient-transport';
import type { TransportOptions } from '../transport/resilient-transport';

export interface GpsimControlOptions extends Partial<Omit<TransportOptions, 'endpoints'>> {
  /** Base URL of a running gpsim, e.g. http://127.0.0.1:4100; or several nodes, primary first. */
  baseUrl: string | readonly string[];
}

/**
 * The /__sim control API, typed from the contracts: what tests use to learn the estate (fixtures),
 * return it to its seed state (reset) and move time (clock). Errors are GpsimApiError with
 * surface "control".
 */
export class GpsimControl {
  private readonly transport: ResilientTransport;

  constructor(options: GpsimControlOptions) {
    const { baseUrl, ...transport } = options;
    this.transport = new ResilientTransport({
      ...transport,
      endpoints: typeof baseUrl === 'string' ? [baseUrl] : baseUrl,
    });
  }

  health(): Promise<control.Health> {
    return this.get('/__sim/health');
  }

  fixtures(): Promise<control.Manifest> {
    return this.get('/__sim/fixtures');
  }

  reset(request: control.ResetRequest = {}): Promise<control.ResetResult> {
    return this.post('/__sim/reset', request);
  }

  clock(): Promise<control.ClockState> {
    return this.get('/__sim/clock');
  }

  moveClock(change: control.ClockChange): Promise<control.ClockState> {
    return this.post('/__sim/clock', change);
  }

  journal(
    query: { limit?: number; since?: number | string; surface?: control.SurfaceName; status?: string } = {},
  ): Promise<control.JournalPage> {
    const params = new URLSearchParams();
    for (const [name, value] of Object.entries(query)) if (value !== undefined) params.set(name, String(value));
    const search = params.toString();
    return this.get(`/__sim/journal${search ? `?${search}` : ''}`);
  }

  private get<T>(path: string): Promise<T> {
    return this.transport.json<T>({ method: 'GET', path, surface: 'control' });
  }

  /** Control changes are not retried: a reset or clock move sent twice is not the same as once. */
  private post<T>(path: string, body: unknown): Promise<T> {
    return this.transport.json<T>({
      method: 'POST',
      path,
      surface: 'control',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
      idempotent: false,
    });
  }
}
