import { uriEncode } from '../../oss-signer';
import type { StoredObject } from './createObjectStore';
import { escapeXml, invalidArgument } from './ossError';

export interface ListObjectsParams {
  prefix: string;
  marker: string;
  delimiter: string;
  maxKeys: number;
  encodeUrl: boolean;
}

export const LIST_QUERY_NAMES = ['prefix', 'marker', 'delimiter', 'max-keys', 'encoding-type'] as const;

export function listObjectsParams(query: Record<string, string>): ListObjectsParams {
  const maxKeysText = query['max-keys'] ?? '100';
  const maxKeys = Number(maxKeysText);
  if (!/^\d+$/.test(maxKeysText) || maxKeys < 1 || maxKeys > 1000) throw invalidArgument('max-keys must be an integer from 1 to 1000.');
  return {
    prefix: query.prefix ?? '',
    marker: query.marker ?? '',
    delimiter: query.delimiter ?? '',
    maxKeys,
    encodeUrl: query['encoding-type'] === 'url',
  };
}

/**
 * OSS lists LastModified at whole seconds (`2024-01-15T08:30:00.000Z`); oss2's parser accepts
 * nothing else, while the store keeps the commit time to the millisecond.
 */
function wholeSeconds(iso: string): string {
  return new Date(Math.floor(Date.parse(iso) / 1000) * 1000).toISOString();
}

/** OSS orders keys by their UTF-8 bytes. */
const utf8Compare = (a: string, b: string): number => Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));

/**
 * ListObjects (V1) over `objects` (sorted by key): prefix, marker, delimiter (CommonPrefixes) and
 * max-keys, enough for health checks and debugging the local bucket.
 */
export function listObjectsXml(bucket: string, objects: readonly StoredObject[], params: ListObjectsParams): string {
  const enc = (text: string) => escapeXml(params.encodeUrl ? uriEncode(text, true) : text);
  const contents: StoredObject[] = [];
  const prefixes: string[] = [];
  let truncated = false;
  let lastKey = '';
  for (const object of objects) {
    if (!object.key.startsWith(params.prefix) || utf8Compare(object.key, params.marker) <= 0) continue;
    let commonPrefix: string | undefined;
    if (params.delimiter) {
      const cut = object.key.indexOf(params.delimiter, params.prefix.length);
      if (cut >= 0) commonPrefix = object.key.slice(0, cut + params.delimiter.length);
    }
    if (commonPrefix !== undefined && (prefixes[prefixes.length - 1] === commonPrefix || utf8Compare(commonPrefix, params.marker) <= 0)) continue;
    if (contents.length + prefixes.length === params.maxKeys) {
      truncated = true;
      break;
    }
    if (commonPrefix !== undefined) {
      prefixes.push(commonPrefix);
      lastKey = commonPrefix;
    } else {
      contents.push(object);
      lastKey = object.key;
    }
  }
  const items = contents
    .map(
      (o) =>
        `<Contents><Key>${enc(o.key)}</Key><LastModified>${wholeSeconds(o.lastModified)}</LastModified><ETag>"${o.etag}"</ETag>` +
        `<Type>${o.objectType ?? 'Normal'}</Type><Size>${o.sizeBytes}</Size><StorageClass>Standard</StorageClass>` +
        // ali-oss's list() reads Owner.ID unconditionally.
        '<Owner><ID>local-cloud</ID><DisplayName>local-cloud</DisplayName></Owner></Contents>',
    )
    .join('');
  const common = prefixes.map((p) => `<CommonPrefixes><Prefix>${enc(p)}</Prefix></CommonPrefixes>`).join('');
  return (
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
    `<ListBucketResult><Name>${escapeXml(bucket)}</Name><Prefix>${enc(params.prefix)}</Prefix><Marker>${enc(params.marker)}</Marker>` +
    `<MaxKeys>${params.maxKeys}</MaxKeys><Delimiter>${enc(params.delimiter)}</Delimiter>` +
    (params.encodeUrl ? '<EncodingType>url</EncodingType>' : '') +
    `<IsTruncated>${truncated}</IsTruncated>${truncated ? `<NextMarker>${enc(lastKey)}</NextMarker>` : ''}${items}${common}</ListBucketResult>`
  );
}
