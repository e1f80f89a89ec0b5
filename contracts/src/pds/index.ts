export * from './pds';
