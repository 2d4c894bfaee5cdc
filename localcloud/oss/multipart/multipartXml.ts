import { uriEncode } from '../../../oss-signer';
import { escapeXml } from '../ossError';
import type { PartRecord, UploadRecord } from './createMultipartStore';

/**
 * The XML answers of multipart upload, element for element as OSS documents them
 * (https://help.aliyun.com/en/oss/developer-reference/initiatemultipartupload, …/completemultipartupload,
 * …/listparts, …/listmultipartuploads). With `encoding-type=url` the keys are URL-encoded and
 * `<EncodingType>url</EncodingType>` says so.
 */
const XML_HEAD = '<?xml version="1.0" encoding="UTF-8"?>\n';

const keyText = (key: string, encodeUrl: boolean): string => escapeXml(encodeUrl ? uriEncode(key, true) : key);
const encodingType = (encodeUrl: boolean): string => (encodeUrl ? '<EncodingType>url</EncodingType>' : '');

export function initiateMultipartUploadXml(bucket: string, key: string, uploadId: string, encodeUrl: boolean): string {
  return (
    XML_HEAD +
    `<InitiateMultipartUploadResult>${encodingType(encodeUrl)}<Bucket>${escapeXml(bucket)}</Bucket>` +
    `<Key>${keyText(key, encodeUrl)}</Key><UploadId>${uploadId}</UploadId></InitiateMultipartUploadResult>`
  );
}

export function completeMultipartUploadXml(input: { location: string; bucket: string; key: string; etag: string; encodeUrl: boolean }): string {
  return (
    XML_HEAD +
    `<CompleteMultipartUploadResult>${encodingType(input.encodeUrl)}<Location>${escapeXml(input.location)}</Location>` +
    `<Bucket>${escapeXml(input.bucket)}</Bucket><Key>${keyText(input.key, input.encodeUrl)}</Key>` +
    `<ETag>"${input.etag}"</ETag></CompleteMultipartUploadResult>`
  );
}

export interface ListPartsPage {
  partNumberMarker: number;
  maxParts: number;
  parts: PartRecord[];
  truncated: boolean;
}

export function listPartsXml(bucket: string, upload: UploadRecord, page: ListPartsPage, encodeUrl: boolean): string {
  const last = page.parts[page.parts.length - 1];
  const parts = page.parts
    .map(
      (p) =>
        `<Part><PartNumber>${p.partNumber}</PartNumber><LastModified>${p.lastModified}</LastModified><ETag>"${p.etag}"</ETag>` +
        `<HashCrc64ecma>${p.crc64}</HashCrc64ecma><Size>${p.sizeBytes}</Size></Part>`,
    )
    .join('');
  return (
    XML_HEAD +
    `<ListPartsResult>${encodingType(encodeUrl)}<Bucket>${escapeXml(bucket)}</Bucket><Key>${keyText(upload.key, encodeUrl)}</Key>` +
    `<UploadId>${upload.uploadId}</UploadId><PartNumberMarker>${page.partNumberMarker}</PartNumberMarker>` +
    `<NextPartNumberMarker>${last ? last.partNumber : page.partNumberMarker}</NextPartNumberMarker>` +
    `<MaxParts>${page.maxParts}</MaxParts><IsTruncated>${page.truncated}</IsTruncated>${parts}</ListPartsResult>`
  );
}

export interface ListUploadsPage {
  prefix: string;
  delimiter: string;
  keyMarker: string;
  uploadIdMarker: string;
  maxUploads: number;
  uploads: UploadRecord[];
  commonPrefixes: string[];
  truncated: boolean;
  nextKeyMarker: string;
  nextUploadIdMarker: string;
}

export function listMultipartUploadsXml(bucket: string, page: ListUploadsPage, encodeUrl: boolean): string {
  const enc = (text: string) => keyText(text, encodeUrl);
  const uploads = page.uploads
    .map((u) => `<Upload><Key>${enc(u.key)}</Key><UploadId>${u.uploadId}</UploadId><StorageClass>Standard</StorageClass><Initiated>${u.initiated}</Initiated></Upload>`)
    .join('');
  const prefixes = page.commonPrefixes.map((p) => `<CommonPrefixes><Prefix>${enc(p)}</Prefix></CommonPrefixes>`).join('');
  return (
    XML_HEAD +
    `<ListMultipartUploadsResult>${encodingType(encodeUrl)}<Bucket>${escapeXml(bucket)}</Bucket>` +
    `<KeyMarker>${enc(page.keyMarker)}</KeyMarker><UploadIdMarker>${escapeXml(page.uploadIdMarker)}</UploadIdMarker>` +
    `<NextKeyMarker>${enc(page.nextKeyMarker)}</NextKeyMarker><NextUploadIdMarker>${escapeXml(page.nextUploadIdMarker)}</NextUploadIdMarker>` +
    `<Delimiter>${enc(page.delimiter)}</Delimiter><Prefix>${enc(page.prefix)}</Prefix><MaxUploads>${page.maxUploads}</MaxUploads>` +
    `<IsTruncated>${page.truncated}</IsTruncated>${uploads}${prefixes}</ListMultipartUploadsResult>`
  );
}
