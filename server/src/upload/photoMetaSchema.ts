import { z } from 'zod';
import { LIMITS, type PhotoMeta } from '../../../typings';
import { id, md5Hex, visibleText } from '../schemas/fields';

/**
 * The instants both stores can hold: PostgreSQL's timestamptz has no year 0 and reads no
 * six-digit year (https://www.postgresql.org/docs/current/datatype-datetime.html), so an item's
 * time must fall in years 1–9999 once its offset is applied ("0001-01-01T00:00:00+14:00" is year 0
 * in UTC). SQLite keeps epoch milliseconds and would take anything; the rule is the narrower one.
 */
const EARLIEST_MS = Date.parse('0001-01-01T00:00:00.000Z');
const LATEST_MS = Date.parse('9999-12-31T23:59:59.999Z');

/** An unpaired UTF-16 surrogate: the drivers would silently store U+FFFD in its place. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * A file name as recorded: trimmed, 1–255 characters, well-formed, visible text only (no control
 * characters, which PostgreSQL refuses as NUL in text, and no invisible or direction-changing ones
 * that let "cute‮gpj.exe" pose as a photo).
 */
const fileName = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(LIMITS.maxFileNameChars, `must be at most ${LIMITS.maxFileNameChars} characters`)
  .refine((s) => !LONE_SURROGATE.test(s), 'must be well-formed Unicode')
  .pipe(visibleText);

/**
 * One item of `POST /photos`, as the article names its fields; the creator comes from the session.
 * Whatever it admits, both stores can hold, so one odd item fails alone instead of the batch.
 * zod's datetime already refuses impossible days (02-30) and hours (24:00, :60), which `Date` would roll over.
 */
export const photoMetaSchema = z.object({
  album_id: id,
  family_id: id,
  file_name: fileName,
  file_path: z.string().max(512).optional(),
  object_key: z.string().max(512).optional(),
  creator_uid: z.unknown().optional(),
  file_type: z.enum(['image', 'video']),
  // Safe integers only (zod's int): beyond 2^53 a size is not the number the client meant.
  file_size: z.number().int().positive(),
  upload_time: z.iso
    .datetime({ offset: true })
    .refine((s) => {
      const ms = Date.parse(s);
      return ms >= EARLIEST_MS && ms <= LATEST_MS;
    }, 'must fall in the years 0001 to 9999 (UTC)')
    .optional(),
  hash_value: md5Hex,
}) satisfies z.ZodType<PhotoMeta>;
