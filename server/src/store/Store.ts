/**
 * The one persistence interface of the API. SQLite (embedded default) and PostgreSQL
 * (`DATABASE_URL`, several API instances) implement it; the same tests run against both.
 * Times are passed in (the caller's clock), never read here.
 */
import type { MediaKind } from '../../../typings';
import type { MultipartUploadStore } from './MultipartUploadStore';

export type Role = 'owner' | 'member';

export interface User {
  id: number;
  openid: string;
  createdAt: Date;
}

export interface Session {
  userId: number;
  openid: string;
  expiresAt: Date;
}

export interface Family {
  id: number;
  name: string;
  createdAt: Date;
}

export interface FamilyOfMember extends Family {
  role: Role;
}

export interface Album {
  id: number;
  familyId: number;
  name: string;
  isDefault: boolean;
  createdAt: Date;
}

/** One stored OSS object of a family: content-addressed by its MD5. */
export interface StoredObject {
  familyId: number;
  hash: string;
  objectKey: string;
  fileSize: number;
  createdAt: Date;
}

export interface Photo {
  id: number;
  albumId: number;
  familyId: number;
  hash: string;
  objectKey: string;
  fileName: string;
  fileType: MediaKind;
  fileSize: number;
  creatorId: number;
  uploadTime: Date;
  createdAt: Date;
}

/** A photo to record; `objectKey`/`fileSize` describe the verified object it points at. */
export interface NewPhoto {
  albumId: number;
  hash: string;
  objectKey: string;
  fileName: string;
  fileType: MediaKind;
  fileSize: number;
  creatorId: number;
  uploadTime: Date;
}

export type InviteRedemption =
  | { ok: true; family: Family; alreadyMember: boolean }
  | { ok: false; reason: 'not_found' | 'expired' | 'used_up' };

export interface Store {
  readonly kind: 'sqlite' | 'postgres';
  /** Answers when the database does; throws otherwise (health checks). */
  ping(): Promise<void>;
  /**
   * Answers when the database accepts a write (a statement that changes nothing, so it needs write
   * permission and a read-write transaction but leaves no trace); throws otherwise. A store that
   * reads but cannot write (read-only file, replica, revoked grants) is not healthy.
   */
  probeWrite(): Promise<void>;
  close(): Promise<void>;

  /** Creates the user on first login; returns the existing one after. */
  upsertUser(openid: string, now: Date): Promise<User>;
  createSession(input: { tokenHash: string; userId: number; expiresAt: Date; now: Date }): Promise<void>;
  /** The live session for a token hash, or undefined when unknown or expired at `now`. */
  findSession(tokenHash: string, now: Date): Promise<Session | undefined>;
  deleteSession(tokenHash: string): Promise<void>;
  /** Removes sessions expired at `now`; returns how many. */
  deleteExpiredSessions(now: Date): Promise<number>;

  /** The family, its owner's membership and its default album, in one transaction. */
  createFamily(input: { name: string; ownerId: number; defaultAlbumName: string; now: Date }): Promise<{ family: Family; album: Album }>;
  listFamilies(userId: number): Promise<FamilyOfMember[]>;
  /** The caller's role in the family, or undefined when not a member (or no such family). */
  getRole(familyId: number, userId: number): Promise<Role | undefined>;

  createAlbum(input: { familyId: number; name: string; createdBy: number; now: Date }): Promise<Album>;
  listAlbums(familyId: number): Promise<Album[]>;
  /** The album when `userId` is a member of its family; undefined otherwise (no IDOR). */
  findAlbumForMember(albumId: number, userId: number): Promise<Album | undefined>;

  createInvite(input: { codeHash: string; familyId: number; createdBy: number; expiresAt: Date; maxUses: number; now: Date }): Promise<void>;
  /**
   * Atomically checks the invite, counts one use and adds the member. Joining a family one is
   * already in succeeds without spending a use.
   */
  redeemInvite(input: { codeHash: string; userId: number; now: Date }): Promise<InviteRedemption>;

  /** The family's objects among `hashes`, in one indexed query. */
  findObjects(familyId: number, hashes: readonly string[]): Promise<StoredObject[]>;
  /**
   * Records objects and photos in one transaction. Objects already known (same family and
   * hash) are kept; a photo already in its album with the same hash is returned as it is, so a
   * repeated commit is idempotent. Returns one photo per input, in input order.
   */
  insertPhotos(familyId: number, photos: readonly NewPhoto[], now: Date): Promise<Photo[]>;
  /** Newest first; `beforeId` is the cursor (the last id of the previous page). */
  listPhotos(albumId: number, page: { beforeId?: number; limit: number }): Promise<Photo[]>;

  /** Unfinished multipart uploads (large videos). */
  readonly multipartUploads: MultipartUploadStore;
}
