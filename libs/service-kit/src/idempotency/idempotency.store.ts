import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import { withDatabaseLock } from '@fleet/event-sourcing';
import { DataSource, type EntityManager } from 'typeorm';
import type { FleetConfig } from '../config/fleet-config';
import { FLEET_CONFIG } from '../module/tokens';

/** One POST under an `Idempotency-Key`, scoped to the caller. */
export interface IdempotentRequest {
  readonly actor: string;
  readonly key: string;
  readonly method: string;
  readonly path: string;
  /** `requestFingerprint(...)`. */
  readonly hash: string;
}

export interface StoredResponse {
  readonly status: number;
  /** Only the headers worth replaying: content-type, ETag, Location. */
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

export type Claim =
  | { readonly outcome: 'claimed' }
  | { readonly outcome: 'replay'; readonly response: StoredResponse }
  | { readonly outcome: 'mismatch'; readonly firstRequest: string }
  | { readonly outcome: 'in-flight' };

interface KeyRow {
  readonly request_method: string;
  readonly request_path: string;
  readonly request_hash: string;
  readonly status_code: number | string | null;
  readonly response_body: string | null;
  readonly response_headers: string | null;
}

/**
 * A request whose process died before it answered leaves its key in flight; after this long the key
 * may be claimed again. Far longer than any request Fleet serves (a 12,000-unit receipt takes
 * seconds), so a slow request is never executed twice.
 */
export const IN_FLIGHT_LEASE_MS = 5 * 60_000;
const PURGE_INTERVAL_MS = 15 * 60_000;

/**
 * The `idempotency_keys` table. On SQLite every statement runs under the event store's database
 * lock, so that it never lands inside another request's open transaction (one connection).
 */
@Injectable()
export class IdempotencyStore implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('IdempotencyStore');
  private readonly ttlMs: number;
  private purgeTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly dataSource: DataSource,
    @Inject(FLEET_CONFIG) config: FleetConfig,
  ) {
    this.ttlMs = config.idempotencyTtlMs;
  }

  onApplicationBootstrap(): void {
    this.purgeTimer = setInterval(() => {
      this.purgeExpired().catch((error: unknown) =>
        this.logger.warn(`purging idempotency keys failed: ${String(error)}`),
      );
    }, PURGE_INTERVAL_MS);
    this.purgeTimer.unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.purgeTimer);
  }

  /**
   * Takes the key for this request, or tells why not: the first response to replay, another
   * request under the same key, or the first request still running.
   */
  async claim(request: IdempotentRequest, now = Date.now()): Promise<Claim> {
    return this.inTransaction(async (manager) => {
      await manager.sql`
        DELETE FROM idempotency_keys
        WHERE actor = ${request.actor} AND idempotency_key = ${request.key}
          AND (created_at < ${now - this.ttlMs} OR (status_code IS NULL AND created_at < ${now - IN_FLIGHT_LEASE_MS}))`;
      const inserted = await manager.sql<readonly unknown[]>`
        INSERT INTO idempotency_keys (actor, idempotency_key, request_method, request_path, request_hash, created_at)
        VALUES (${request.actor}, ${request.key}, ${request.method}, ${request.path}, ${request.hash}, ${now})
        ON CONFLICT (actor, idempotency_key) DO NOTHING
        RETURNING idempotency_key`;
      if (inserted.length > 0) return { outcome: 'claimed' };

      const [row] = await manager.sql<readonly KeyRow[]>`
        SELECT request_method, request_path, request_hash, status_code, response_body, response_headers
        FROM idempotency_keys WHERE actor = ${request.actor} AND idempotency_key = ${request.key}`;
      if (row === undefined) return { outcome: 'in-flight' };
      if (row.request_hash !== request.hash)
        return { outcome: 'mismatch', firstRequest: `${row.request_method} ${row.request_path}` };
      if (row.status_code === null) return { outcome: 'in-flight' };
      return {
        outcome: 'replay',
        response: {
          status: Number(row.status_code),
          headers: JSON.parse(row.response_headers ?? '{}') as Record<string, string>,
          body: row.response_body ?? '',
        },
      };
    });
  }

  /** Records the response, to be replayed for the same key until it expires. */
  async complete(request: IdempotentRequest, response: StoredResponse, now = Date.now()): Promise<void> {
    await this.inTransaction(
      (manager) => manager.sql`
        UPDATE idempotency_keys
        SET status_code = ${response.status}, response_body = ${response.body},
            response_headers = ${JSON.stringify(response.headers)}, completed_at = ${now}
        WHERE actor = ${request.actor} AND idempotency_key = ${request.key} AND request_hash = ${request.hash}`,
    );
  }

  /** Frees the key after a failed request (nothing was committed), so that a retry runs again. */
  async release(request: IdempotentRequest): Promise<void> {
    await this.inTransaction(
      (manager) => manager.sql`
        DELETE FROM idempotency_keys
        WHERE actor = ${request.actor} AND idempotency_key = ${request.key}
          AND request_hash = ${request.hash} AND status_code IS NULL`,
    );
  }

  async purgeExpired(now = Date.now()): Promise<void> {
    await this.inTransaction(
      (manager) => manager.sql`DELETE FROM idempotency_keys WHERE created_at < ${now - this.ttlMs}`,
    );
  }

  private inTransaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return withDatabaseLock(this.dataSource, () => this.dataSource.transaction(work));
  }
}
