import type { InlineProjection } from '@fleet/event-sourcing';
import { HashValueEntity } from './hash-values/read-model/hash-value.entity';
import { HashValuesProjection } from './hash-values/read-model/hash-values.projection';
import { EnergyDayEntity } from './periods/read-model/energy-day.entity';
import { EnergyDaysProjection } from './periods/read-model/energy-days.projection';
import { JournalLineEntity } from './periods/read-model/journal-line.entity';
import { JournalLinesProjection } from './periods/read-model/journal-lines.projection';
import { PayoutEntity } from './periods/read-model/payout.entity';
import { PayoutsProjection } from './periods/read-model/payouts.projection';
import { PeriodEntity } from './periods/read-model/period.entity';
import { PeriodsProjection } from './periods/read-model/periods.projection';
import { PriceEntity } from './prices/read-model/price.entity';
import { PricesProjection } from './prices/read-model/prices.projection';
import { PoolAssignmentEntity } from './reconciliation/read-model/pool-assignment.entity';
import { PoolAssignmentsProjection } from './reconciliation/read-model/pool-assignments.projection';
import { RigTimeSumEntity } from './rig-time/read-model/rig-time-sum.entity';

/** Every table of revenue's own (TypeORM entities). */
export const REVENUE_ENTITIES = [
  PayoutEntity,
  JournalLineEntity,
  EnergyDayEntity,
  PeriodEntity,
  PriceEntity,
  HashValueEntity,
  RigTimeSumEntity,
  PoolAssignmentEntity,
];

/** The inline projections, run in this order in every append's transaction (and in a rebuild). */
export const REVENUE_PROJECTIONS: readonly InlineProjection[] = [
  PayoutsProjection,
  JournalLinesProjection,
  EnergyDaysProjection,
  PeriodsProjection,
  PricesProjection,
  HashValuesProjection,
  PoolAssignmentsProjection,
];

/**
 * The tables the projections keep: a fold of revenue's own events, so a rebuild may empty and
 * refill them. `rig_time_sums` is not one of them: it is kept from power's and inventory's events.
 */
export const PROJECTED_TABLES = [
  'payouts',
  'journal_lines',
  'energy_days',
  'periods',
  'prices',
  'hash_values',
  'pool_assignments',
] as const;
