export * from './private-nats-server';
export * from './fleet-nats-users';
