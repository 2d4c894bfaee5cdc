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
  /** Chosen by the user (WeChat no longer hands nicknames out); null until they set one. */
  nickname: string | null;
  /** An object key under `avatars/<id>/`, checked to exist when it was set. */
  avatarKey: string | null;
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
  createdBy: number;
  createdAt: Date;
}

/** One stored OSS object of a family: content-addressed by its MD5. */
export interface StoredObject {
  familyId: number;
  hash: string;
  objectKey: string;
  fileSize: number;
  /** Its last photo was deleted and the OSS object is being deleted: it backs no new photo. */
  deleting: boolean;
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
  /**
   * 秒传: the photo reuses an object row found before the transaction. `insertPhotos` then checks,
   * under the row's lock, that the row is still there and never re-creates it: a delete may have
   * removed the object from OSS meanwhile (see `ObjectGoneError`).
   */
  reusesObject?: boolean;
}

/**
 * `insertPhotos` found that objects some photos were to reuse (秒传) were deleted since they were
 * looked up, or are being deleted. Nothing was written; the caller fails those items (upload
 * again) and retries the rest.
 */
export class ObjectGoneError extends Error {
  constructor(readonly hashes: readonly string[]) {
    super(`objects deleted meanwhile: ${hashes.join(', ')}`);
    this.name = 'ObjectGoneError';
  }
}

/** A member as the family page lists them. */
export interface Member {
  userId: number;
  nickname: string | null;
  avatarKey: string | null;
  role: Role;
  joinedAt: Date;
}

export type MemberRemoval = 'removed' | 'not_member' | 'last_owner';

/** An invite as the join page previews it, whatever its state; the caller decides what it means. */
export interface InvitePreview {
  family: Family;
  inviterNickname: string | null;
  expiresAt: Date;
  maxUses: number;
  uses: number;
}

/** A listed photo with its uploader, read in the same query. */
export interface PhotoWithUploader extends Photo {
  uploader: { nickname: string | null; avatarKey: string | null };
}

/**
 * `orphanedObjectKey` is set when the deleted photo was the last one on its object: the object
 * row is marked `deleting` in the same transaction; the caller deletes the OSS object after the
 * commit, then `forgetDeletedObject`.
 */
export type PhotoDeletion = { deleted: false } | { deleted: true; orphanedObjectKey?: string };

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

  /** The user, or undefined when unknown. */
  getUser(userId: number): Promise<User | undefined>;
  /** Sets the fields given (`null` clears one) and returns the user as stored. */
  updateProfile(userId: number, changes: { nickname?: string | null; avatarKey?: string | null }): Promise<User>;
  /** The family's members, owners first, then by joining time. */
  listMembers(familyId: number): Promise<Member[]>;
  /**
   * Removes a membership, atomically refusing to remove the family's last owner (membership
   * changes of one family are serialised, so two owners leaving at once cannot both succeed).
   */
  removeMember(familyId: number, userId: number): Promise<MemberRemoval>;
  findInvite(codeHash: string): Promise<InvitePreview | undefined>;
  /** The renamed album, or undefined when there is no such album. */
  renameAlbum(albumId: number, name: string): Promise<Album | undefined>;
  /** The photo and the caller's role in its family, when the caller is a member; undefined otherwise. */
  findPhotoForMember(photoId: number, userId: number): Promise<{ photo: Photo; role: Role } | undefined>;
  /**
   * Deletes a photo and, when no photo references its object any more, marks the object row
   * `deleting`, in one transaction holding the object row's lock: a concurrent commit on the same
   * object either lands first (and the object stays) or finds it deleting and records nothing.
   * Deleting a photo that is not there is `{ deleted: false }`. The mark records `now`, so a
   * deletion the caller never finishes (the process died) is found by `listDeletingObjects`.
   */
  deletePhoto(photoId: number, now: Date): Promise<PhotoDeletion>;
  /**
   * Removes an object row marked `deleting`, once its OSS object is deleted. Until then the row
   * tells commits that a HEAD they made may predate the OSS delete (so they record nothing).
   */
  forgetDeletedObject(objectKey: string): Promise<void>;
  /**
   * Keys of the object rows marked `deleting` before `markedBefore` (or at an unknown time), in
   * key order after `afterKey`: the deletions nobody finished, one page at a time.
   */
  listDeletingObjects(markedBefore: Date, page: { afterKey?: string; limit: number }): Promise<string[]>;
  /**
   * Takes over an unfinished deletion: when the row is still marked `deleting` before
   * `markedBefore`, sets its mark to `now` and answers true. One sweeper wins a row; the others
   * (other API instances) see the fresh mark and leave it.
   */
  claimDeletingObject(objectKey: string, markedBefore: Date, now: Date): Promise<boolean>;
  /** `listPhotos` with each photo's uploader, in one query. */
  listPhotosWithUploaders(albumId: number, page: { beforeId?: number; limit: number }): Promise<PhotoWithUploader[]>;
}
