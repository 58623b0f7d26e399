export * from './event';
export * from './decider';
export * from './errors';
export * from './event-store';
export * from './upcasting';
export * from './command-handler';
