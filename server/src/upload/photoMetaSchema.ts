import { z } from 'zod';
import type { PhotoMeta } from '../../../typings';
import { fileName, id, md5Hex, storableInstant } from '../schemas/fields';

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
  upload_time: storableInstant.optional(),
  hash_value: md5Hex,
}) satisfies z.ZodType<PhotoMeta>;
