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
