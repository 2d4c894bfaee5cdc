/**
 * Every `error.code` the API answers, and every per-item `failed[].code` of a commit. Clients
 * branch on these, so they are a closed set: a new code is added here first.
 */
export const API_ERROR_CODES = [
  'bad_request',
  'invalid_json',
  'invalid_request',
  'unsupported_encoding',
  'payload_too_large',
  'unauthorized',
  'invalid_code',
  'forbidden',
  'not_found',
  'invite_not_found',
  'invite_expired',
  'invite_used_up',
  /** The family's only owner cannot leave (or be removed): it would leave the family unowned. */
  'last_owner',
  /** `avatar_key` names no uploaded object (upload first, with `GET /me/avatar/signature`). */
  'avatar_missing',
  'rate_limited',
  'internal',
  'storage_unavailable',
  'store_unavailable',
  'sts_unavailable',
  'wechat_unavailable',
  /** A multipart upload is completed before OSS holds every part (`details.missing_parts`). */
  'upload_incomplete',
  /** The completed object's bytes are not the promised MD5: nothing was recorded, upload again. */
  'hash_mismatch',
] as const;
export type ApiErrorCode = (typeof API_ERROR_CODES)[number];

export const COMMIT_FAILURE_CODES = [
  /** The item does not parse (field named in the message). */
  'invalid_item',
  /** The album is not the caller's, or not in the item's family. */
  'not_found',
  'too_large',
  /** The key is not `families/<family_id>/<hash_value>.<ext>` with a supported extension. */
  'invalid_key',
  /** Nothing is stored at the key yet: upload first. */
  'object_missing',
  /** The stored bytes are not `hash_value`; the object was removed, upload again. */
  'hash_mismatch',
  'size_mismatch',
  /** The stored object's headers are not the product's own; it was removed, upload again (once). */
  'object_rejected',
] as const;
export type CommitFailureCode = (typeof COMMIT_FAILURE_CODES)[number];
