import pg from 'pg';

/** A transaction left open in a session of its own (see `openBlockingTransaction`). */
export interface BlockingTransaction {
  /** Its transaction id, decimal. */
  readonly transactionId: string;
  /** Its server process. */
  readonly pid: number;
  /** Ends it (a rollback) and closes its session; the feeds it held back move on. */
  end(): Promise<void>;
}

/**
 * Opens a transaction that takes a transaction id and then sits idle, as a forgotten `BEGIN` in a
 * psql session would: every event feed of the cluster holds back the events committed after it
 * until `end()`. Keep it short: other test processes share the cluster.
 */
export async function openBlockingTransaction(
  url: string,
  options: { applicationName?: string } = {},
): Promise<BlockingTransaction> {
  const client = new pg.Client({ connectionString: url, application_name: options.applicationName });
  await client.connect();
  try {
    await client.query('BEGIN');
    const { rows } = await client.query<{ transaction_id: string; pid: number }>(
      'SELECT pg_current_xact_id()::text AS transaction_id, pg_backend_pid() AS pid',
    );
    let ended = false;
    return {
      transactionId: rows[0].transaction_id,
      pid: rows[0].pid,
      async end() {
        if (ended) return;
        ended = true;
        try {
          await client.query('ROLLBACK');
        } finally {
          await client.end();
        }
      },
    };
  } catch (error) {
    await client.end();
    throw error;
  }
}
