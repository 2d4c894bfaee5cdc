import { openPostgresStore } from './postgresStore';
import { openSqliteStore } from './sqliteStore';
import type { Store } from './Store';

export interface OpenStoreConfig {
  /** `postgres://…` or `postgresql://…` selects PostgreSQL; unset or empty selects SQLite. */
  databaseUrl?: string;
  sqlitePath: string;
}

export function isPostgresUrl(url: string | undefined): boolean {
  return url !== undefined && /^postgres(ql)?:\/\//i.test(url);
}

/**
 * Any other non-empty URL is refused rather than quietly falling back to SQLite: a mistyped
 * DATABASE_URL on a scaled-out deployment would otherwise give each instance its own database.
 */
export function openStore({ databaseUrl, sqlitePath }: OpenStoreConfig): Promise<Store> {
  if (!databaseUrl) return openSqliteStore(sqlitePath);
  if (isPostgresUrl(databaseUrl)) return openPostgresStore(databaseUrl);
  // Only the scheme is echoed: the rest may hold a password.
  const scheme = databaseUrl.split(':')[0];
  return Promise.reject(new Error(`DATABASE_URL must start with postgres:// or postgresql:// (got "${scheme}:…")`));
}
