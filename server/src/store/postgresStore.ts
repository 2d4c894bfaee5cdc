import { Pool, type PoolClient } from 'pg';
import { assertSchemaName, migratePostgres } from './migratePostgres';
import { createPostgresMultipartUploads } from './postgresMultipartUploads';
import { photoKey, toAlbum, toFamily, toMember, toPhoto, toPhotoWithUploader, toStoredObject, toUser, type Row } from './rowMappers';
import { ObjectGoneError, type InviteRedemption, type MemberRemoval, type PhotoDeletion, type Role, type Store } from './Store';
import { withPgTransaction } from './withPgTransaction';

export interface PostgresStoreOptions {
  /** Use (and create) this schema instead of the default search_path: isolates test runs. */
  schema?: string;
  poolSize?: number;
}

/**
 * PostgreSQL for several stateless API instances. BIGINT comes back from `pg` as a string and is
 * turned into a JS number by the row mappers: ids and byte sizes stay far below 2^53.
 */
export async function openPostgresStore(connectionString: string, options: PostgresStoreOptions = {}): Promise<Store> {
  const { schema, poolSize = 10 } = options;
  if (schema !== undefined) {
    assertSchemaName(schema);
    // pg lets the URL's own `options` override ours, which would silently drop the search_path.
    if (new URL(connectionString).searchParams.has('options')) {
      throw new Error('DATABASE_URL must not set "options" when a schema is given');
    }
  }
  const pool = new Pool({
    connectionString,
    max: poolSize,
    // Fail a request instead of hanging when the database is unreachable or the pool is exhausted.
    connectionTimeoutMillis: 10_000,
    ...(schema !== undefined ? { options: `-c search_path=${schema}` } : {}),
  });
  // An idle client that loses its connection emits 'error' on the pool; unhandled, that would
  // crash the process. The pool already discards the client; the next query reconnects or fails.
  pool.on('error', () => {});
  try {
    await withPgTransaction(pool, (client) => migratePostgres(client, schema));
  } catch (err) {
    await pool.end();
    throw err;
  }
  return createPostgresStore(pool);
}

function createPostgresStore(pool: Pool): Store {
  const rows = async (sql: string, params: unknown[] = [], client: Pool | PoolClient = pool): Promise<Row[]> =>
    (await client.query(sql, params)).rows as Row[];

  return {
    kind: 'postgres',
    multipartUploads: createPostgresMultipartUploads(pool),
    async ping() {
      await pool.query('SELECT 1');
    },
    async probeWrite() {
      // Deletes nothing, yet PostgreSQL checks the transaction is read-write and the DELETE grant.
      await pool.query('DELETE FROM sessions WHERE false');
    },
    async close() {
      await pool.end();
    },

    async upsertUser(openid, now) {
      // Two statements, not one CTE: a CTE's SELECT would not see a row committed concurrently by
      // the insert it conflicted with (same snapshot), and would return nothing.
      await pool.query('INSERT INTO users (openid, created_at) VALUES ($1, $2) ON CONFLICT (openid) DO NOTHING', [openid, now]);
      const [row] = await rows('SELECT * FROM users WHERE openid = $1', [openid]);
      return toUser(row);
    },
    async createSession({ tokenHash, userId, expiresAt, now }) {
      await pool.query('INSERT INTO sessions (token_hash, user_id, expires_at, created_at) VALUES ($1, $2, $3, $4)', [
        tokenHash,
        userId,
        expiresAt,
        now,
      ]);
    },
    async findSession(tokenHash, now) {
      const [row] = await rows(
        `SELECT s.user_id, u.openid, s.expires_at FROM sessions s JOIN users u ON u.id = s.user_id
         WHERE s.token_hash = $1 AND s.expires_at > $2`,
        [tokenHash, now],
      );
      return row && { userId: Number(row.user_id), openid: String(row.openid), expiresAt: row.expires_at as Date };
    },
    async deleteSession(tokenHash) {
      await pool.query('DELETE FROM sessions WHERE token_hash = $1', [tokenHash]);
    },
    async deleteExpiredSessions(now) {
      return (await pool.query('DELETE FROM sessions WHERE expires_at <= $1', [now])).rowCount ?? 0;
    },

    createFamily: ({ name, ownerId, defaultAlbumName, now }) =>
      withPgTransaction(pool, async (c) => {
        const [f] = await rows('INSERT INTO families (name, created_by, created_at) VALUES ($1, $2, $3) RETURNING *', [name, ownerId, now], c);
        const family = toFamily(f);
        await c.query(`INSERT INTO family_members (family_id, user_id, role, joined_at) VALUES ($1, $2, 'owner', $3)`, [family.id, ownerId, now]);
        const [a] = await rows(
          'INSERT INTO albums (family_id, name, is_default, created_by, created_at) VALUES ($1, $2, true, $3, $4) RETURNING *',
          [family.id, defaultAlbumName, ownerId, now],
          c,
        );
        return { family, album: toAlbum(a) };
      }),
    async listFamilies(userId) {
      const found = await rows(
        `SELECT f.*, m.role FROM family_members m JOIN families f ON f.id = m.family_id
         WHERE m.user_id = $1 ORDER BY f.id`,
        [userId],
      );
      return found.map((r) => ({ ...toFamily(r), role: r.role as Role }));
    },
    async getRole(familyId, userId) {
      const [row] = await rows('SELECT role FROM family_members WHERE family_id = $1 AND user_id = $2', [familyId, userId]);
      return row?.role as Role | undefined;
    },

    async createAlbum({ familyId, name, createdBy, now }) {
      const [row] = await rows(
        'INSERT INTO albums (family_id, name, is_default, created_by, created_at) VALUES ($1, $2, false, $3, $4) RETURNING *',
        [familyId, name, createdBy, now],
      );
      return toAlbum(row);
    },
    async listAlbums(familyId) {
      return (await rows('SELECT * FROM albums WHERE family_id = $1 ORDER BY id', [familyId])).map(toAlbum);
    },
    async findAlbumForMember(albumId, userId) {
      const [row] = await rows(
        `SELECT a.* FROM albums a JOIN family_members m ON m.family_id = a.family_id AND m.user_id = $2
         WHERE a.id = $1`,
        [albumId, userId],
      );
      return row && toAlbum(row);
    },

    async createInvite({ codeHash, familyId, createdBy, expiresAt, maxUses, now }) {
      await pool.query(
        `INSERT INTO invites (code_hash, family_id, created_by, expires_at, max_uses, uses, created_at)
         VALUES ($1, $2, $3, $4, $5, 0, $6)`,
        [codeHash, familyId, createdBy, expiresAt, maxUses, now],
      );
    },
    redeemInvite: ({ codeHash, userId, now }) =>
      withPgTransaction(pool, async (c): Promise<InviteRedemption> => {
        // FOR UPDATE queues concurrent redemptions of one code; each sees the uses its
        // predecessor committed, so a single-use code admits exactly one newcomer.
        const [invite] = await rows(
          `SELECT i.expires_at, i.max_uses, i.uses, f.id, f.name, f.created_at
           FROM invites i JOIN families f ON f.id = i.family_id
           WHERE i.code_hash = $1 FOR UPDATE OF i`,
          [codeHash],
          c,
        );
        if (!invite) return { ok: false, reason: 'not_found' };
        const family = toFamily(invite);
        // Checked before expiry and uses so that retrying a join that already succeeded still succeeds.
        const [member] = await rows('SELECT 1 FROM family_members WHERE family_id = $1 AND user_id = $2', [family.id, userId], c);
        if (member) return { ok: true, family, alreadyMember: true };
        if ((invite.expires_at as Date).getTime() <= now.getTime()) return { ok: false, reason: 'expired' };
        if (Number(invite.uses) >= Number(invite.max_uses)) return { ok: false, reason: 'used_up' };
        const added = await c.query(
          `INSERT INTO family_members (family_id, user_id, role, joined_at) VALUES ($1, $2, 'member', $3)
           ON CONFLICT (family_id, user_id) DO NOTHING`,
          [family.id, userId, now],
        );
        // Zero rows: the user joined through another code meanwhile; that costs this code nothing.
        if (added.rowCount === 0) return { ok: true, family, alreadyMember: true };
        await c.query('UPDATE invites SET uses = uses + 1 WHERE code_hash = $1', [codeHash]);
        return { ok: true, family, alreadyMember: false };
      }),

    async findObjects(familyId, hashes) {
      if (hashes.length === 0) return [];
      // Joining the list, not `hash = ANY(...)`: with a large family the planner scans the family's
      // rows for ANY, while the join is one primary-key lookup per hash.
      const found = await rows(
        'SELECT o.* FROM unnest($2::bpchar[]) AS wanted(hash) JOIN objects o ON o.family_id = $1 AND o.hash = wanted.hash ORDER BY o.hash',
        [familyId, hashes],
      );
      return found.map(toStoredObject);
    },
    insertPhotos: (familyId, photos, now) =>
      withPgTransaction(pool, async (c) => {
        if (photos.length === 0) return [];
        // FOR SHARE (in hash order, like every object lock) waits for a photo delete holding an
        // object row FOR UPDATE, then reads what it left. A 秒传 item whose row is gone must not
        // re-create it, and no item may land on a row marked deleting (a fresh upload's HEAD may
        // predate the OSS delete): either would be a photo whose object is about to vanish.
        const hashes = [...new Set(photos.map((p) => p.hash))].sort();
        const held = new Map(
          (
            await rows('SELECT hash, deleting FROM objects WHERE family_id = $1 AND hash = ANY($2::bpchar[]) ORDER BY hash FOR SHARE', [familyId, hashes], c)
          ).map((r) => [String(r.hash), Boolean(r.deleting)]),
        );
        const gone = [...new Set(photos.filter((p) => held.get(p.hash) === true || (p.reusesObject && !held.has(p.hash))).map((p) => p.hash))];
        if (gone.length > 0) throw new ObjectGoneError(gone);
        const col = <K extends keyof (typeof photos)[number]>(k: K) => photos.map((p) => p[k]);
        // Rows are written in one canonical order, objects by hash and photos by (album, hash), so
        // two commits of overlapping hashes wait for each other instead of deadlocking; `ord` breaks
        // ties, so the first of duplicate inputs still wins. No conflict target: with one
        // (family_id, hash), a row a concurrent commit is inserting could be met first in the other
        // unique index (object_key), which ON CONFLICT would then not cover, and the batch would fail.
        await c.query(
          `INSERT INTO objects (family_id, hash, object_key, file_size, created_at)
           SELECT $1, o.hash, o.object_key, o.file_size, $5
           FROM unnest($2::bpchar[], $3::text[], $4::bigint[]) WITH ORDINALITY AS o(hash, object_key, file_size, ord)
           ORDER BY o.hash, o.ord
           ON CONFLICT DO NOTHING`,
          [familyId, col('hash'), col('objectKey'), col('fileSize'), now],
        );
        // Ids are drawn first and handed out in input order, so photo ids still grow in input order
        // (a batch lists as it was chosen) although the rows go in in canonical order.
        const drawn = await rows(`SELECT nextval(pg_get_serial_sequence('photos', 'id')) AS id FROM generate_series(1, $1)`, [photos.length], c);
        const ids = drawn.map((r) => BigInt(r.id as string)).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
        await c.query(
          `INSERT INTO photos (id, album_id, family_id, hash, object_key, file_name, file_type, file_size,
             creator_id, upload_time, created_at)
           OVERRIDING SYSTEM VALUE
           SELECT p.id, p.album_id, $1, p.hash, p.object_key, p.file_name, p.file_type, p.file_size,
             p.creator_id, p.upload_time, $2
           FROM unnest($3::bigint[], $4::bigint[], $5::bpchar[], $6::text[], $7::text[], $8::text[], $9::bigint[],
             $10::bigint[], $11::timestamptz[])
             WITH ORDINALITY AS p(id, album_id, hash, object_key, file_name, file_type, file_size, creator_id, upload_time, ord)
           ORDER BY p.album_id, p.hash, p.ord
           ON CONFLICT (album_id, hash) DO NOTHING`,
          [
            familyId,
            now,
            ids.map(String),
            col('albumId'),
            col('hash'),
            col('objectKey'),
            col('fileName'),
            col('fileType'),
            col('fileSize'),
            col('creatorId'),
            photos.map((p) => p.uploadTime.toISOString()),
          ],
        );
        const stored = await rows(
          `SELECT ph.* FROM photos ph
           JOIN unnest($1::bigint[], $2::bpchar[]) AS k(album_id, hash) ON ph.album_id = k.album_id AND ph.hash = k.hash`,
          [col('albumId'), col('hash')],
          c,
        );
        const byKey = new Map(stored.map((r) => [photoKey(Number(r.album_id), String(r.hash)), toPhoto(r)]));
        return photos.map((p) => {
          const photo = byKey.get(photoKey(p.albumId, p.hash));
          if (!photo) throw new Error(`insertPhotos: photo ${p.albumId}/${p.hash} missing after insert`);
          return photo;
        });
      }),
    async listPhotos(albumId, { beforeId, limit }) {
      const found =
        beforeId === undefined
          ? await rows('SELECT * FROM photos WHERE album_id = $1 ORDER BY id DESC LIMIT $2', [albumId, limit])
          : await rows('SELECT * FROM photos WHERE album_id = $1 AND id < $2 ORDER BY id DESC LIMIT $3', [albumId, beforeId, limit]);
      return found.map(toPhoto);
    },

    async getUser(userId) {
      const [row] = await rows('SELECT * FROM users WHERE id = $1', [userId]);
      return row && toUser(row);
    },
    async updateProfile(userId, { nickname, avatarKey }) {
      // CASE keeps a field the caller did not send; a sent null clears it.
      const [row] = await rows(
        `UPDATE users SET
           nickname = CASE WHEN $2 THEN $3 ELSE nickname END,
           avatar_key = CASE WHEN $4 THEN $5 ELSE avatar_key END
         WHERE id = $1 RETURNING *`,
        [userId, nickname !== undefined, nickname ?? null, avatarKey !== undefined, avatarKey ?? null],
      );
      return toUser(row);
    },
    async listMembers(familyId) {
      const found = await rows(
        `SELECT m.user_id, m.role, m.joined_at, u.nickname, u.avatar_key FROM family_members m JOIN users u ON u.id = m.user_id
         WHERE m.family_id = $1 ORDER BY m.role = 'owner' DESC, m.joined_at, m.user_id`,
        [familyId],
      );
      return found.map(toMember);
    },
    removeMember: (familyId, userId) =>
      withPgTransaction(pool, async (c): Promise<MemberRemoval> => {
        // The family row's lock serialises membership changes: two owners leaving at once would
        // each count the other and leave the family unowned.
        const [family] = await rows('SELECT id FROM families WHERE id = $1 FOR UPDATE', [familyId], c);
        if (!family) return 'not_member';
        const [member] = await rows('SELECT role FROM family_members WHERE family_id = $1 AND user_id = $2', [familyId, userId], c);
        if (!member) return 'not_member';
        if (member.role === 'owner') {
          const [owners] = await rows("SELECT count(*) AS n FROM family_members WHERE family_id = $1 AND role = 'owner'", [familyId], c);
          if (Number(owners.n) <= 1) return 'last_owner';
        }
        await c.query('DELETE FROM family_members WHERE family_id = $1 AND user_id = $2', [familyId, userId]);
        return 'removed';
      }),
    async findInvite(codeHash) {
      const [row] = await rows(
        `SELECT i.expires_at, i.max_uses, i.uses, f.id, f.name, f.created_at, u.nickname AS inviter_nickname
         FROM invites i JOIN families f ON f.id = i.family_id JOIN users u ON u.id = i.created_by
         WHERE i.code_hash = $1`,
        [codeHash],
      );
      return (
        row && {
          family: toFamily(row),
          inviterNickname: row.inviter_nickname === null ? null : String(row.inviter_nickname),
          expiresAt: row.expires_at as Date,
          maxUses: Number(row.max_uses),
          uses: Number(row.uses),
        }
      );
    },
    async renameAlbum(albumId, name) {
      const [row] = await rows('UPDATE albums SET name = $2 WHERE id = $1 RETURNING *', [albumId, name]);
      return row && toAlbum(row);
    },
    async findPhotoForMember(photoId, userId) {
      const [row] = await rows(
        `SELECT p.*, m.role AS member_role FROM photos p JOIN family_members m ON m.family_id = p.family_id AND m.user_id = $2
         WHERE p.id = $1`,
        [photoId, userId],
      );
      return row && { photo: toPhoto(row), role: row.member_role as Role };
    },
    deletePhoto: (photoId, now) =>
      withPgTransaction(pool, async (c): Promise<PhotoDeletion> => {
        const [photo] = await rows('SELECT family_id, hash FROM photos WHERE id = $1', [photoId], c);
        if (!photo) return { deleted: false };
        // The object row's lock first, then the photo row: the order a commit takes them in (its
        // FOR SHARE / FK check on the object, then its photo insert), so the two cannot deadlock.
        // A commit holding the row finishes first and its photo is counted below; one arriving
        // later waits, then finds the row gone (see insertPhotos).
        const [object] = await rows('SELECT object_key FROM objects WHERE family_id = $1 AND hash = $2 FOR UPDATE', [photo.family_id, photo.hash], c);
        const removed = await c.query('DELETE FROM photos WHERE id = $1', [photoId]);
        if (removed.rowCount === 0) return { deleted: false };
        // A new statement after the lock: READ COMMITTED sees every photo committed before it.
        const [inUse] = await rows('SELECT 1 FROM photos WHERE family_id = $1 AND hash = $2 LIMIT 1', [photo.family_id, photo.hash], c);
        if (inUse || !object) return { deleted: true };
        await c.query('UPDATE objects SET deleting = true, deleting_since = $3 WHERE family_id = $1 AND hash = $2', [photo.family_id, photo.hash, now]);
        return { deleted: true, orphanedObjectKey: String(object.object_key) };
      }),
    async forgetDeletedObject(objectKey) {
      await pool.query('DELETE FROM objects WHERE object_key = $1 AND deleting', [objectKey]);
    },
    async listDeletingObjects(markedBefore, { afterKey, limit }) {
      const found = await rows(
        `SELECT object_key FROM objects WHERE deleting AND (deleting_since IS NULL OR deleting_since < $1) AND object_key > $2
         ORDER BY object_key LIMIT $3`,
        [markedBefore, afterKey ?? '', limit],
      );
      return found.map((r) => String(r.object_key));
    },
    async claimDeletingObject(objectKey, markedBefore, now) {
      // One statement: the row lock makes a second sweeper's UPDATE re-check the mark the first one set.
      const claimed = await pool.query(
        'UPDATE objects SET deleting_since = $3 WHERE object_key = $1 AND deleting AND (deleting_since IS NULL OR deleting_since < $2)',
        [objectKey, markedBefore, now],
      );
      return claimed.rowCount === 1;
    },
    async listPhotosWithUploaders(albumId, { beforeId, limit }) {
      const found = await rows(
        `SELECT p.*, u.nickname AS uploader_nickname, u.avatar_key AS uploader_avatar_key
         FROM photos p JOIN users u ON u.id = p.creator_id
         WHERE p.album_id = $1 AND ($2::bigint IS NULL OR p.id < $2) ORDER BY p.id DESC LIMIT $3`,
        [albumId, beforeId ?? null, limit],
      );
      return found.map(toPhotoWithUploader);
    },
  };
}
