export { GpsimControl } from './gpsim-control.js';
export type { GpsimControlOptions, TaskQuery, WorkflowTask } from './gpsim-control.js';
