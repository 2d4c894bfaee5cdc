import { ApiError } from '../ApiError';
import type { Store } from './Store';

/** The database cannot serve the request now (unreachable, overloaded, read-only, full, locked). */
export class StoreUnavailableError extends ApiError {
  constructor(cause: unknown) {
    super(503, 'store_unavailable', 'the database is not answering; retry shortly', { headers: { 'Retry-After': '1' }, cause });
    this.name = 'StoreUnavailableError';
  }
}

/** PostgreSQL SQLSTATE classes and codes that say "not now" rather than "wrong request". */
const PG_UNAVAILABLE = /^(08|53|57P0[123]|25006|42501)/;
/** SQLite result codes (with their extended forms) for a database we cannot use or write. */
const SQLITE_UNAVAILABLE = /^SQLITE_(BUSY|LOCKED|READONLY|FULL|IOERR|CANTOPEN|PERM)/;
const NETWORK = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'ENOTFOUND', 'EAI_AGAIN', 'EPIPE', 'EHOSTUNREACH']);
/** pg-pool and pg say these in words only. */
const PG_CONNECTION_MESSAGE = /timeout exceeded when trying to connect|Connection terminated/;

function isStoreUnavailable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && (PG_UNAVAILABLE.test(code) || SQLITE_UNAVAILABLE.test(code) || NETWORK.has(code))) return true;
  return PG_CONNECTION_MESSAGE.test(error.message);
}

/**
 * The store with its infrastructure failures typed: the error handler answers them 503 with
 * Retry-After, like OSS and STS outages, instead of a 500 that says "our bug". Everything else
 * (constraint violations, our SQL's mistakes) passes through unchanged.
 */
export function withStoreErrors(store: Store): Store {
  const typed: Record<string, unknown> = { ...store };
  for (const [name, value] of Object.entries(store)) {
    if (typeof value !== 'function') continue;
    typed[name] = async (...args: unknown[]) => {
      try {
        return await (value as (...a: unknown[]) => Promise<unknown>).apply(store, args);
      } catch (error) {
        throw isStoreUnavailable(error) ? new StoreUnavailableError(error) : error;
      }
    };
  }
  return typed as unknown as Store;
}
