export * from './decider-spec';
export * from './test-database';
export * from './feed';
export * from './blocking-transaction';
