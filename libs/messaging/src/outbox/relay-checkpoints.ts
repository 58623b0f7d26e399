import type { EventStore } from '@fleet/event-sourcing';
import { bind } from '../migrations/messaging.sql';

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

const ENSURE_ROW = `INSERT INTO outbox_checkpoints (relay) VALUES ($1) ON CONFLICT (relay) DO NOTHING`;

const SELECT_ROW = `SELECT position, mark_position, mark_at_ms, prior_mark_position, advanced_at_ms, updated_at_ms,
    lease_owner, lease_epoch, lease_expires_at_ms
  FROM outbox_checkpoints WHERE relay = $1`;

/** Free, mine already, or expired: take it and start a new term. */
const ACQUIRE = `UPDATE outbox_checkpoints
  SET lease_owner = $2, lease_epoch = lease_epoch + 1,
      lease_expires_at_ms = {now_ms} + $3, updated_at_ms = {now_ms}
  WHERE relay = $1 AND (lease_owner IS NULL OR lease_owner = $2 OR lease_expires_at_ms < {now_ms})`;

/**
 * Checkpoint and renewal in one fenced write. Only a write that moves the position forward (new
 * events acknowledged) stamps `advanced_at_ms` and may rotate the two marks, at most once per
 * margin: `mark` is a checkpoint taken at `mark_at_ms`, `prior_mark` one taken at least a margin
 * before it. A renewal alone (the relay idle, or retrying while NATS is down) touches neither: it
 * proves nothing about what the server kept, and moving the marks on it would carry them past
 * events a crashed server lost. (Right-hand sides read the row's old values, on both databases.)
 */
const COMMIT = `UPDATE outbox_checkpoints SET
    prior_mark_position = CASE WHEN $5 > position AND {now_ms} - mark_at_ms >= $4 THEN mark_position ELSE prior_mark_position END,
    prior_mark_at_ms = CASE WHEN $5 > position AND {now_ms} - mark_at_ms >= $4 THEN mark_at_ms ELSE prior_mark_at_ms END,
    mark_position = CASE WHEN $5 > position AND {now_ms} - mark_at_ms >= $4 THEN $5 ELSE mark_position END,
    mark_at_ms = CASE WHEN $5 > position AND {now_ms} - mark_at_ms >= $4 THEN {now_ms} ELSE mark_at_ms END,
    advanced_at_ms = CASE WHEN $5 > position THEN {now_ms} ELSE advanced_at_ms END,
    position = $5,
    lease_expires_at_ms = {now_ms} + $6,
    updated_at_ms = {now_ms}
  WHERE relay = $1 AND lease_owner = $2 AND lease_epoch = $3`;

const RELEASE = `UPDATE outbox_checkpoints SET lease_owner = NULL, lease_expires_at_ms = 0
  WHERE relay = $1 AND lease_owner = $2 AND lease_epoch = $3`;

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
      const run = (sql: string, parameters: unknown[]): Promise<unknown> =>
        session.manager.query(...bind(this.store.dialect, sql, parameters));
      await run(ENSURE_ROW, [this.relay]);
      // Read before taking it: the marks are judged against the previous holder's last advance.
      const before = await this.selectRow(run);
      await run(ACQUIRE, [this.relay, this.owner, this.leaseTtlMs]);
      const after = await this.selectRow(run);
      if (!before || !after || after.lease_owner !== this.owner) return undefined;
      const checkpoint = BigInt(after.position);
      return { epoch: String(after.lease_epoch), checkpoint, resumeAfter: this.resumePosition(before) };
    });
  }

  /** Writes the checkpoint and renews the lease; false when another instance took the lease. */
  async commit(epoch: string, position: bigint): Promise<boolean> {
    return this.store.transaction(async (session) => {
      const run = (sql: string, parameters: unknown[]): Promise<unknown> =>
        session.manager.query(...bind(this.store.dialect, sql, parameters));
      await run(COMMIT, [
        this.relay,
        this.owner,
        epoch,
        this.restartMarginMs,
        position.toString(),
        this.leaseTtlMs,
      ]);
      const row = await this.selectRow(run);
      return row !== undefined && row.lease_owner === this.owner && String(row.lease_epoch) === epoch;
    });
  }

  async release(epoch: string): Promise<void> {
    await this.store.transaction(async (session) => {
      await session.manager.query(...bind(this.store.dialect, RELEASE, [this.relay, this.owner, epoch]));
    });
  }

  async read(): Promise<CheckpointRow | undefined> {
    return this.store.transaction(async (session) => {
      const row = await this.selectRow((sql, parameters) =>
        session.manager.query(...bind(this.store.dialect, sql, parameters)),
      );
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

  private async selectRow(
    run: (sql: string, parameters: unknown[]) => Promise<unknown>,
  ): Promise<RawRow | undefined> {
    const rows = (await run(SELECT_ROW, [this.relay])) as RawRow[];
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
