export * from './foundations';
export * from './appointments';
export * from './structured';
export * from './documents';
