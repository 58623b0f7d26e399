export * from './coin';
export * from './usd';
