export * from './client-integration';
