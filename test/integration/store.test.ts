import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { Client } from 'pg';
import { migrations } from '../../server/src/store/migrations';
import { openPostgresStore } from '../../server/src/store/postgresStore';
import { openSqliteStore } from '../../server/src/store/sqliteStore';
import type { NewPhoto, Store, User } from '../../server/src/store/Store';

/**
 * One suite, every Store implementation. SQLite always runs (a temp file in WAL mode);
 * PostgreSQL runs when TEST_DATABASE_URL is set, in a fresh random schema dropped afterwards.
 * When it is set and PostgreSQL is unreachable, beforeAll throws and every test fails.
 */

interface MigrationRow {
  version: number;
  name: string;
  appliedAt: number;
}

/** One empty database: open stores on it, read its bookkeeping, throw it away. */
interface Target {
  open(): Promise<Store>;
  migrationRows(): Promise<MigrationRow[]>;
  dispose(): Promise<void>;
}

interface Dialect {
  name: string;
  setup(): Promise<Target>;
}

const sqlite: Dialect = {
  name: 'sqlite',
  async setup() {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'store-test-'));
    const file = path.join(dir, 'nested', 'album.db'); // openSqliteStore creates the folder
    return {
      open: () => openSqliteStore(file),
      async migrationRows() {
        const db = new Database(file, { readonly: true });
        try {
          const rows = db.prepare('SELECT version, name, applied_at FROM schema_migrations ORDER BY version').all() as Record<string, unknown>[];
          return rows.map((r) => ({ version: Number(r.version), name: String(r.name), appliedAt: Number(r.applied_at) }));
        } finally {
          db.close();
        }
      },
      async dispose() {
        fs.rmSync(dir, { recursive: true, force: true });
      },
    };
  },
};

const pgUrl = process.env.TEST_DATABASE_URL;

const withPgClient = async <T>(url: string, work: (c: Client) => Promise<T>): Promise<T> => {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
};

const postgres = (url: string): Dialect => ({
  name: 'postgres',
  async setup() {
    const schema = `store_test_${randomBytes(6).toString('hex')}`;
    return {
      open: () => openPostgresStore(url, { schema, poolSize: 8 }),
      migrationRows: () =>
        withPgClient(url, async (c) => {
          const { rows } = await c.query(`SELECT version, name, applied_at FROM ${schema}.schema_migrations ORDER BY version`);
          return rows.map((r) => ({ version: Number(r.version), name: String(r.name), appliedAt: (r.applied_at as Date).getTime() }));
        }),
      dispose: () =>
        withPgClient(url, async (c) => {
          await c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
        }),
    };
  },
});

const t0 = new Date('2025-03-01T08:00:00.000Z');
const at = (ms: number): Date => new Date(t0.getTime() + ms);
const md5 = (text: string): string => createHash('md5').update(text).digest('hex');

function storeSuite(dialect: Dialect): void {
  let target: Target;
  let store: Store;
  let serial = 0;
  const next = () => ++serial;

  beforeAll(async () => {
    target = await dialect.setup();
    store = await target.open();
  });
  afterAll(async () => {
    await store?.close();
    await target?.dispose();
  });

  const newUser = (): Promise<User> => store.upsertUser(`openid-${next()}`, t0);
  const newFamily = async (owner?: User) => {
    const user = owner ?? (await newUser());
    const { family, album } = await store.createFamily({ name: `family ${next()}`, ownerId: user.id, defaultAlbumName: 'All', now: t0 });
    return { user, family, album };
  };
  const photo = (albumId: number, familyId: number, creatorId: number, seed: string, extra: Partial<NewPhoto> = {}): NewPhoto => {
    const hash = md5(seed);
    return {
      albumId,
      hash,
      objectKey: `families/${familyId}/${hash}.jpg`,
      fileName: `${seed}.jpg`,
      fileType: 'image',
      fileSize: 1000 + seed.length,
      creatorId,
      uploadTime: at(-60_000),
      ...extra,
    };
  };
  const invite = async (familyId: number, createdBy: number, maxUses: number, expiresAt = at(3_600_000)) => {
    const codeHash = md5(`invite-${next()}`);
    await store.createInvite({ codeHash, familyId, createdBy, expiresAt, maxUses, now: t0 });
    return codeHash;
  };

  describe('migrations', () => {
    it('are recorded once each, and re-opening applies nothing and keeps the data', async () => {
      const expected = migrations.map(({ version, name }) => ({ version, name }));
      const before = await target.migrationRows();
      expect(before.map(({ version, name }) => ({ version, name }))).toEqual(expected);

      const user = await newUser();
      const again = await target.open();
      try {
        expect(again.kind).toBe(dialect.name);
        expect((await again.upsertUser(user.openid, at(1000))).id).toBe(user.id);
      } finally {
        await again.close();
      }
      expect(await target.migrationRows()).toEqual(before);
    });

    it('survive several instances opening a new database at once', async () => {
      const fresh = await dialect.setup();
      try {
        const stores = await Promise.all([fresh.open(), fresh.open(), fresh.open(), fresh.open()]);
        await Promise.all(stores.map((s) => s.ping()));
        await Promise.all(stores.map((s) => s.close()));
        expect((await fresh.migrationRows()).map((r) => r.version)).toEqual(migrations.map((m) => m.version));
      } finally {
        await fresh.dispose();
      }
    });
  });

  it('answers ping and names its kind', async () => {
    expect(store.kind).toBe(dialect.name);
    await expect(store.ping()).resolves.toBeUndefined();
  });

  it('upsertUser creates a user once and returns the same one after', async () => {
    const first = await store.upsertUser('openid-upsert', t0);
    const second = await store.upsertUser('openid-upsert', at(5000));
    expect(first.id).toEqual(expect.any(Number));
    expect(second).toEqual(first);
    expect(second.createdAt.getTime()).toBe(t0.getTime());
    expect((await store.upsertUser('openid-other', t0)).id).not.toBe(first.id);
  });

  it('finds a session before expiry, not at or after it, and not once deleted', async () => {
    const user = await newUser();
    const expiresAt = at(60_000);
    await store.createSession({ tokenHash: 'tok-live', userId: user.id, expiresAt, now: t0 });
    expect(await store.findSession('tok-live', at(59_999))).toEqual({ userId: user.id, openid: user.openid, expiresAt });
    expect(await store.findSession('tok-live', expiresAt)).toBeUndefined();
    expect(await store.findSession('tok-live', at(60_001))).toBeUndefined();
    expect(await store.findSession('tok-unknown', t0)).toBeUndefined();
    await store.deleteSession('tok-live');
    expect(await store.findSession('tok-live', t0)).toBeUndefined();
  });

  describe('families and albums', () => {
    it('createFamily makes the creator owner and adds a default album', async () => {
      const { user, family, album } = await newFamily();
      expect(family).toEqual({ id: expect.any(Number), name: expect.stringMatching(/^family /), createdAt: t0 });
      expect(album).toEqual({ id: expect.any(Number), familyId: family.id, name: 'All', isDefault: true, createdBy: user.id, createdAt: t0 });
      expect(await store.getRole(family.id, user.id)).toBe('owner');
      expect(await store.listAlbums(family.id)).toEqual([album]);
    });

    it('listFamilies lists only the caller\'s families, with the role', async () => {
      const me = await newUser();
      const mine1 = await newFamily(me);
      const mine2 = await newFamily(me);
      await newFamily(); // someone else's
      const listed = await store.listFamilies(me.id);
      expect(listed).toEqual([
        { ...mine1.family, role: 'owner' },
        { ...mine2.family, role: 'owner' },
      ]);
      expect(await store.listFamilies((await newUser()).id)).toEqual([]);
    });

    it('getRole is undefined for non-members and unknown ids', async () => {
      const { family } = await newFamily();
      const stranger = await newUser();
      expect(await store.getRole(family.id, stranger.id)).toBeUndefined();
      expect(await store.getRole(987654321, stranger.id)).toBeUndefined();
      expect(await store.getRole(family.id, 987654321)).toBeUndefined();
    });

    it('createAlbum adds a non-default album; findAlbumForMember hides albums from non-members', async () => {
      const { user, family, album } = await newFamily();
      const trips = await store.createAlbum({ familyId: family.id, name: 'Trips', createdBy: user.id, now: at(1000) });
      expect(trips).toEqual({ id: expect.any(Number), familyId: family.id, name: 'Trips', isDefault: false, createdBy: user.id, createdAt: at(1000) });
      expect(await store.listAlbums(family.id)).toEqual([album, trips]);
      expect(await store.findAlbumForMember(trips.id, user.id)).toEqual(trips);
      const stranger = await newUser();
      expect(await store.findAlbumForMember(trips.id, stranger.id)).toBeUndefined();
      expect(await store.findAlbumForMember(987654321, user.id)).toBeUndefined();
    });
  });

  describe('invites', () => {
    it('a single-use code admits one newcomer, then is used up', async () => {
      const { user: owner, family } = await newFamily();
      const code = await invite(family.id, owner.id, 1);
      const [a, b] = [await newUser(), await newUser()];
      expect(await store.redeemInvite({ codeHash: code, userId: a.id, now: at(1000) })).toEqual({ ok: true, family, alreadyMember: false });
      expect(await store.getRole(family.id, a.id)).toBe('member');
      expect(await store.redeemInvite({ codeHash: code, userId: b.id, now: at(2000) })).toEqual({ ok: false, reason: 'used_up' });
      expect(await store.getRole(family.id, b.id)).toBeUndefined();
      // The one who joined may retry (a lost response) and still succeeds.
      expect(await store.redeemInvite({ codeHash: code, userId: a.id, now: at(3000) })).toEqual({ ok: true, family, alreadyMember: true });
    });

    it('an existing member redeeming does not spend a use', async () => {
      const { user: owner, family } = await newFamily();
      const code = await invite(family.id, owner.id, 1);
      expect(await store.redeemInvite({ codeHash: code, userId: owner.id, now: at(1000) })).toEqual({ ok: true, family, alreadyMember: true });
      expect(await store.getRole(family.id, owner.id)).toBe('owner');
      const newcomer = await newUser();
      expect(await store.redeemInvite({ codeHash: code, userId: newcomer.id, now: at(2000) })).toMatchObject({ ok: true, alreadyMember: false });
    });

    it('fails for an expired code (at expiry) and an unknown one', async () => {
      const { user: owner, family } = await newFamily();
      const code = await invite(family.id, owner.id, 5, at(60_000));
      const user = await newUser();
      expect(await store.redeemInvite({ codeHash: code, userId: user.id, now: at(60_000) })).toEqual({ ok: false, reason: 'expired' });
      expect(await store.getRole(family.id, user.id)).toBeUndefined();
      expect(await store.redeemInvite({ codeHash: md5('no such code'), userId: user.id, now: t0 })).toEqual({ ok: false, reason: 'not_found' });
    });

    it('max_uses 3 admits exactly three', async () => {
      const { user: owner, family } = await newFamily();
      const code = await invite(family.id, owner.id, 3);
      const results = [];
      for (let i = 0; i < 4; i++) {
        const user = await newUser();
        results.push(await store.redeemInvite({ codeHash: code, userId: user.id, now: at(1000) }));
      }
      expect(results.map((r) => (r.ok ? 'ok' : r.reason))).toEqual(['ok', 'ok', 'ok', 'used_up']);
    });

    it('five concurrent redemptions of a single-use code admit exactly one', async () => {
      const { user: owner, family } = await newFamily();
      const code = await invite(family.id, owner.id, 1);
      const users = await Promise.all(Array.from({ length: 5 }, () => newUser()));
      const results = await Promise.all(users.map((u) => store.redeemInvite({ codeHash: code, userId: u.id, now: at(1000) })));
      expect(results.filter((r) => r.ok)).toEqual([{ ok: true, family, alreadyMember: false }]);
      expect(results.filter((r) => !r.ok)).toEqual(Array(4).fill({ ok: false, reason: 'used_up' }));
      const roles = await Promise.all(users.map((u) => store.getRole(family.id, u.id)));
      expect(roles.filter((r) => r === 'member')).toHaveLength(1);
      expect(roles.filter((r) => r === undefined)).toHaveLength(4);
    });
  });

  describe('objects and photos', () => {
    it('insertPhotos records new objects and photos, in input order', async () => {
      const { user, family, album } = await newFamily();
      const inputs = [photo(album.id, family.id, user.id, 'b'), photo(album.id, family.id, user.id, 'a')];
      const committed = await store.insertPhotos(family.id, inputs, t0);
      expect(committed).toEqual(
        inputs.map((p) => ({ ...p, id: expect.any(Number), familyId: family.id, createdAt: t0 })),
      );
      expect(committed[1].id).toBeGreaterThan(committed[0].id);
      const objects = await store.findObjects(family.id, [md5('a'), md5('b')]);
      expect(objects).toHaveLength(2);
      expect(objects).toEqual(
        expect.arrayContaining([
          { familyId: family.id, hash: md5('a'), objectKey: inputs[1].objectKey, fileSize: inputs[1].fileSize, deleting: false, createdAt: t0 },
        ]),
      );
    });

    it('a repeated commit returns the same photos and adds no rows', async () => {
      const { user, family, album } = await newFamily();
      const inputs = [photo(album.id, family.id, user.id, 'x'), photo(album.id, family.id, user.id, 'y')];
      const first = await store.insertPhotos(family.id, inputs, t0);
      const fresh = photo(album.id, family.id, user.id, 'z');
      const second = await store.insertPhotos(family.id, [inputs[1], fresh, inputs[0], inputs[1]], at(5000));
      expect(second[0]).toEqual(first[1]);
      expect(second[2]).toEqual(first[0]);
      expect(second[3]).toEqual(first[1]);
      expect(second[1]).toMatchObject({ hash: fresh.hash, createdAt: at(5000) });
      expect(await store.listPhotos(album.id, { limit: 100 })).toHaveLength(3);
      const objects = await store.findObjects(family.id, inputs.map((p) => p.hash));
      expect(objects.map((o) => o.createdAt)).toEqual([t0, t0]);
    });

    it('the same bytes in two albums are two photos over one object', async () => {
      const { user, family, album } = await newFamily();
      const other = await store.createAlbum({ familyId: family.id, name: 'Other', createdBy: user.id, now: t0 });
      const [p1, p2] = await store.insertPhotos(
        family.id,
        [photo(album.id, family.id, user.id, 'same'), photo(other.id, family.id, user.id, 'same')],
        t0,
      );
      expect(p1.id).not.toBe(p2.id);
      expect([p1.albumId, p2.albumId]).toEqual([album.id, other.id]);
      expect(await store.findObjects(family.id, [md5('same')])).toHaveLength(1);
    });

    it('a failing item rolls back the whole batch', async () => {
      const { user, family, album } = await newFamily();
      const { album: foreignAlbum } = await newFamily();
      const good = photo(album.id, family.id, user.id, 'rollback-good');
      for (const bad of [
        photo(987654321, family.id, user.id, 'rollback-unknown-album'),
        photo(foreignAlbum.id, family.id, user.id, 'rollback-foreign-album'), // album of another family
      ]) {
        // Not toThrow(): better-sqlite3's native errors may come from another Jest realm's Error class.
        await expect(store.insertPhotos(family.id, [good, bad], t0)).rejects.toHaveProperty('code');
        expect(await store.findObjects(family.id, [good.hash, bad.hash])).toEqual([]);
        expect(await store.listPhotos(album.id, { limit: 10 })).toEqual([]);
      }
      expect(await store.listPhotos(foreignAlbum.id, { limit: 10 })).toEqual([]);
    });

    it('findObjects answers only for the caller\'s family, also for 1,000 hashes', async () => {
      const a = await newFamily();
      const b = await newFamily();
      const shared = photo(a.album.id, a.family.id, a.user.id, 'family-a');
      await store.insertPhotos(a.family.id, [shared], t0);
      expect(await store.findObjects(b.family.id, [shared.hash])).toEqual([]);
      expect(await store.findObjects(a.family.id, [])).toEqual([]);

      const known = ['k1', 'k2', 'k3'].map((s) => photo(a.album.id, a.family.id, a.user.id, s));
      await store.insertPhotos(a.family.id, known, t0);
      const hashes = Array.from({ length: 997 }, (_, i) => md5(`unknown-${i}`)).concat(known.map((p) => p.hash));
      expect(hashes).toHaveLength(1000);
      const found = await store.findObjects(a.family.id, hashes);
      expect(found.map((o) => o.hash).sort()).toEqual(known.map((p) => p.hash).sort());
    });

    it('a 5 GB file size and the upload time round-trip exactly', async () => {
      const { user, family, album } = await newFamily();
      const big = photo(album.id, family.id, user.id, 'video', { fileSize: 5e9, fileType: 'video', uploadTime: at(-1234) });
      const [committed] = await store.insertPhotos(family.id, [big], t0);
      expect(committed.fileSize).toBe(5e9);
      const [listed] = await store.listPhotos(album.id, { limit: 1 });
      expect(listed).toEqual(committed);
      expect(listed.uploadTime.getTime()).toBe(at(-1234).getTime());
      expect((await store.findObjects(family.id, [big.hash]))[0].fileSize).toBe(5e9);
    });

    it('listDeletingObjects pages the rows marked deleting before a time; claimDeletingObject takes one over once', async () => {
      const { user, family, album } = await newFamily();
      const photos = await store.insertPhotos(family.id, ['del-1', 'del-2', 'del-3', 'kept'].map((seed) => photo(album.id, family.id, user.id, seed)), t0);
      const deleted = photos.slice(0, 3);
      // Marked one minute apart, as three requests that each died after the store's transaction.
      for (const [i, p] of deleted.entries()) expect(await store.deletePhoto(p.id, at((i + 1) * 60_000))).toEqual({ deleted: true, orphanedObjectKey: p.objectKey });
      const keyOf = (i: number) => deleted[i].objectKey;
      const all = [0, 1, 2].map(keyOf).sort();
      const mine = (keys: string[]) => keys.filter((k) => k.startsWith(`families/${family.id}/`));
      const listed = async (before: Date) => mine(await store.listDeletingObjects(before, { limit: 100 }));

      expect(await listed(at(60_000))).toEqual([]);
      expect(await listed(at(60_001))).toEqual([keyOf(0)]);
      expect(await listed(at(3_600_000))).toEqual(all);
      const first = await store.listDeletingObjects(at(3_600_000), { limit: 2 });
      const rest = await store.listDeletingObjects(at(3_600_000), { afterKey: first[first.length - 1], limit: 100 });
      expect(first).toHaveLength(2);
      expect(mine([...first, ...rest])).toEqual(all);

      // One sweeper wins: the mark moves to its time, and the same cutoff no longer finds the row.
      expect(await store.claimDeletingObject(keyOf(1), at(3_600_000), at(7_200_000))).toBe(true);
      expect(await store.claimDeletingObject(keyOf(1), at(3_600_000), at(7_200_000))).toBe(false);
      expect(await listed(at(3_600_000))).toEqual(all.filter((k) => k !== keyOf(1)));
      expect(await listed(at(7_200_001))).toEqual(all);
      expect((await store.findObjects(family.id, [deleted[1].hash]))[0]).toMatchObject({ deleting: true });
      // Rows not marked deleting are never listed nor claimed.
      expect(await store.claimDeletingObject(photos[3].objectKey, at(3_600_000), at(7_200_000))).toBe(false);
      expect(await store.claimDeletingObject(`families/${family.id}/${md5('no such object')}.jpg`, at(3_600_000), at(7_200_000))).toBe(false);

      for (const key of all) await store.forgetDeletedObject(key);
      expect(await listed(at(1e13))).toEqual([]);
      expect(await store.findObjects(family.id, photos.map((p) => p.hash))).toEqual([expect.objectContaining({ hash: photos[3].hash, deleting: false })]);
    });

    it('listPhotos pages newest first with a beforeId cursor', async () => {
      const { user, family, album } = await newFamily();
      const other = await store.createAlbum({ familyId: family.id, name: 'Other', createdBy: user.id, now: t0 });
      const committed = await store.insertPhotos(
        family.id,
        Array.from({ length: 25 }, (_, i) => photo(album.id, family.id, user.id, `page-${i}`)),
        t0,
      );
      await store.insertPhotos(family.id, [photo(other.id, family.id, user.id, 'elsewhere')], t0);
      const newestFirst = committed.map((p) => p.id).reverse();

      const pages: number[][] = [];
      let beforeId: number | undefined;
      for (;;) {
        const page = await store.listPhotos(album.id, { beforeId, limit: 10 });
        if (page.length === 0) break;
        pages.push(page.map((p) => p.id));
        beforeId = page[page.length - 1].id;
      }
      expect(pages.map((p) => p.length)).toEqual([10, 10, 5]);
      expect(pages.flat()).toEqual(newestFirst);
    });
  });
}

describe.each([sqlite, ...(pgUrl ? [postgres(pgUrl)] : [])])('Store on $name', storeSuite);

if (!pgUrl) {
  describe.skip('postgres (skipped: TEST_DATABASE_URL unset)', () => storeSuite(postgres('postgres://unset')));
}
