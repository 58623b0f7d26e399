import type { EventStore } from '@fleet/event-sourcing';
import type { EntityManager } from 'typeorm';
import { nowMsOf } from '../migrations/messaging.sql';

/** The lease a relay instance holds: its term (epoch) and where its run starts. */
export interface RelayLease {
  /** Fencing token: every checkpoint write names it, and a newer lease makes them no-ops. */
  readonly epoch: string;
  /** The last checkpoint written by any instance. */
  readonly checkpoint: bigint;
  /** Where to resume: the checkpoint, or a safety margin behind it (see `restartMarginMs`). */
  readonly resumeAfter: bigint;
}

export interface CheckpointRow {
  readonly position: bigint;
  readonly leaseOwner: string | null;
  readonly leaseEpoch: string;
  readonly leaseExpiresAtMs: number;
}

interface RawRow {
  readonly position: string | number;
  readonly mark_position: string | number;
  readonly mark_at_ms: string | number;
  readonly prior_mark_position: string | number;
  readonly advanced_at_ms: string | number;
  readonly updated_at_ms: string | number;
  readonly lease_owner: string | null;
  readonly lease_epoch: string | number;
  readonly lease_expires_at_ms: string | number;
}

/**
 * The relay's row in `outbox_checkpoints`: checkpoint plus lease. Every statement runs in a store
 * transaction, so on SQLite it queues behind the store's own writes instead of slipping into one.
 */
export class RelayCheckpoints {
  constructor(
    private readonly store: EventStore,
    readonly relay: string,
    readonly owner: string,
    private readonly leaseTtlMs: number,
    private readonly restartMarginMs: number,
  ) {}

  /** Takes the lease when it is free or expired; undefined while another instance holds it. */
  async acquire(): Promise<RelayLease | undefined> {
    return this.store.transaction(async (session) => {
      const { manager } = session;
      const now = nowMsOf(this.store.dialect);
      await manager.sql`INSERT INTO outbox_checkpoints (relay) VALUES (${this.relay}) ON CONFLICT (relay) DO NOTHING`;
      // Read before taking it: the marks are judged against the previous holder's last advance.
      const before = await this.selectRow(manager);
      // Free, mine already, or expired: take it and start a new term.
      await manager.sql`UPDATE outbox_checkpoints
        SET lease_owner = ${this.owner}, lease_epoch = lease_epoch + 1,
            lease_expires_at_ms = ${now} + ${this.leaseTtlMs}, updated_at_ms = ${now}
        WHERE relay = ${this.relay}
          AND (lease_owner IS NULL OR lease_owner = ${this.owner} OR lease_expires_at_ms < ${now})`;
      const after = await this.selectRow(manager);
      if (!before || !after || after.lease_owner !== this.owner) return undefined;
      const checkpoint = BigInt(after.position);
      return { epoch: String(after.lease_epoch), checkpoint, resumeAfter: this.resumePosition(before) };
    });
  }

  /** Writes the checkpoint and renews the lease; false when another instance took the lease. */
  async commit(epoch: string, position: bigint): Promise<boolean> {
    return this.store.transaction(async (session) => {
      const { manager } = session;
      const now = nowMsOf(this.store.dialect);
      const at = position.toString();
      const margin = this.restartMarginMs;
      /*
       * Checkpoint and renewal in one fenced write. Only a write that moves the position forward
       * (new events acknowledged) stamps `advanced_at_ms` and may rotate the two marks, at most once
       * per margin: `mark` is a checkpoint taken at `mark_at_ms`, `prior_mark` one taken at least a
       * margin before it. A renewal alone (the relay idle, or retrying while NATS is down) touches
       * neither: it proves nothing about what the server kept, and moving the marks on it would carry
       * them past events a crashed server lost. (Right-hand sides read the row's old values, on both
       * databases.)
       */
      await manager.sql`UPDATE outbox_checkpoints SET
          prior_mark_position = CASE WHEN ${at} > position AND ${now} - mark_at_ms >= ${margin}
            THEN mark_position ELSE prior_mark_position END,
          prior_mark_at_ms = CASE WHEN ${at} > position AND ${now} - mark_at_ms >= ${margin}
            THEN mark_at_ms ELSE prior_mark_at_ms END,
          mark_position = CASE WHEN ${at} > position AND ${now} - mark_at_ms >= ${margin}
            THEN ${at} ELSE mark_position END,
          mark_at_ms = CASE WHEN ${at} > position AND ${now} - mark_at_ms >= ${margin}
            THEN ${now} ELSE mark_at_ms END,
          advanced_at_ms = CASE WHEN ${at} > position THEN ${now} ELSE advanced_at_ms END,
          position = ${at},
          lease_expires_at_ms = ${now} + ${this.leaseTtlMs},
          updated_at_ms = ${now}
        WHERE relay = ${this.relay} AND lease_owner = ${this.owner} AND lease_epoch = ${epoch}`;
      const row = await this.selectRow(manager);
      return row !== undefined && row.lease_owner === this.owner && String(row.lease_epoch) === epoch;
    });
  }

  async release(epoch: string): Promise<void> {
    await this.store.transaction(async (session) => {
      await session.manager.sql`UPDATE outbox_checkpoints SET lease_owner = NULL, lease_expires_at_ms = 0
        WHERE relay = ${this.relay} AND lease_owner = ${this.owner} AND lease_epoch = ${epoch}`;
    });
  }

  async read(): Promise<CheckpointRow | undefined> {
    return this.store.transaction(async (session) => {
      const row = await this.selectRow(session.manager);
      return row
        ? {
            position: BigInt(row.position),
            leaseOwner: row.lease_owner,
            leaseEpoch: String(row.lease_epoch),
            leaseExpiresAtMs: Number(row.lease_expires_at_ms),
          }
        : undefined;
    });
  }

  private async selectRow(manager: EntityManager): Promise<RawRow | undefined> {
    const rows = await manager.sql<RawRow[]>`SELECT position, mark_position, mark_at_ms, prior_mark_position,
        advanced_at_ms, updated_at_ms, lease_owner, lease_epoch, lease_expires_at_ms
      FROM outbox_checkpoints WHERE relay = ${this.relay}`;
    return rows[0];
  }

  /**
   * A JetStream ack means the server has the message, not that it is on disk. A restarted relay
   * (or one reconnected to a different server) therefore goes back to a checkpoint acknowledged at
   * least `restartMarginMs` before the last checkpoint that advanced: the server was alive when
   * that one's acks arrived, so everything acknowledged a margin earlier had been synced. Measured
   * from the last advance, not the last write: a relay keeps renewing its lease through a NATS
   * outage, long after the crash that lost the newest acks. The rewind therefore reaches back at
   * most about two margins from the last advance; de-duplication and inboxes absorb the repeats.
   */
  private resumePosition(row: RawRow): bigint {
    if (this.restartMarginMs <= 0) return BigInt(row.position);
    const lastAdvance = Number(row.advanced_at_ms);
    return lastAdvance - Number(row.mark_at_ms) >= this.restartMarginMs
      ? BigInt(row.mark_position)
      : BigInt(row.prior_mark_position);
  }
}
