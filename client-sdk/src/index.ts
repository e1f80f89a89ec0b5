export { GpsimControl } from './control/gpsim-control';
export type { GpsimControlOptions } from './control/gpsim-control';
export * from './transport';
