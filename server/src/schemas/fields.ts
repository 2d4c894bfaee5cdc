import { z } from 'zod';
import { LIMITS } from '../../../typings';

/** Field schemas shared by the routes and the upload path: ids, hashes, names. */
const MAX_ID = Number.MAX_SAFE_INTEGER;

/** An id as JSON sends it: a positive integer, or its decimal text (query strings, path segments). */
export const id = z.union([
  z.number().int().positive().max(MAX_ID),
  z
    .string()
    .regex(/^[1-9]\d{0,15}$/, 'must be a positive integer id')
    .transform(Number)
    .pipe(z.number().max(MAX_ID)),
]);

/** Lower-case hex MD5. */
export const md5Hex = z.string().regex(/^[0-9a-f]{32}$/, 'must be a lower-case hex MD5');

/**
 * Characters that change how a name reads without being seen: bidi embeddings, overrides and
 * isolates (U+202A–202E, U+2066–2069), direction marks (U+200E, U+200F, U+061C) and zero-width
 * characters (U+200B, U+200C, U+2060, U+FEFF, U+180E). A name with them can pose as another
 * ("‮gpj.exe" shows as "exe.jpg"). ZWJ (U+200D) is refused too, except inside an emoji sequence
 * such as 👨‍👩‍👧, where it joins two pictographs.
 */
const INVISIBLE = /[\u202A-\u202E\u2066-\u2069\u200E\u200F\u061C\u200B\u200C\u2060\uFEFF\u180E]|(?<!\p{Extended_Pictographic}\uFE0F?)\u200D|\u200D(?!\p{Extended_Pictographic})/u;

/** A human name as shown to others: no control characters, no invisible or direction-changing ones. */
export const visibleText = z
  .string()
  .refine((s) => !/[\u0000-\u001f\u007f]/.test(s), 'must not contain control characters')
  .refine((s) => !INVISIBLE.test(s), 'must not contain invisible or text-direction characters');

/** A short human name (families, albums): trimmed, 1–64 characters, visible text only. */
export const displayName = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(LIMITS.maxNameChars, `must be at most ${LIMITS.maxNameChars} characters`)
  .pipe(visibleText);

/** An unpaired UTF-16 surrogate: the drivers would silently store U+FFFD in its place. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * A file name as recorded: trimmed, 1–255 characters, well-formed, visible text only (no control
 * characters, which PostgreSQL refuses as NUL in text, and no invisible or direction-changing ones
 * that let "cute‮gpj.exe" pose as a photo).
 */
export const fileName = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(LIMITS.maxFileNameChars, `must be at most ${LIMITS.maxFileNameChars} characters`)
  .refine((s) => !LONE_SURROGATE.test(s), 'must be well-formed Unicode')
  .pipe(visibleText);

/**
 * The instants both stores can hold: PostgreSQL's timestamptz has no year 0 and reads no
 * six-digit year (https://www.postgresql.org/docs/current/datatype-datetime.html), so an item's
 * time must fall in years 1–9999 once its offset is applied ("0001-01-01T00:00:00+14:00" is year 0
 * in UTC). SQLite keeps epoch milliseconds and would take anything; the rule is the narrower one.
 */
const EARLIEST_MS = Date.parse('0001-01-01T00:00:00.000Z');
const LATEST_MS = Date.parse('9999-12-31T23:59:59.999Z');

/** An ISO-8601 instant with its offset, inside what both stores can hold. */
export const storableInstant = z.iso.datetime({ offset: true }).refine((s) => {
  const ms = Date.parse(s);
  return ms >= EARLIEST_MS && ms <= LATEST_MS;
}, 'must fall in the years 0001 to 9999 (UTC)');
