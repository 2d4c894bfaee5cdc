/** What the family album accepts, by extension: the content type OSS stores and the kind the app shows. */
export const MEDIA_TYPES: Readonly<Record<string, { contentType: string; kind: 'image' | 'video' }>> = {
  jpg: { contentType: 'image/jpeg', kind: 'image' },
  jpeg: { contentType: 'image/jpeg', kind: 'image' },
  png: { contentType: 'image/png', kind: 'image' },
  gif: { contentType: 'image/gif', kind: 'image' },
  webp: { contentType: 'image/webp', kind: 'image' },
  heic: { contentType: 'image/heic', kind: 'image' },
  heif: { contentType: 'image/heif', kind: 'image' },
  mp4: { contentType: 'video/mp4', kind: 'video' },
  mov: { contentType: 'video/quicktime', kind: 'video' },
  m4v: { contentType: 'video/x-m4v', kind: 'video' },
  '3gp': { contentType: 'video/3gpp', kind: 'video' },
};

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
