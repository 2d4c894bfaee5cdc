import { MEDIA_TYPES } from '../../../miniprogram/utils/mediaTypes';

/**
 * The media table is the Mini Program's (it cannot import ours at run time, we can import its):
 * the picker's filter, the policy's content types and the commit check read one list.
 */
export { MEDIA_TYPES };

export const ALLOWED_CONTENT_TYPES = [...new Set(Object.values(MEDIA_TYPES).map((m) => m.contentType))];

/** `families/<familyId>/`: every object of a family lives under it. */
export function familyPrefix(familyId: number): string {
  return `families/${familyId}/`;
}

/** The one key a file may have: content-addressed inside its family. */
export function objectKeyFor(familyId: number, md5: string, extension: string): string {
  return `${familyPrefix(familyId)}${md5}.${extension}`;
}

/**
 * Parses a client-claimed key; it must be exactly `families/<familyId>/<md5>.<ext>` with a known
 * extension, for the given family and hash. Anything else (other folders, `..`, encodings) fails.
 */
export function parseObjectKey(key: string, familyId: number, md5: string): { extension: string } | undefined {
  const m = /^families\/([1-9]\d*)\/([0-9a-f]{32})\.([a-z0-9]{1,5})$/.exec(key);
  if (!m || Number(m[1]) !== familyId || m[2] !== md5 || !(m[3] in MEDIA_TYPES)) return undefined;
  return { extension: m[3] };
}
