import { Client } from 'pg';

export const DEFAULT_POSTGRES_URL = 'postgres://postgres@127.0.0.1:5432/test';

/** Where the bench's PostgreSQL rows run: TEST_DATABASE_URL, else the local default when it answers. */
export async function postgresTarget(env: NodeJS.ProcessEnv): Promise<{ url: string; serverVersion: string } | { skipped: string }> {
  const url = env.TEST_DATABASE_URL || DEFAULT_POSTGRES_URL;
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 3_000 });
  try {
    await client.connect();
    const version = await client.query<{ server_version: string }>('SHOW server_version');
    return { url, serverVersion: version.rows[0]?.server_version ?? 'unknown' };
  } catch (err) {
    const where = env.TEST_DATABASE_URL ? 'TEST_DATABASE_URL' : DEFAULT_POSTGRES_URL;
    return { skipped: `PostgreSQL unreachable at ${where}: ${err instanceof Error ? err.message : String(err)}` };
  } finally {
    await client.end().catch(() => undefined);
  }
}
