export * as control from './control';
