import { createHash } from 'node:crypto';
import { entityTooSmall, invalidPart, invalidPartNumber, invalidPartOrder, malformedXml } from './multipartErrors';

/**
 * Part rules of OSS multipart upload
 * (https://help.aliyun.com/en/oss/developer-reference/completemultipartupload,
 * https://help.aliyun.com/en/oss/developer-reference/uploadpart): part numbers 1–10,000; every
 * part but the last at least 100 KB, checked only at completion (OSS cannot tell the last part
 * before then); the listed parts in ascending order, each present with the listed ETag.
 */
export const MIN_PART_BYTES = 100 * 1024;
export const MAX_PART_NUMBER = 10_000;

export function parsePartNumber(text: string): number {
  const n = Number(text);
  if (!/^\d{1,5}$/.test(text) || n < 1 || n > MAX_PART_NUMBER) throw invalidPartNumber(text);
  return n;
}

/** A part as the complete request lists it. */
export interface ListedPart {
  partNumber: number;
  etag: string;
}

/** A part as the emulator holds it. `etag`: upper-case hex MD5 without quotes. */
export interface HeldPart {
  partNumber: number;
  etag: string;
  sizeBytes: number;
}

/** `"ABC"`, `ABC` and `abc` name the same ETag. */
const bareEtag = (etag: string): string => etag.trim().replace(/^"|"$/g, '').toUpperCase();

/**
 * The held parts the object is assembled from, in order, or the error OSS answers: the order is
 * checked first (0042-00000209), then each part's existence and ETag, then the sizes
 * (0042-00000213), so a request with several faults gets the answer OSS gives first.
 */
export function selectCompleteParts<P extends HeldPart>(uploadId: string, listed: readonly ListedPart[], held: ReadonlyMap<number, P>): P[] {
  if (listed.length === 0) throw malformedXml('The part list is empty.');
  for (let i = 1; i < listed.length; i += 1) {
    if (listed[i].partNumber <= listed[i - 1].partNumber) throw invalidPartOrder();
  }
  const selected = listed.map((want) => {
    const part = want.partNumber >= 1 && want.partNumber <= MAX_PART_NUMBER ? held.get(want.partNumber) : undefined;
    if (!part || part.etag !== bareEtag(want.etag)) throw invalidPart(uploadId, want.partNumber, want.etag);
    return part;
  });
  selected.slice(0, -1).forEach((part) => {
    if (part.sizeBytes < MIN_PART_BYTES) throw entityTooSmall(part.partNumber, part.sizeBytes, MIN_PART_BYTES);
  });
  return selected;
}

/**
 * The ETag of a completed multipart object: the upper-case hex MD5 of the parts' binary MD5s
 * concatenated, then `-<part count>`. OSS documents only that it is "generated based on specific
 * rules, not the MD5 value of the object content" (the InvalidPart page above); this is the rule
 * S3 and OSS share, so a client never mistakes it for the content's MD5.
 */
export function multipartEtag(partMd5sHex: readonly string[]): string {
  const md5 = createHash('md5');
  for (const hex of partMd5sHex) md5.update(Buffer.from(hex, 'hex'));
  return `${md5.digest('hex').toUpperCase()}-${partMd5sHex.length}`;
}
