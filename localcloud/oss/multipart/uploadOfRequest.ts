import type { HandlerContext, HandlerRequest } from '../handlerContext';
import type { UploadRecord } from './createMultipartStore';
import { noSuchUpload } from './multipartErrors';

/** An upload id names one key: used with another key it is NoSuchUpload, as an unknown id is. */
export function requireUploadOfKey(upload: UploadRecord, key: string): UploadRecord {
  if (upload.key !== key) throw noSuchUpload(upload.uploadId, '0042-00000002');
  return upload;
}

/** The upload the request names, or NoSuchUpload. */
export async function uploadOfRequest(ctx: HandlerContext, request: HandlerRequest): Promise<UploadRecord> {
  const uploadId = request.query.uploadId ?? '';
  return requireUploadOfKey(await ctx.multipart.get(request.bucket, uploadId), request.key);
}

export const isTrue = (value: string | undefined): boolean => (value ?? '').toLowerCase() === 'true';

export function sendXml(request: HandlerRequest, xml: string, headers: Record<string, string> = {}): void {
  request.res.writeHead(200, { ...headers, 'Content-Type': 'application/xml', 'Content-Length': String(Buffer.byteLength(xml)) });
  request.res.end(xml);
}
