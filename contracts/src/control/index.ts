export * from './common';
export * from './health';
export * from './manifest';
export * from './clock';
export * from './reset';
export * from './journal';
export * from './practices';
export * from './patients';
export * from './tasks';
export * from './subscriptions';

export * from './systmone';

export * from './faults';
export * from './scenarios';

export * from './launch';
export * from './devices';
