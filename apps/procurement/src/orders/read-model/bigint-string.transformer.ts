import type { ValueTransformer } from 'typeorm';

/**
 * Global positions are bigints: PostgreSQL hands them back as strings, SQLite as numbers. The read
 * model keeps them as decimal strings on both, which is also how cursors and envelopes carry them.
 */
export const bigintString: ValueTransformer = {
  to: (value: string | undefined) => value,
  from: (value: string | number | null) => (value === null ? null : String(value)),
};
