import { rm } from 'node:fs/promises';
import { OssError } from './ossError';
import type { TempFile } from './streamToTempFile';

/** A body whose MD5 is not the `Content-MD5` sent is InvalidDigest (0017-00000503), and its temp file goes. */
export async function checkContentMd5(temp: TempFile, contentMd5: string | undefined): Promise<void> {
  if (contentMd5 === undefined || contentMd5 === Buffer.from(temp.md5Hex, 'hex').toString('base64')) return;
  await rm(temp.path, { force: true });
  throw new OssError(400, 'InvalidDigest', 'The Content-MD5 you specified was invalid.', { 'Content-MD5': contentMd5 }, '0017-00000503');
}
