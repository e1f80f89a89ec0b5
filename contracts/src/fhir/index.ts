export * from './datatypes';
