import { DEFAULT_ESTATE_SPEC } from '@gpsim/simulator/population/estate-generator';
import type { EstateSpec } from '@gpsim/simulator/population/estate-generator';
import { Population } from '@gpsim/simulator/population/population';

/** The default estate, computed in-process (no server). */
export function defaultPopulation(overrides: Partial<EstateSpec> = {}): Population {
  return new Population({ ...DEFAULT_ESTATE_SPEC, ...overrides });
}
