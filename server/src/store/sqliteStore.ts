import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { migrateSqlite } from './migrateSqlite';
import { createSqliteMultipartUploads } from './sqliteMultipartUploads';
import { toAlbum, toFamily, toMember, toPhoto, toPhotoWithUploader, toStoredObject, toUser, type Row } from './rowMappers';
import { ObjectGoneError, type Family, type InviteRedemption, type MemberRemoval, type NewPhoto, type Photo, type PhotoDeletion, type Role, type Session, type Store } from './Store';

const ms = (d: Date): number => d.getTime();

/**
 * The embedded default: one file (or ':memory:'), WAL so readers never wait for the writer.
 * better-sqlite3 is synchronous, so every call runs to completion before the next starts; write
 * transactions are IMMEDIATE so a second process on the same file waits (busy_timeout) instead of
 * failing half-way with SQLITE_BUSY.
 */
export async function openSqliteStore(filePath: string): Promise<Store> {
  const inMemory = filePath === ':memory:' || filePath === '';
  if (!inMemory) fs.mkdirSync(path.dirname(path.resolve(filePath)), { recursive: true });
  const db = new Database(filePath);
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL'); // durable with WAL except on power loss, per sqlite.org/wal.html
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    migrateSqlite(db);
    return createSqliteStore(db);
  } catch (err) {
    db.close();
    throw err;
  }
}

function createSqliteStore(db: Database.Database): Store {
  const st = {
    ping: db.prepare('SELECT 1'),
    // WHERE 0 deletes nothing, yet SQLite still opens a write transaction: SQLITE_READONLY on a read-only file.
    probeWrite: db.prepare('DELETE FROM sessions WHERE 0'),
    insertUser: db.prepare('INSERT INTO users (openid, created_at) VALUES (?, ?) ON CONFLICT (openid) DO NOTHING'),
    userByOpenid: db.prepare('SELECT * FROM users WHERE openid = ?'),
    insertSession: db.prepare('INSERT INTO sessions (token_hash, user_id, expires_at, created_at) VALUES (?, ?, ?, ?)'),
    liveSession: db.prepare(
      `SELECT s.user_id, u.openid, s.expires_at FROM sessions s JOIN users u ON u.id = s.user_id
       WHERE s.token_hash = ? AND s.expires_at > ?`,
    ),
    deleteSession: db.prepare('DELETE FROM sessions WHERE token_hash = ?'),
    deleteExpiredSessions: db.prepare('DELETE FROM sessions WHERE expires_at <= ?'),
    insertFamily: db.prepare('INSERT INTO families (name, created_by, created_at) VALUES (?, ?, ?) RETURNING *'),
    familyById: db.prepare('SELECT * FROM families WHERE id = ?'),
    insertMember: db.prepare(
      `INSERT INTO family_members (family_id, user_id, role, joined_at) VALUES (?, ?, ?, ?)
       ON CONFLICT (family_id, user_id) DO NOTHING`,
    ),
    familiesOf: db.prepare(
      `SELECT f.*, m.role FROM family_members m JOIN families f ON f.id = m.family_id
       WHERE m.user_id = ? ORDER BY f.id`,
    ),
    role: db.prepare('SELECT role FROM family_members WHERE family_id = ? AND user_id = ?').pluck(),
    insertAlbum: db.prepare(
      'INSERT INTO albums (family_id, name, is_default, created_by, created_at) VALUES (?, ?, ?, ?, ?) RETURNING *',
    ),
    albumsOf: db.prepare('SELECT * FROM albums WHERE family_id = ? ORDER BY id'),
    albumForMember: db.prepare(
      `SELECT a.* FROM albums a JOIN family_members m ON m.family_id = a.family_id AND m.user_id = ?
       WHERE a.id = ?`,
    ),
    insertInvite: db.prepare(
      `INSERT INTO invites (code_hash, family_id, created_by, expires_at, max_uses, uses, created_at)
       VALUES (?, ?, ?, ?, ?, 0, ?)`,
    ),
    invite: db.prepare('SELECT family_id, expires_at, max_uses, uses FROM invites WHERE code_hash = ?'),
    spendInvite: db.prepare('UPDATE invites SET uses = uses + 1 WHERE code_hash = ?'),
    // json_each keeps this one prepared statement whatever the number of hashes (up to 1000).
    objects: db.prepare(
      `SELECT * FROM objects WHERE family_id = ? AND hash IN (SELECT value FROM json_each(?))
       ORDER BY hash`,
    ),
    insertObject: db.prepare(
      `INSERT INTO objects (family_id, hash, object_key, file_size, created_at) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (family_id, hash) DO NOTHING`,
    ),
    insertPhoto: db.prepare(
      `INSERT INTO photos (album_id, family_id, hash, object_key, file_name, file_type, file_size,
         creator_id, upload_time, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (album_id, hash) DO NOTHING`,
    ),
    photoByAlbumHash: db.prepare('SELECT * FROM photos WHERE album_id = ? AND hash = ?'),
    photosFirstPage: db.prepare('SELECT * FROM photos WHERE album_id = ? ORDER BY id DESC LIMIT ?'),
    photosBefore: db.prepare('SELECT * FROM photos WHERE album_id = ? AND id < ? ORDER BY id DESC LIMIT ?'),
    objectDeleting: db.prepare('SELECT deleting FROM objects WHERE family_id = ? AND hash = ?').pluck(),
    userById: db.prepare('SELECT * FROM users WHERE id = ?'),
    setNickname: db.prepare('UPDATE users SET nickname = ? WHERE id = ?'),
    setAvatarKey: db.prepare('UPDATE users SET avatar_key = ? WHERE id = ?'),
    members: db.prepare(
      `SELECT m.user_id, m.role, m.joined_at, u.nickname, u.avatar_key FROM family_members m JOIN users u ON u.id = m.user_id
       WHERE m.family_id = ? ORDER BY m.role = 'owner' DESC, m.joined_at, m.user_id`,
    ),
    ownerCount: db.prepare("SELECT count(*) FROM family_members WHERE family_id = ? AND role = 'owner'").pluck(),
    deleteMember: db.prepare('DELETE FROM family_members WHERE family_id = ? AND user_id = ?'),
    invitePreview: db.prepare(
      `SELECT i.expires_at, i.max_uses, i.uses, f.id, f.name, f.created_at, u.nickname AS inviter_nickname
       FROM invites i JOIN families f ON f.id = i.family_id JOIN users u ON u.id = i.created_by
       WHERE i.code_hash = ?`,
    ),
    renameAlbum: db.prepare('UPDATE albums SET name = ? WHERE id = ? RETURNING *'),
    photoForMember: db.prepare(
      `SELECT p.*, m.role AS member_role FROM photos p JOIN family_members m ON m.family_id = p.family_id AND m.user_id = ?
       WHERE p.id = ?`,
    ),
    photoById: db.prepare('SELECT family_id, hash FROM photos WHERE id = ?'),
    deletePhoto: db.prepare('DELETE FROM photos WHERE id = ?'),
    objectInUse: db.prepare('SELECT 1 FROM photos WHERE family_id = ? AND hash = ? LIMIT 1').pluck(),
    markDeleting: db.prepare('UPDATE objects SET deleting = 1, deleting_since = ? WHERE family_id = ? AND hash = ? RETURNING object_key').pluck(),
    forgetDeleted: db.prepare('DELETE FROM objects WHERE object_key = ? AND deleting = 1'),
    deletingBefore: db.prepare(
      `SELECT object_key FROM objects WHERE deleting = 1 AND (deleting_since IS NULL OR deleting_since < ?) AND object_key > ?
       ORDER BY object_key LIMIT ?`,
    ).pluck(),
    claimDeleting: db.prepare(
      'UPDATE objects SET deleting_since = ? WHERE object_key = ? AND deleting = 1 AND (deleting_since IS NULL OR deleting_since < ?)',
    ),
    photosWithUploadersFirst: db.prepare(
      `SELECT p.*, u.nickname AS uploader_nickname, u.avatar_key AS uploader_avatar_key
       FROM photos p JOIN users u ON u.id = p.creator_id WHERE p.album_id = ? ORDER BY p.id DESC LIMIT ?`,
    ),
    photosWithUploadersBefore: db.prepare(
      `SELECT p.*, u.nickname AS uploader_nickname, u.avatar_key AS uploader_avatar_key
       FROM photos p JOIN users u ON u.id = p.creator_id WHERE p.album_id = ? AND p.id < ? ORDER BY p.id DESC LIMIT ?`,
    ),
  };

  const familyOf = (id: number): Family => toFamily(st.familyById.get(id) as Row);

  const createFamily = db.transaction((name: string, ownerId: number, albumName: string, now: number) => {
    const family = toFamily(st.insertFamily.get(name, ownerId, now) as Row);
    st.insertMember.run(family.id, ownerId, 'owner', now);
    const album = toAlbum(st.insertAlbum.get(family.id, albumName, 1, ownerId, now) as Row);
    return { family, album };
  });

  const redeemInvite = db.transaction((codeHash: string, userId: number, now: number): InviteRedemption => {
    const invite = st.invite.get(codeHash) as { family_id: number; expires_at: number; max_uses: number; uses: number } | undefined;
    if (!invite) return { ok: false, reason: 'not_found' };
    // Checked before expiry and uses so that retrying a join that already succeeded still succeeds.
    if (st.role.get(invite.family_id, userId) !== undefined) {
      return { ok: true, family: familyOf(invite.family_id), alreadyMember: true };
    }
    if (invite.expires_at <= now) return { ok: false, reason: 'expired' };
    if (invite.uses >= invite.max_uses) return { ok: false, reason: 'used_up' };
    st.insertMember.run(invite.family_id, userId, 'member', now);
    st.spendInvite.run(codeHash);
    return { ok: true, family: familyOf(invite.family_id), alreadyMember: false };
  });

  // An input already recorded (before, or earlier in this batch) hits ON CONFLICT and is read back.
  const insertPhotos = db.transaction((familyId: number, photos: readonly NewPhoto[], now: number): Photo[] => {
    // Inside the write transaction no delete can interleave: a reused object still here stays.
    // A deleting one is refused even for a fresh upload: its HEAD may predate the OSS delete.
    const gone = photos
      .filter((p) => {
        const deleting = st.objectDeleting.get(familyId, p.hash) as number | undefined;
        return deleting === 1 || (deleting === undefined && p.reusesObject);
      })
      .map((p) => p.hash);
    if (gone.length > 0) throw new ObjectGoneError([...new Set(gone)]);
    return photos.map((p) => {
      st.insertObject.run(familyId, p.hash, p.objectKey, p.fileSize, now);
      st.insertPhoto.run(p.albumId, familyId, p.hash, p.objectKey, p.fileName, p.fileType, p.fileSize, p.creatorId, ms(p.uploadTime), now);
      return toPhoto(st.photoByAlbumHash.get(p.albumId, p.hash) as Row);
    });
  });

  const updateProfile = db.transaction((userId: number, changes: { nickname?: string | null; avatarKey?: string | null }) => {
    if (changes.nickname !== undefined) st.setNickname.run(changes.nickname, userId);
    if (changes.avatarKey !== undefined) st.setAvatarKey.run(changes.avatarKey, userId);
    return toUser(st.userById.get(userId) as Row);
  });

  const removeMember = db.transaction((familyId: number, userId: number): MemberRemoval => {
    const role = st.role.get(familyId, userId) as Role | undefined;
    if (!role) return 'not_member';
    if (role === 'owner' && (st.ownerCount.get(familyId) as number) <= 1) return 'last_owner';
    st.deleteMember.run(familyId, userId);
    return 'removed';
  });

  // One write transaction: a commit reusing the object (insertPhotos) runs wholly before or after.
  const deletePhoto = db.transaction((photoId: number, now: number): PhotoDeletion => {
    const photo = st.photoById.get(photoId) as { family_id: number; hash: string } | undefined;
    if (!photo) return { deleted: false };
    st.deletePhoto.run(photoId);
    if (st.objectInUse.get(photo.family_id, photo.hash) !== undefined) return { deleted: true };
    const key = st.markDeleting.get(now, photo.family_id, photo.hash) as string | undefined;
    return key === undefined ? { deleted: true } : { deleted: true, orphanedObjectKey: key };
  });

  return {
    kind: 'sqlite',
    multipartUploads: createSqliteMultipartUploads(db),
    async ping() {
      st.ping.get();
    },
    async probeWrite() {
      st.probeWrite.run();
    },
    async close() {
      db.close();
    },

    async upsertUser(openid, now) {
      st.insertUser.run(openid, ms(now));
      return toUser(st.userByOpenid.get(openid) as Row);
    },
    async createSession({ tokenHash, userId, expiresAt, now }) {
      st.insertSession.run(tokenHash, userId, ms(expiresAt), ms(now));
    },
    async findSession(tokenHash, now): Promise<Session | undefined> {
      const row = st.liveSession.get(tokenHash, ms(now)) as Row | undefined;
      return row && { userId: Number(row.user_id), openid: String(row.openid), expiresAt: new Date(row.expires_at as number) };
    },
    async deleteSession(tokenHash) {
      st.deleteSession.run(tokenHash);
    },
    async deleteExpiredSessions(now) {
      return st.deleteExpiredSessions.run(ms(now)).changes;
    },

    async createFamily({ name, ownerId, defaultAlbumName, now }) {
      return createFamily.immediate(name, ownerId, defaultAlbumName, ms(now));
    },
    async listFamilies(userId) {
      return (st.familiesOf.all(userId) as Row[]).map((r) => ({ ...toFamily(r), role: r.role as Role }));
    },
    async getRole(familyId, userId) {
      return st.role.get(familyId, userId) as Role | undefined;
    },

    async createAlbum({ familyId, name, createdBy, now }) {
      return toAlbum(st.insertAlbum.get(familyId, name, 0, createdBy, ms(now)) as Row);
    },
    async listAlbums(familyId) {
      return (st.albumsOf.all(familyId) as Row[]).map(toAlbum);
    },
    async findAlbumForMember(albumId, userId) {
      const row = st.albumForMember.get(userId, albumId) as Row | undefined;
      return row && toAlbum(row);
    },

    async createInvite({ codeHash, familyId, createdBy, expiresAt, maxUses, now }) {
      st.insertInvite.run(codeHash, familyId, createdBy, ms(expiresAt), maxUses, ms(now));
    },
    async redeemInvite({ codeHash, userId, now }) {
      return redeemInvite.immediate(codeHash, userId, ms(now));
    },

    async findObjects(familyId, hashes) {
      if (hashes.length === 0) return [];
      return (st.objects.all(familyId, JSON.stringify(hashes)) as Row[]).map(toStoredObject);
    },
    async insertPhotos(familyId, photos, now) {
      return insertPhotos.immediate(familyId, photos, ms(now));
    },
    async listPhotos(albumId, { beforeId, limit }) {
      const rows = beforeId === undefined ? st.photosFirstPage.all(albumId, limit) : st.photosBefore.all(albumId, beforeId, limit);
      return (rows as Row[]).map(toPhoto);
    },

    async getUser(userId) {
      const row = st.userById.get(userId) as Row | undefined;
      return row && toUser(row);
    },
    async updateProfile(userId, changes) {
      return updateProfile.immediate(userId, changes);
    },
    async listMembers(familyId) {
      return (st.members.all(familyId) as Row[]).map(toMember);
    },
    async removeMember(familyId, userId) {
      return removeMember.immediate(familyId, userId);
    },
    async findInvite(codeHash) {
      const row = st.invitePreview.get(codeHash) as Row | undefined;
      return (
        row && {
          family: toFamily(row),
          inviterNickname: row.inviter_nickname === null ? null : String(row.inviter_nickname),
          expiresAt: new Date(row.expires_at as number),
          maxUses: Number(row.max_uses),
          uses: Number(row.uses),
        }
      );
    },
    async renameAlbum(albumId, name) {
      const row = st.renameAlbum.get(name, albumId) as Row | undefined;
      return row && toAlbum(row);
    },
    async findPhotoForMember(photoId, userId) {
      const row = st.photoForMember.get(userId, photoId) as Row | undefined;
      return row && { photo: toPhoto(row), role: row.member_role as Role };
    },
    async deletePhoto(photoId, now) {
      return deletePhoto.immediate(photoId, ms(now));
    },
    async forgetDeletedObject(objectKey) {
      st.forgetDeleted.run(objectKey);
    },
    async listDeletingObjects(markedBefore, { afterKey, limit }) {
      // '' sorts before every key: the first page.
      return st.deletingBefore.all(ms(markedBefore), afterKey ?? '', limit) as string[];
    },
    async claimDeletingObject(objectKey, markedBefore, now) {
      return st.claimDeleting.run(ms(now), objectKey, ms(markedBefore)).changes === 1;
    },
    async listPhotosWithUploaders(albumId, { beforeId, limit }) {
      const rows = beforeId === undefined ? st.photosWithUploadersFirst.all(albumId, limit) : st.photosWithUploadersBefore.all(albumId, beforeId, limit);
      return (rows as Row[]).map(toPhotoWithUploader);
    },
  };
}
