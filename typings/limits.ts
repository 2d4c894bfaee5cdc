/** The contract's numbers: what one request may carry, and the defaults both sides assume. */
export const LIMITS = {
  /** Hashes in one `POST /photos/hash/check`. */
  maxHashesPerCheck: 1000,
  /** Photos in one `POST /photos`. */
  maxPhotosPerCommit: 100,
  /** Photos in one page of `GET /albums/:id/photos`. */
  maxPhotosPerPage: 100,
  /** The largest upload unless `MAX_FILE_SIZE` says otherwise (1 GiB). */
  defaultMaxFileSizeBytes: 1024 * 1024 * 1024,
  /** PostObject's own ceiling (5 GiB): no configuration may allow more. */
  postObjectMaxBytes: 5 * 1024 * 1024 * 1024,
  /** Display names (families, albums). */
  maxNameChars: 64,
  /** File names as recorded. */
  maxFileNameChars: 255,
  /** A profile picture (WeChat's chooseAvatar gives a small square image). */
  maxAvatarBytes: 2 * 1024 * 1024,
  /** Nicknames (WeChat's own allow about 20 characters). */
  maxNicknameChars: 32,
} as const;

/** The album a new family starts with. */
export const DEFAULT_ALBUM_NAME = '家庭相册';
