import { invalidArgument } from '../ossError';
import type { PartRecord, UploadRecord } from './createMultipartStore';
import type { ListPartsPage, ListUploadsPage } from './multipartXml';

/** OSS answers at most 1,000 parts or uploads a page, and 1,000 by default. */
export const MAX_PAGE = 1000;

function pageSize(query: Record<string, string>, name: string): number {
  const text = query[name] ?? String(MAX_PAGE);
  const n = Number(text);
  if (!/^\d+$/.test(text) || n < 1 || n > MAX_PAGE) throw invalidArgument(`${name} must be an integer from 1 to ${MAX_PAGE}.`, { ArgumentName: name, ArgumentValue: text });
  return n;
}

/** ListParts: parts (sorted by number) after `part-number-marker`, `max-parts` of them. */
export function listPartsPage(parts: readonly PartRecord[], query: Record<string, string>): ListPartsPage {
  const maxParts = pageSize(query, 'max-parts');
  const markerText = query['part-number-marker'] ?? '0';
  if (!/^\d+$/.test(markerText)) throw invalidArgument('part-number-marker must be an integer.', { ArgumentName: 'part-number-marker', ArgumentValue: markerText });
  const partNumberMarker = Number(markerText);
  const after = parts.filter((p) => p.partNumber > partNumberMarker);
  return { partNumberMarker, maxParts, parts: after.slice(0, maxParts), truncated: after.length > maxParts };
}

/** OSS orders keys by their UTF-8 bytes. */
const utf8Compare = (a: string, b: string): number => Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));

/** Uploads by key, then by upload id (ours grow with the initiation time, as S3 and OSS order them). */
export function compareUploads(a: UploadRecord, b: UploadRecord): number {
  return utf8Compare(a.key, b.key) || (a.uploadId < b.uploadId ? -1 : a.uploadId > b.uploadId ? 1 : 0);
}

/**
 * ListMultipartUploads: uploads (sorted by compareUploads) under `prefix`, after `key-marker`
 * (and, for that key, after `upload-id-marker`), grouped by `delimiter` into CommonPrefixes,
 * `max-uploads` entries in all. Same marker rules as S3's ListMultipartUploads.
 */
export function listUploadsPage(uploads: readonly UploadRecord[], query: Record<string, string>): ListUploadsPage {
  const maxUploads = pageSize(query, 'max-uploads');
  const prefix = query.prefix ?? '';
  const delimiter = query.delimiter ?? '';
  const keyMarker = query['key-marker'] ?? '';
  const uploadIdMarker = keyMarker ? (query['upload-id-marker'] ?? '') : '';
  const listed: UploadRecord[] = [];
  const commonPrefixes: string[] = [];
  let truncated = false;
  let nextKeyMarker = '';
  let nextUploadIdMarker = '';
  for (const upload of uploads) {
    if (!upload.key.startsWith(prefix)) continue;
    const vsMarker = utf8Compare(upload.key, keyMarker);
    if (keyMarker && (vsMarker < 0 || (vsMarker === 0 && (!uploadIdMarker || upload.uploadId <= uploadIdMarker)))) continue;
    let commonPrefix: string | undefined;
    if (delimiter) {
      const cut = upload.key.indexOf(delimiter, prefix.length);
      if (cut >= 0) commonPrefix = upload.key.slice(0, cut + delimiter.length);
    }
    if (commonPrefix !== undefined && commonPrefixes[commonPrefixes.length - 1] === commonPrefix) continue;
    if (commonPrefix !== undefined && keyMarker && utf8Compare(commonPrefix, keyMarker) <= 0) continue;
    if (listed.length + commonPrefixes.length === maxUploads) {
      truncated = true;
      break;
    }
    if (commonPrefix !== undefined) {
      commonPrefixes.push(commonPrefix);
      nextKeyMarker = commonPrefix;
      nextUploadIdMarker = '';
    } else {
      listed.push(upload);
      nextKeyMarker = upload.key;
      nextUploadIdMarker = upload.uploadId;
    }
  }
  return { prefix, delimiter, keyMarker, uploadIdMarker, maxUploads, uploads: listed, commonPrefixes, truncated, nextKeyMarker, nextUploadIdMarker };
}
