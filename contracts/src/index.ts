export * as control from './control';
export * as emis from './emis';
export * as systmone from './systmone';
