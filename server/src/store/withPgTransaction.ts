import type { Pool, PoolClient } from 'pg';

/**
 * PostgreSQL aborted the transaction only because of another one: a deadlock (40P01) or a
 * serialization failure (40001). Running it again from BEGIN is the documented remedy
 * (https://www.postgresql.org/docs/current/mvcc-serialization-failure-handling.html).
 */
function isRetryableConflict(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === '40P01' || code === '40001';
}

export interface PgRetryOptions {
  /** Runs in all, the first included. */
  attempts?: number;
  /** The first backoff; each next one doubles, and each wait is a random part of it (full jitter). */
  baseDelayMs?: number;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Runs `work` between BEGIN and COMMIT on one pooled client; any error rolls back and rethrows.
 * A client whose ROLLBACK fails is in an unknown state, so it is destroyed rather than reused.
 * A deadlock or serialization failure reruns the whole transaction after a short random wait, a
 * bounded number of times: `work` must therefore do nothing but SQL on the client it is given.
 */
export async function withPgTransaction<T>(pool: Pool, work: (client: PoolClient) => Promise<T>, options: PgRetryOptions = {}): Promise<T> {
  const { attempts = 5, baseDelayMs = 20, sleep = defaultSleep, random = Math.random } = options;
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await runOnce(pool, work);
    } catch (err) {
      if (attempt >= attempts || !isRetryableConflict(err)) throw err;
      await sleep(random() * baseDelayMs * 2 ** (attempt - 1));
    }
  }
}

async function runOnce<T>(pool: Pool, work: (client: PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (err) {
    try {
      await client.query('ROLLBACK');
    } catch (rollbackErr) {
      broken = rollbackErr instanceof Error ? rollbackErr : new Error(String(rollbackErr));
    }
    throw err;
  } finally {
    client.release(broken);
  }
}
