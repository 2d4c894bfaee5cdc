/** What the album shows a file as. */
export type MediaKind = 'image' | 'video';

/**
 * What the album accepts, by extension: the content type sent to OSS and the kind shown. The
 * picker's filter, the policy's content types and the commit check read this one list.
 */
export const MEDIA_TYPES: Readonly<Record<string, { contentType: string; kind: MediaKind }>> = {
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

/** The extension of a path or file name, lower-case, without the dot; '' when there is none. */
export function extensionOfPath(pathOrName: string): string {
  const base = pathOrName.split(/[\\/]/).pop() ?? '';
  const m = /.\.([A-Za-z0-9]{1,8})$/.exec(base);
  return m ? m[1].toLowerCase() : '';
}

export function isSupportedExtension(extension: string): boolean {
  return Object.prototype.hasOwnProperty.call(MEDIA_TYPES, extension);
}

/** The extension the pickers use when a temp path has none (chooseMedia transcodes to these). */
export const DEFAULT_EXTENSION: Readonly<Record<MediaKind, string>> = { image: 'jpg', video: 'mp4' };

/** Every content type the upload policy admits. */
export const ALLOWED_CONTENT_TYPES: readonly string[] = [...new Set(Object.values(MEDIA_TYPES).map((m) => m.contentType))];
