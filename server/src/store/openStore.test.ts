import { isPostgresUrl } from './isPostgresUrl';
import { openStore } from './openStore';

describe('openStore', () => {
  it('recognises both PostgreSQL URL schemes and nothing else', () => {
    expect(isPostgresUrl('postgres://u@127.0.0.1:5432/db')).toBe(true);
    expect(isPostgresUrl('postgresql://u@127.0.0.1/db')).toBe(true);
    expect(isPostgresUrl(undefined)).toBe(false);
    expect(isPostgresUrl('')).toBe(false);
    expect(isPostgresUrl('mysql://u@h/db')).toBe(false);
    expect(isPostgresUrl('data/postgres://x')).toBe(false);
    // Schemes are case-insensitive: the configuration accepts what the store opens.
    expect(isPostgresUrl('POSTGRES://u@h/db')).toBe(true);
    expect(isPostgresUrl('postgres:/u@h/db')).toBe(false);
  });

  it('opens SQLite when no database URL is given', async () => {
    for (const databaseUrl of [undefined, '']) {
      const store = await openStore({ databaseUrl, sqlitePath: ':memory:' });
      expect(store.kind).toBe('sqlite');
      await expect(store.ping()).resolves.toBeUndefined();
      await store.close();
    }
  });

  it('refuses an unrecognised URL instead of falling back to SQLite, without echoing credentials', async () => {
    const err = openStore({ databaseUrl: 'postgress://user:secret@db/album', sqlitePath: ':memory:' });
    await expect(err).rejects.toThrow(/postgres:\/\/ or postgresql:\/\//);
    await expect(err).rejects.not.toThrow(/secret/);
    // A URL without a scheme starts with what may be a user name: nothing of it is echoed.
    await expect(openStore({ databaseUrl: 'app:S3cret@db/album', sqlitePath: ':memory:' })).rejects.not.toThrow(/app|S3cret/);
  });
});
