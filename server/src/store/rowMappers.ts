import type { MediaKind } from '../../../typings';
import type { Album, Family, Member, Photo, PhotoWithUploader, Role, StoredObject, User } from './Store';

/**
 * Rows → API objects, shared by both dialects. SQLite hands back numbers (epoch ms, 0/1) and
 * PostgreSQL hands back strings for BIGINT, Dates for timestamptz and real booleans; `Number`,
 * `new Date` and `Boolean` accept either, so one mapper serves both.
 */
export type Row = Record<string, unknown>;

const num = (v: unknown): number => Number(v);
const date = (v: unknown): Date => new Date(v as number | Date);
const str = (v: unknown): string => String(v);

const strOrNull = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));

export const toUser = (r: Row): User => ({
  id: num(r.id),
  openid: str(r.openid),
  nickname: strOrNull(r.nickname),
  avatarKey: strOrNull(r.avatar_key),
  createdAt: date(r.created_at),
});

export const toFamily = (r: Row): Family => ({ id: num(r.id), name: str(r.name), createdAt: date(r.created_at) });

export const toAlbum = (r: Row): Album => ({
  id: num(r.id),
  familyId: num(r.family_id),
  name: str(r.name),
  isDefault: Boolean(r.is_default),
  createdBy: num(r.created_by),
  createdAt: date(r.created_at),
});

export const toStoredObject = (r: Row): StoredObject => ({
  familyId: num(r.family_id),
  hash: str(r.hash),
  objectKey: str(r.object_key),
  fileSize: num(r.file_size),
  deleting: Boolean(r.deleting),
  createdAt: date(r.created_at),
});

export const toPhoto = (r: Row): Photo => ({
  id: num(r.id),
  albumId: num(r.album_id),
  familyId: num(r.family_id),
  hash: str(r.hash),
  objectKey: str(r.object_key),
  fileName: str(r.file_name),
  fileType: str(r.file_type) as MediaKind,
  fileSize: num(r.file_size),
  creatorId: num(r.creator_id),
  uploadTime: date(r.upload_time),
  createdAt: date(r.created_at),
});

export const toMember = (r: Row): Member => ({
  userId: num(r.user_id),
  nickname: strOrNull(r.nickname),
  avatarKey: strOrNull(r.avatar_key),
  role: str(r.role) as Role,
  joinedAt: date(r.joined_at),
});

/** A photo row joined with its uploader's `uploader_nickname` and `uploader_avatar_key`. */
export const toPhotoWithUploader = (r: Row): PhotoWithUploader => ({
  ...toPhoto(r),
  uploader: { nickname: strOrNull(r.uploader_nickname), avatarKey: strOrNull(r.uploader_avatar_key) },
});

/** The key insertPhotos uses to find each input's row again. */
export const photoKey = (albumId: number, hash: string): string => `${albumId}:${hash}`;
