import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { Client } from 'pg';
import { migratePostgres } from '../../server/src/store/migratePostgres';
import { migrateSqlite } from '../../server/src/store/migrateSqlite';
import { migrations } from '../../server/src/store/migrations';
import { openPostgresStore } from '../../server/src/store/postgresStore';
import { openSqliteStore } from '../../server/src/store/sqliteStore';
import type { Store } from '../../server/src/store/Store';

/**
 * The store's side of family sharing on both dialects, with raw SQL where the API has no way in:
 * a database left at schema version 1, and a family with two owners.
 */
interface Target {
  /** Runs one statement on the raw database (`?` placeholders; rewritten to `$n` for PostgreSQL). */
  sql(text: string, params?: unknown[]): Promise<void>;
  /** Creates the schema at version 1 only, as a database from before this change. */
  migrateToV1(): Promise<void>;
  open(): Promise<Store>;
  dispose(): Promise<void>;
}

const sqliteTarget = (): Target => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'store-family-'));
  const file = path.join(dir, 'album.db');
  const raw = (work: (db: Database.Database) => void) => {
    const db = new Database(file);
    try {
      db.pragma('foreign_keys = ON');
      work(db);
    } finally {
      db.close();
    }
  };
  return {
    async sql(text, params = []) {
      raw((db) => db.prepare(text).run(...params));
    },
    async migrateToV1() {
      raw((db) => migrateSqlite(db, migrations.slice(0, 1)));
    },
    open: () => openSqliteStore(file),
    async dispose() {
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
};

const postgresTarget = (url: string): Target => {
  const schema = `store_family_${randomBytes(6).toString('hex')}`;
  const withClient = async (work: (c: Client) => Promise<unknown>) => {
    const client = new Client({ connectionString: url, options: `-c search_path=${schema}` });
    await client.connect();
    try {
      await work(client);
    } finally {
      await client.end();
    }
  };
  let n = 0;
  return {
    sql: (text, params = []) => withClient((c) => c.query(text.replace(/\?/g, () => `$${++n}`), params).finally(() => (n = 0))),
    migrateToV1: () =>
      withClient(async (c) => {
        await c.query('BEGIN');
        await migratePostgres(c, schema, migrations.slice(0, 1));
        await c.query('COMMIT');
      }),
    open: () => openPostgresStore(url, { schema, poolSize: 4 }),
    dispose: () => withClient((c) => c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`)),
  };
};

const pgUrl = process.env.TEST_DATABASE_URL;
const targets: [string, () => Target][] = [['sqlite', sqliteTarget], ...(pgUrl ? [['postgres', () => postgresTarget(pgUrl)] as [string, () => Target]] : [])];
const t0 = new Date('2026-03-01T08:00:00.000Z');
const hash = 'a'.repeat(32);

describe.each(targets)('family sharing in the store (%s)', (_name, makeTarget) => {
  let target: Target;
  let store: Store;

  beforeAll(async () => {
    // A database from before this change, with data in every table the new migration touches.
    target = makeTarget();
    await target.migrateToV1();
    const when = _name === 'sqlite' ? t0.getTime() : t0;
    await target.sql('INSERT INTO users (openid, created_at) VALUES (?, ?)', ['old-owner', when]);
    await target.sql('INSERT INTO users (openid, created_at) VALUES (?, ?)', ['old-member', when]);
    await target.sql('INSERT INTO families (name, created_by, created_at) VALUES (?, 1, ?)', ['老家', when]);
    await target.sql("INSERT INTO family_members (family_id, user_id, role, joined_at) VALUES (1, 1, 'owner', ?)", [when]);
    await target.sql("INSERT INTO family_members (family_id, user_id, role, joined_at) VALUES (1, 2, 'member', ?)", [when]);
    await target.sql('INSERT INTO albums (family_id, name, is_default, created_by, created_at) VALUES (1, ?, ?, 1, ?)', ['家庭相册', _name === 'sqlite' ? 1 : true, when]);
    await target.sql('INSERT INTO objects (family_id, hash, object_key, file_size, created_at) VALUES (1, ?, ?, 10, ?)', [hash, `families/1/${hash}.jpg`, when]);
    await target.sql(
      `INSERT INTO photos (album_id, family_id, hash, object_key, file_name, file_type, file_size, creator_id, upload_time, created_at)
       VALUES (1, 1, ?, ?, 'a.jpg', 'image', 10, 2, ?, ?)`,
      [hash, `families/1/${hash}.jpg`, when, when],
    );
    store = await target.open();
  });
  afterAll(async () => {
    await store?.close();
    await target?.dispose();
  });

  test('the profiles migration upgrades a version-1 database in place and keeps its data', async () => {
    expect(await store.getUser(1)).toEqual({ id: 1, openid: 'old-owner', nickname: null, avatarKey: null, createdAt: t0 });
    expect(await store.findObjects(1, [hash])).toEqual([{ familyId: 1, hash, objectKey: `families/1/${hash}.jpg`, fileSize: 10, deleting: false, createdAt: t0 }]);
    const [listed] = await store.listPhotosWithUploaders(1, { limit: 10 });
    expect(listed).toMatchObject({ hash, creatorId: 2, uploader: { nickname: null, avatarKey: null } });
  });

  test('a row marked deleting without a time (by an instance from before the migration) counts as old: listed and claimed', async () => {
    const other = 'b'.repeat(32);
    const key = `families/1/${other}.jpg`;
    await target.sql('INSERT INTO objects (family_id, hash, object_key, file_size, created_at, deleting) VALUES (1, ?, ?, 10, ?, ?)', [
      other,
      key,
      _name === 'sqlite' ? t0.getTime() : t0,
      _name === 'sqlite' ? 1 : true,
    ]);
    const longAgo = new Date(t0.getTime() - 365 * 24 * 3600 * 1000);
    expect(await store.listDeletingObjects(longAgo, { limit: 10 })).toEqual([key]);
    expect(await store.claimDeletingObject(key, longAgo, t0)).toBe(true);
    expect(await store.listDeletingObjects(t0, { limit: 10 })).toEqual([]);
    expect(await store.listDeletingObjects(new Date(t0.getTime() + 1), { limit: 10 })).toEqual([key]);
    await store.forgetDeletedObject(key);
    expect(await store.findObjects(1, [other])).toEqual([]);
  });

  test('updateProfile changes only the fields given; null clears', async () => {
    expect(await store.updateProfile(2, { nickname: '小红' })).toMatchObject({ nickname: '小红', avatarKey: null });
    expect(await store.updateProfile(2, { avatarKey: 'avatars/2/x.jpg' })).toMatchObject({ nickname: '小红', avatarKey: 'avatars/2/x.jpg' });
    expect(await store.updateProfile(2, {})).toMatchObject({ nickname: '小红', avatarKey: 'avatars/2/x.jpg' });
    expect(await store.updateProfile(2, { nickname: null })).toMatchObject({ nickname: null, avatarKey: 'avatars/2/x.jpg' });
    const [listed] = await store.listPhotosWithUploaders(1, { limit: 10 });
    expect(listed.uploader).toEqual({ nickname: null, avatarKey: 'avatars/2/x.jpg' });
    // The database itself refuses an avatar outside the avatars tree.
    await expect(store.updateProfile(2, { avatarKey: 'families/1/x.jpg' })).rejects.toHaveProperty('message', expect.stringMatching(/check constraint/i));
  });

  test('listMembers: owners first, then by joining; findInvite names the inviter', async () => {
    expect((await store.listMembers(1)).map((m) => [m.userId, m.role])).toEqual([
      [1, 'owner'],
      [2, 'member'],
    ]);
    await store.updateProfile(1, { nickname: '奶奶' });
    await store.createInvite({ codeHash: 'c'.repeat(64), familyId: 1, createdBy: 1, expiresAt: new Date(t0.getTime() + 60_000), maxUses: 2, now: t0 });
    expect(await store.findInvite('c'.repeat(64))).toEqual({
      family: { id: 1, name: '老家', createdAt: t0 },
      inviterNickname: '奶奶',
      expiresAt: new Date(t0.getTime() + 60_000),
      maxUses: 2,
      uses: 0,
    });
    expect(await store.findInvite('d'.repeat(64))).toBeUndefined();
  });

  test('two owners leaving at once: exactly one leaves, the other stays the last owner', async () => {
    for (let run = 0; run < 10; run++) {
      const [a, b] = [await store.upsertUser(`owner-a-${run}`, t0), await store.upsertUser(`owner-b-${run}`, t0)];
      const { family } = await store.createFamily({ name: `f${run}`, ownerId: a.id, defaultAlbumName: 'All', now: t0 });
      await target.sql("INSERT INTO family_members (family_id, user_id, role, joined_at) VALUES (?, ?, 'owner', ?)", [family.id, b.id, _name === 'sqlite' ? t0.getTime() : t0]);
      const outcomes = await Promise.all([store.removeMember(family.id, a.id), store.removeMember(family.id, b.id)]);
      expect(outcomes.sort()).toEqual(['last_owner', 'removed']);
      expect((await store.listMembers(family.id)).map((m) => m.role)).toEqual(['owner']);
    }
    expect(await store.removeMember(1, 999)).toBe('not_member');
    expect(await store.removeMember(999, 1)).toBe('not_member');
  });

  test('renameAlbum renames, and answers undefined for an unknown album', async () => {
    expect(await store.renameAlbum(1, '新名字')).toMatchObject({ id: 1, name: '新名字', createdBy: 1 });
    expect(await store.renameAlbum(999, 'x')).toBeUndefined();
  });
});
