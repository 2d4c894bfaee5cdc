/**
 * The XML of OSS's multipart operations, built and read as documented
 * (https://help.aliyun.com/zh/oss/developer-reference/initiatemultipartupload,
 * …/completemultipartupload, …/listparts). Only the elements the server uses are read.
 */

export interface ListedPart {
  partNumber: number;
  /** As OSS lists it, without quotes (upper-case hex MD5 of the part). */
  etag: string;
  sizeBytes: number;
}

export interface ListPartsPage {
  parts: ListedPart[];
  isTruncated: boolean;
  nextPartNumberMarker: number;
}

const unescapeXml = (text: string) =>
  text.replace(/&(lt|gt|quot|apos|amp);/g, (_, entity: string) => ({ lt: '<', gt: '>', quot: '"', apos: "'", amp: '&' })[entity] as string);

const escapeXml = (text: string) => text.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c] as string);

function element(xml: string, name: string): string | undefined {
  const m = new RegExp(`<${name}>([^<]*)</${name}>`).exec(xml);
  return m ? unescapeXml(m[1]) : undefined;
}

export function parseInitiateResult(xml: string): string {
  const uploadId = element(xml, 'UploadId');
  if (!uploadId) throw new Error('InitiateMultipartUpload answered no UploadId');
  return uploadId;
}

export function parseListParts(xml: string): ListPartsPage {
  const parts = [...xml.matchAll(/<Part>([\s\S]*?)<\/Part>/g)].map(([, body]) => ({
    partNumber: Number(element(body, 'PartNumber')),
    etag: (element(body, 'ETag') ?? '').replace(/"/g, ''),
    sizeBytes: Number(element(body, 'Size')),
  }));
  if (parts.some((p) => !Number.isInteger(p.partNumber) || !Number.isFinite(p.sizeBytes))) throw new Error('ListParts answered a malformed part');
  return { parts, isTruncated: element(xml, 'IsTruncated') === 'true', nextPartNumberMarker: Number(element(xml, 'NextPartNumberMarker') ?? 0) };
}

/** The body of CompleteMultipartUpload: every part, ascending, with the ETag OSS gave it. */
export function completeMultipartXml(parts: readonly ListedPart[]): string {
  const items = parts.map((p) => `<Part><PartNumber>${p.partNumber}</PartNumber><ETag>"${escapeXml(p.etag)}"</ETag></Part>`).join('');
  return `<?xml version="1.0" encoding="UTF-8"?>\n<CompleteMultipartUpload>${items}</CompleteMultipartUpload>`;
}
