import { dialectOf } from '@fleet/event-sourcing';
import type { EntityManager } from 'typeorm';

/** The advisory-lock class of power's facilities (the first key of PostgreSQL's two-key form). */
const FACILITY_LOCK_CLASS = 3003;

/**
 * Serialises, until the transaction ends, everything that reads power's view of a facility's rigs
 * and then writes the facility's stream: a power-on reads a rig as installed and allocates it,
 * while the consumer that learns the rig went to repair updates the view and releases what is
 * allocated. Without the lock the power-on could read the view before the consumer's commit and
 * allocate after it, leaving a rig in repair powered. The stream's version check alone does not
 * catch it: the consumer appends nothing when nothing was allocated yet.
 *
 * PostgreSQL: a transaction-scoped advisory lock per facility (a hash collision only serialises two
 * facilities). SQLite: the store's transactions are serialised already.
 */
export async function lockFacility(manager: EntityManager, facilityId: string): Promise<void> {
  if (dialectOf(manager.connection) !== 'postgres') return;
  await manager.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [FACILITY_LOCK_CLASS, facilityId]);
}
