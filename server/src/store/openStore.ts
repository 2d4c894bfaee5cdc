import { openPostgresStore } from './postgresStore';
import { openSqliteStore } from './sqliteStore';
import { isPostgresUrl } from './isPostgresUrl';
import type { Store } from './Store';

export interface OpenStoreConfig {
  /** `postgres://…` or `postgresql://…` selects PostgreSQL; unset or empty selects SQLite. */
  databaseUrl?: string;
  sqlitePath: string;
}

/**
 * Any other non-empty URL is refused rather than quietly falling back to SQLite: a mistyped
 * DATABASE_URL on a scaled-out deployment would otherwise give each instance its own database.
 */
export function openStore({ databaseUrl, sqlitePath }: OpenStoreConfig): Promise<Store> {
  if (!databaseUrl) return openSqliteStore(sqlitePath);
  if (isPostgresUrl(databaseUrl)) return openPostgresStore(databaseUrl);
  // Nothing of the URL is echoed: any part of it may hold a password.
  return Promise.reject(new Error('DATABASE_URL must start with postgres:// or postgresql://'));
}
