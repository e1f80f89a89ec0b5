export { createApp } from './app';
export type { GpsimApp } from './app';
export { startGpsim } from './main';
export type { RunningGpsim } from './main';
export { Engine } from './engine';
export { resolveOptions, defaultOptions } from './config/options';
export type { GpsimOptions } from './config/options';
