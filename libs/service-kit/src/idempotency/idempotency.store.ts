import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import { isCancelledWait, withDatabaseLock } from '@fleet/event-sourcing';
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
  readonly status_code: number | string;
  readonly response_body: string;
  readonly response_headers: string;
}

const PURGE_INTERVAL_MS = 15 * 60_000;

/**
 * The `idempotency_keys` table. A key is claimed and its answer recorded in the transaction of the
 * command it guards (see `IdempotencyInterceptor`), so a row exists exactly when the command
 * committed: a retry after any failure either finds the answer or runs the command again, never
 * twice. A retry while the first request runs waits on the first one's row (PostgreSQL's unique
 * index; SQLite's single writer) and then replays it.
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
   * In the command's transaction: takes the key for this request, or tells why not: the first
   * response to replay, another request under the same key, or (PostgreSQL) a first request that
   * still holds the key after the statement timeout.
   */
  async claim(manager: EntityManager, request: IdempotentRequest, now = Date.now()): Promise<Claim> {
    try {
      await manager.sql`
        DELETE FROM idempotency_keys
        WHERE actor = ${request.actor} AND idempotency_key = ${request.key} AND created_at < ${now - this.ttlMs}`;
      const inserted = await manager.sql<readonly unknown[]>`
        INSERT INTO idempotency_keys (actor, idempotency_key, request_method, request_path, request_hash, created_at)
        VALUES (${request.actor}, ${request.key}, ${request.method}, ${request.path}, ${request.hash}, ${now})
        ON CONFLICT (actor, idempotency_key) DO NOTHING
        RETURNING idempotency_key`;
      if (inserted.length > 0) return { outcome: 'claimed' };
    } catch (error) {
      if (isCancelledWait(error)) return { outcome: 'in-flight' };
      throw error;
    }
    const [row] = await manager.sql<readonly KeyRow[]>`
      SELECT request_method, request_path, request_hash, status_code, response_body, response_headers
      FROM idempotency_keys WHERE actor = ${request.actor} AND idempotency_key = ${request.key}`;
    if (row === undefined) return { outcome: 'in-flight' };
    if (row.request_hash !== request.hash)
      return { outcome: 'mismatch', firstRequest: `${row.request_method} ${row.request_path}` };
    return {
      outcome: 'replay',
      response: {
        status: Number(row.status_code),
        headers: JSON.parse(row.response_headers) as Record<string, string>,
        body: row.response_body,
      },
    };
  }

  /** In the command's transaction: the answer, replayed for the same key until it expires. */
  async complete(
    manager: EntityManager,
    request: IdempotentRequest,
    response: StoredResponse,
    now = Date.now(),
  ): Promise<void> {
    await manager.sql`
      UPDATE idempotency_keys
      SET status_code = ${response.status}, response_body = ${response.body},
          response_headers = ${JSON.stringify(response.headers)}, completed_at = ${now}
      WHERE actor = ${request.actor} AND idempotency_key = ${request.key}`;
  }

  async purgeExpired(now = Date.now()): Promise<void> {
    await withDatabaseLock(this.dataSource, () =>
      this.dataSource.transaction(
        (manager) => manager.sql`DELETE FROM idempotency_keys WHERE created_at < ${now - this.ttlMs}`,
      ),
    );
  }
}
