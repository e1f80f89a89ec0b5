export * from './common';
export * from './health';
export * from './manifest';
export * from './clock';
export * from './reset';
export * from './journal';
export * from './practices';
export * from './launch';
