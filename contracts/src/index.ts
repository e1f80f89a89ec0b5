export * as control from './control';
export * as emis from './emis';
