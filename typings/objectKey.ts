import { MEDIA_TYPES } from './mediaTypes';

/** `families/<familyId>/`: every object of a family lives under it, and a policy pins it. */
export function familyPrefix(familyId: number): string {
  return `families/${familyId}/`;
}

/** The one key a file may have: content-addressed inside its family, `families/<id>/<md5>.<ext>`. */
export function objectKeyFor(familyId: number, md5: string, extension: string): string {
  return `${familyPrefix(familyId)}${md5}.${extension}`;
}

/**
 * Parses a claimed key; it must be exactly `families/<familyId>/<md5>.<ext>` with a known
 * extension, for the given family and hash. Anything else (other folders, `..`, encodings) fails.
 */
export function parseObjectKey(key: string, familyId: number, md5: string): { extension: string } | undefined {
  const m = /^families\/([1-9]\d*)\/([0-9a-f]{32})\.([a-z0-9]{1,5})$/.exec(key);
  if (!m || Number(m[1]) !== familyId || m[2] !== md5 || !Object.prototype.hasOwnProperty.call(MEDIA_TYPES, m[3])) return undefined;
  return { extension: m[3] };
}

/** Profile pictures: a separate tree from the families', one folder per user, images only. */
export const AVATAR_EXTENSIONS = ['jpg', 'jpeg', 'png', 'webp'] as const;
export const AVATAR_CONTENT_TYPES: readonly string[] = [...new Set(AVATAR_EXTENSIONS.map((e) => MEDIA_TYPES[e].contentType))];

/** `avatars/<userId>/`: a user's avatar policy pins it, and `PATCH /me` accepts keys only under it. */
export function avatarPrefix(userId: number): string {
  return `avatars/${userId}/`;
}

/** An avatar's key: `avatars/<userId>/<md5>.<ext>` (content-addressed, so never overwritten). */
export function avatarKeyFor(userId: number, md5: string, extension: string): string {
  return `${avatarPrefix(userId)}${md5}.${extension}`;
}

/** True only for exactly `avatars/<userId>/<md5>.<ext>` with an avatar extension, for this user. */
export function isAvatarKeyOf(key: string, userId: number): boolean {
  const m = /^avatars\/([1-9]\d*)\/[0-9a-f]{32}\.([a-z]{3,4})$/.exec(key);
  return !!m && Number(m[1]) === userId && (AVATAR_EXTENSIONS as readonly string[]).includes(m[2]);
}
