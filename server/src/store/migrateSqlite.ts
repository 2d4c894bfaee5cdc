import type Database from 'better-sqlite3';
import { migrations, pendingMigrations, type Migration } from './migrations';

/**
 * Applies the pending migrations in one IMMEDIATE transaction (the write lock is taken up front,
 * so two processes opening the same file serialise instead of both seeing "nothing applied").
 * Returns the versions it applied; re-opening applies none.
 */
export function migrateSqlite(db: Database.Database, list: readonly Migration[] = migrations): number[] {
  const migrate = db.transaction((): number[] => {
    db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version INTEGER PRIMARY KEY,
      name TEXT NOT NULL,
      applied_at INTEGER NOT NULL
    ) STRICT`);
    const applied = db.prepare('SELECT version FROM schema_migrations').pluck().all() as number[];
    // The database's clock: this is bookkeeping, not data the caller's clock should decide.
    const record = db.prepare(
      "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, CAST(unixepoch('subsec') * 1000 AS INTEGER))",
    );
    const pending = pendingMigrations(applied, list);
    for (const m of pending) {
      db.exec(m.sqlite);
      record.run(m.version, m.name);
    }
    return pending.map((m) => m.version);
  });
  return migrate.immediate();
}
