import { dialectOf } from '@fleet/event-sourcing';
import type { EntityManager } from 'typeorm';

/** Advisory-lock classes of power (the first key of PostgreSQL's two-key form). */
const FACILITY_LOCK_CLASS = 3003;
const RIG_LOCK_CLASS = 3004;

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
export function lockFacility(manager: EntityManager, facilityId: string): Promise<void> {
  return advisoryLock(manager, FACILITY_LOCK_CLASS, facilityId);
}

/**
 * Serialises the consumers of one rig's events (one consumer per event type, so two may run at
 * once): each reads the rig's row, folds its event in and writes it back, which two at once would
 * undo each other's work on, the row not existing yet for either.
 */
export function lockRig(manager: EntityManager, rigId: string): Promise<void> {
  return advisoryLock(manager, RIG_LOCK_CLASS, rigId);
}

async function advisoryLock(manager: EntityManager, lockClass: number, key: string): Promise<void> {
  if (dialectOf(manager.connection) !== 'postgres') return;
  await manager.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [lockClass, key]);
}
