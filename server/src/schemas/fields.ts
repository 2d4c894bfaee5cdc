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
