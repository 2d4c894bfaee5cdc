import Redis from 'ioredis';

/**
 * A Redis client for the shared rate limits, connected before the API serves: a REDIS_URL that
 * does not answer stops startup (one line naming it) rather than silently limiting per instance.
 * No offline queue, as rate-limiter-flexible asks: while the connection is down a limit check
 * fails at once and its in-memory insurance answers, instead of requests waiting on Redis.
 */
export async function connectRedis(url: string, options: { timeoutMs?: number } = {}): Promise<Redis> {
  const client = new Redis(url, { lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 1, connectTimeout: options.timeoutMs ?? 5000 });
  // ioredis reconnects on its own; an unhandled 'error' event would crash the process.
  client.on('error', () => {});
  try {
    await client.connect();
  } catch {
    client.disconnect();
    // The URL may hold a password: name the setting, not the value.
    throw new Error('REDIS_URL: Redis did not answer');
  }
  return client;
}
