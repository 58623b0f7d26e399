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
 * `lockFacility` for each facility named, in one order (by id) whoever asks, so that two writers
 * locking several facilities cannot each hold one the other waits for.
 */
export async function lockFacilities(manager: EntityManager, facilityIds: readonly string[]): Promise<void> {
  for (const facilityId of [...new Set(facilityIds)].sort()) await lockFacility(manager, facilityId);
}

/**
 * Serialises the consumers of the same rigs' events (one consumer per event type, so two may run
 * at once): each reads the rigs' rows, folds its events in and writes them back, which two at once
 * would undo each other's work on, the rows not existing yet for either. One statement for a whole
 * run of events, taking the rigs' locks in ascending key order, the same for every caller, so two
 * runs sharing rigs queue instead of deadlocking.
 */
export async function lockRigs(manager: EntityManager, rigIds: readonly string[]): Promise<void> {
  if (rigIds.length === 0 || dialectOf(manager.connection) !== 'postgres') return;
  await manager.query(
    `SELECT count(pg_advisory_xact_lock(${RIG_LOCK_CLASS}, key))
       FROM (SELECT DISTINCT hashtext(id) AS key FROM unnest($1::text[]) AS id ORDER BY key) AS keys`,
    [rigIds],
  );
}

async function advisoryLock(manager: EntityManager, lockClass: number, key: string): Promise<void> {
  if (dialectOf(manager.connection) !== 'postgres') return;
  await manager.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [lockClass, key]);
}
