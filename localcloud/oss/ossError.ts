/**
 * An OSS error answer: status, code and message as Alibaba Cloud OSS sends them, plus optional
 * extra elements (`StringToSign`, `CanonicalRequest`, `Key`, …) placed in the XML body, and the
 * fine-grained error code (EC) OSS sends in `<EC>` and the `x-oss-ec` header
 * (https://www.alibabacloud.com/help/en/oss/user-guide/overview-14). Codes, messages and ECs
 * follow the per-EC pages at https://help.aliyun.com/en/oss/user-guide/<EC>. Where no page names
 * the EC for a cause, `ec` is left out rather than guessed.
 */
export class OssError extends Error {
  readonly status: number;
  readonly code: string;
  readonly details: Record<string, string>;
  readonly ec: string | undefined;

  constructor(status: number, code: string, message: string, details: Record<string, string> = {}, ec?: string) {
    super(message);
    this.name = 'OssError';
    this.status = status;
    this.code = code;
    this.details = details;
    this.ec = ec;
  }
}

export function isOssError(err: unknown): err is OssError {
  return err instanceof OssError;
}

/** Escapes element text (never attributes): OSS keeps quotes literal, as in `Policy Condition failed: ["eq", …]`. */
export function escapeXml(text: string): string {
  return text.replace(/[<>&]/g, (ch) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;' })[ch] as string);
}

/** `<?xml …?>\n<Error><Code/><Message/><RequestId/><HostId/>…details<EC/><RecommendDoc/></Error>`, in OSS's order. */
export function ossErrorXml(err: OssError, requestId: string, hostId: string): string {
  const extra = Object.entries(err.details)
    .map(([name, value]) => `<${name}>${escapeXml(value)}</${name}>`)
    .join('');
  const ec = err.ec ? `<EC>${escapeXml(err.ec)}</EC><RecommendDoc>https://api.aliyun.com/troubleshoot?q=${escapeXml(err.ec)}</RecommendDoc>` : '';
  return (
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
    `<Error><Code>${escapeXml(err.code)}</Code><Message>${escapeXml(err.message)}</Message>` +
    `<RequestId>${escapeXml(requestId)}</RequestId><HostId>${escapeXml(hostId)}</HostId>${extra}${ec}</Error>`
  );
}

// The errors raised from more than one place, with OSS's own wording.

export const malformedPostRequest = (why?: string): OssError =>
  new OssError(400, 'MalformedPOSTRequest', `The body of your POST request is not well-formed multipart/form-data.${why ? ` ${why}` : ''}`);

export const invalidArgument = (message: string, details: Record<string, string> = {}, ec?: string): OssError =>
  new OssError(400, 'InvalidArgument', message, details, ec);

export const invalidAccessKeyId = (accessKeyId: string, ec?: string): OssError =>
  new OssError(403, 'InvalidAccessKeyId', 'The OSS Access Key Id you provided does not exist in our records.', { OSSAccessKeyId: accessKeyId }, ec);

export const accessDenied = (message: string, details: Record<string, string> = {}, ec?: string): OssError =>
  new OssError(403, 'AccessDenied', message, details, ec);

/** `ec`: which of OSS's skew ECs applies depends on where the time came from (header, URL, form). */
export const requestTimeTooSkewed = (requestTime: string, serverTime: Date, ec?: string): OssError =>
  new OssError(
    403,
    'RequestTimeTooSkewed',
    'The difference between the request time and the current time is too large.',
    { RequestTime: requestTime, ServerTime: serverTime.toISOString() },
    ec,
  );

/** 0006-00000213: the server must receive the whole PostObject request before the policy's expiration. */
export const policyExpired = (): OssError => accessDenied('Invalid according to Policy: Policy expired.', {}, '0006-00000213');

export const noSuchKey = (key: string): OssError => new OssError(404, 'NoSuchKey', 'The specified key does not exist.', { Key: key }, '0026-00000001');

export const noSuchBucket = (bucket: string): OssError =>
  new OssError(404, 'NoSuchBucket', 'The specified bucket does not exist.', { BucketName: bucket }, '0015-00000101');

/** 0026-00000002: PutObject with `x-oss-forbid-overwrite: true` over an existing object. */
export const fileAlreadyExists = (key: string): OssError =>
  new OssError(409, 'FileAlreadyExists', 'The object you specified already exists and can not be overwritten.', { Key: key }, '0026-00000002');

/** What OSS answers for an operation it does not support; here, anything the emulator does not implement. No EC page names it. */
export const notImplemented = (what: string): OssError =>
  new OssError(501, 'NotImplemented', `A header or query you provided requested a function that is not implemented: ${what}.`);

export const internalError = (): OssError => new OssError(500, 'InternalError', 'We encountered an internal error. Please try again.');

/** A body that stopped arriving (S3 and OSS share the code and wording; no EC page names it). */
export const requestTimeout = (): OssError =>
  new OssError(400, 'RequestTimeout', 'Your socket connection to the server was not read from or written to within the timeout period.');
