export * from './mesh';
