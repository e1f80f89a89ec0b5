import type { GpsimOptions } from '@gpsim/simulator/config/options';
import { defaultOptions } from '@gpsim/simulator/config/options';
import type { RunningGpsim } from '@gpsim/simulator/main';
import { createLogger, startGpsim } from '@gpsim/simulator/main';

/**
 * A real gpsim on free ports with an in-memory store, for integration tests. Each test file gets
 * its own instance, so no state is shared between files. Every JSON answer is checked against the
 * published contracts, so drift fails the test that meets it.
 */
export async function startTestGpsim(overrides: Partial<GpsimOptions> = {}): Promise<RunningGpsim> {
  return startGpsim(
    {
      ...defaultOptions(),
      port: 0,
      backupPort: 0,
      tcpPort: null,
      store: 'memory',
      logLevel: 'silent',
      checkResponses: true,
      ...overrides,
    },
    createLogger('silent'),
  );
}

/** A small estate that builds fast: the default six practices with short lists. */
export const smallEstate: Partial<GpsimOptions> = { patientsPerPractice: 200 };
