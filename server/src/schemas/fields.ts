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

/** A short human name: trimmed, 1–64 characters, no control characters. */
export const displayName = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(LIMITS.maxNameChars, `must be at most ${LIMITS.maxNameChars} characters`)
  .refine((s) => !/[\u0000-\u001f\u007f]/.test(s), 'must not contain control characters');
