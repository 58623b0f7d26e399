import type { Coin } from '@fleet/contracts';
import { tableOf } from '@fleet/event-sourcing';
import { EntitySchema } from 'typeorm';

/** A row of `hash_values`: what one unit of hashrate earned in a coin on one day. */
export interface HashValueRow {
  /** `<coin>/<date>`. */
  id: string;
  coin: Coin;
  date: string;
  coinPerUnitPerDay: string;
  unit: 'TH/s' | 'kSol/s';
}

export const HashValueEntity = new EntitySchema<HashValueRow>({
  name: 'HashValueEntity',
  tableName: 'hash_values',
  columns: {
    id: { type: 'varchar', length: 20, primary: true, primaryKeyConstraintName: 'pk_hash_values' },
    coin: { type: 'varchar', length: 8 },
    date: { type: 'varchar', length: 10 },
    coinPerUnitPerDay: { name: 'coin_per_unit_per_day', type: 'varchar', length: 32 },
    unit: { type: 'varchar', length: 8 },
  },
});

export const hashValuesTable = tableOf(HashValueEntity);
