/**
 * The API contract (v1), shared by the Mini Program and the server. JSON on the wire;
 * sizes in bytes, hashes lower-case hex MD5, times ISO-8601 UTC.
 */

import type { ApiErrorCode, CommitFailureCode } from './errorCodes';
import type { MediaKind } from './mediaTypes';

export interface ApiErrorBody {
  error: { code: ApiErrorCode; message: string; details?: unknown };
}

export interface LoginRequest {
  code: string;
}
export interface LoginResponse {
  token: string;
  expires_at: string;
  user: { id: number; openid: string };
}

export type FamilyRole = 'owner' | 'member';
export interface FamilyView {
  id: number;
  name: string;
  role: FamilyRole;
}
export interface AlbumView {
  id: number;
  family_id: number;
  name: string;
  is_default: boolean;
  created_at: string;
}
export interface ListFamiliesResponse {
  families: FamilyView[];
}
export interface CreateFamilyRequest {
  name: string;
}
export interface CreateFamilyResponse {
  family: FamilyView;
  album: AlbumView;
}
export interface CreateInviteRequest {
  /** How many people may join with the code; 1 by default. */
  max_uses?: number;
  /** Lifetime of the code; a day by default, at most a week. */
  expires_in_sec?: number;
}
export interface CreateInviteResponse {
  code: string;
  expires_at: string;
  max_uses: number;
}
export interface JoinFamilyRequest {
  code: string;
}
export interface JoinFamilyResponse {
  family: FamilyView;
}
export interface ListAlbumsResponse {
  albums: AlbumView[];
}
export interface CreateAlbumRequest {
  name: string;
}
export interface CreateAlbumResponse {
  album: AlbumView;
}

/** What the phone needs to POST one file straight to OSS (the article's fields, plus V4's). */
export interface OssUploadConfig {
  /** The upload URL (bucket endpoint) for `wx.uploadFile`. */
  host: string;
  policy: string;
  signature: string;
  credential: string;
  date: string;
  security_token: string;
  signature_version: 'OSS4-HMAC-SHA256';
  /** Every key must start with this: `families/<familyId>/`. */
  file_base_path: string;
  expire_at: string;
  max_size: number;
  success_action_status: '200';
  /** Content types the policy admits. */
  allowed_content_types: string[];
}

export interface HashCheckRequest {
  family_id: number;
  hashes: string[];
}
export interface ExistingObject {
  hash: string;
  object_key: string;
  file_size: number;
}
export interface HashCheckResponse {
  existing: ExistingObject[];
}

/** One photo to record; names as in the article. The server derives the creator from the session. */
export interface PhotoMeta {
  album_id: number;
  family_id: number;
  file_name: string;
  /** The object key (the article's name for it); `object_key` wins when both are given. */
  file_path?: string;
  object_key?: string;
  creator_uid?: unknown;
  file_type: MediaKind;
  file_size: number;
  upload_time?: string;
  hash_value: string;
}
export interface CommitPhotosRequest {
  data: PhotoMeta[];
}
export interface PhotoView {
  id: number;
  album_id: number;
  family_id: number;
  file_name: string;
  file_type: MediaKind;
  file_size: number;
  hash_value: string;
  object_key: string;
  creator_id: number;
  upload_time: string;
  created_at: string;
}
export interface CommitFailure {
  index: number;
  code: CommitFailureCode;
  message: string;
}
export interface CommitPhotosResponse {
  photos: PhotoView[];
  failed: CommitFailure[];
}
/** Who uploaded a photo, as the album shows it. */
export interface UploaderView {
  id: number;
  nickname: string | null;
  avatar_url: string | null;
}
export interface AlbumPhotoView extends PhotoView {
  url: string;
  /** A small image: the picture resized, or for a video a poster frame (OSS `video/snapshot`). */
  thumbnail_url: string;
  url_expires_at: string;
  uploaded_by: UploaderView;
}
export interface ListPhotosResponse {
  photos: AlbumPhotoView[];
  next_cursor: string | null;
}

/** A user as others (and they themselves) see them; `avatar_url` is presigned, short-lived. */
export interface UserView {
  id: number;
  nickname: string | null;
  avatar_url: string | null;
}
export interface MeResponse {
  user: UserView;
}
/**
 * Both fields optional; `null` clears one. `avatar_key` is a key the caller uploaded under their own
 * `avatars/<userId>/` prefix (see `GET /me/avatar/signature`); the server checks it exists in OSS.
 */
export interface UpdateMeRequest {
  nickname?: string | null;
  avatar_key?: string | null;
}
export type UpdateMeResponse = MeResponse;

export interface MemberView {
  user_id: number;
  nickname: string | null;
  avatar_url: string | null;
  role: FamilyRole;
  joined_at: string;
}
export interface ListMembersResponse {
  members: MemberView[];
}

/** What the join page shows before joining. */
export interface InvitePreviewResponse {
  family: { id: number; name: string };
  inviter: { nickname: string | null };
  expires_at: string;
  /** The caller is in the family already: the page just opens it (joining would too). */
  already_member: boolean;
}

export interface RenameAlbumRequest {
  name: string;
}
export interface RenameAlbumResponse {
  album: AlbumView;
}

export interface HealthResponse {
  ok: boolean;
  mode: 'local' | 'aliyun';
  store: { kind: 'sqlite' | 'postgres'; ok: boolean };
  storage: { bucket: string; ok: boolean };
  sts: { ok: boolean };
  wechat: { ok: boolean };
}
