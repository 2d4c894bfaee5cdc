import type { ClientBase } from 'pg';
import { migrations, pendingMigrations, type Migration } from './migrations';

/** Every API instance takes this lock before looking at schema_migrations. */
const LOCK_NAME = 'family-album:schema_migrations';

/** Schema names are interpolated into SQL and into the `-c search_path=` startup option. */
export function assertSchemaName(schema: string): void {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) {
    throw new Error(`invalid PostgreSQL schema name "${schema}": use lower-case letters, digits and _`);
  }
}

/**
 * Applies the pending migrations. Must run inside a transaction on `client`: the advisory lock is
 * transaction-scoped, so several instances starting together queue here and the later ones find
 * everything applied. The lock is taken first, before any read, so each later statement's snapshot
 * sees what the previous holder committed.
 */
export async function migratePostgres(
  client: ClientBase,
  schema?: string,
  list: readonly Migration[] = migrations,
): Promise<number[]> {
  await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [LOCK_NAME]);
  if (schema !== undefined) {
    assertSchemaName(schema);
    await client.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
  }
  await client.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    applied_at TIMESTAMPTZ NOT NULL DEFAULT now()
  )`);
  const { rows } = await client.query<{ version: number }>('SELECT version FROM schema_migrations');
  const pending = pendingMigrations(
    rows.map((r) => r.version),
    list,
  );
  for (const m of pending) {
    await client.query(m.postgres);
    await client.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [m.version, m.name]);
  }
  return pending.map((m) => m.version);
}
