/**
 * An OSS error answer: status, code and message as Alibaba Cloud OSS sends them, plus optional
 * extra elements (`StringToSign`, `CanonicalRequest`, `Key`, …) placed in the XML body.
 * Codes and messages follow https://help.aliyun.com/en/oss/user-guide/ (the 0002-/0006- pages).
 */
export class OssError extends Error {
  readonly status: number;
  readonly code: string;
  readonly details: Record<string, string>;

  constructor(status: number, code: string, message: string, details: Record<string, string> = {}) {
    super(message);
    this.name = 'OssError';
    this.status = status;
    this.code = code;
    this.details = details;
  }
}

export function isOssError(err: unknown): err is OssError {
  return err instanceof OssError;
}

/** Escapes element text (never attributes): OSS keeps quotes literal, as in `Policy Condition failed: ["eq", …]`. */
export function escapeXml(text: string): string {
  return text.replace(/[<>&]/g, (ch) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;' })[ch] as string);
}

/** `<?xml …?>\n<Error><Code/><Message/><RequestId/><HostId/>…details</Error>`. */
export function ossErrorXml(err: OssError, requestId: string, hostId: string): string {
  const extra = Object.entries(err.details)
    .map(([name, value]) => `<${name}>${escapeXml(value)}</${name}>`)
    .join('');
  return (
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
    `<Error><Code>${escapeXml(err.code)}</Code><Message>${escapeXml(err.message)}</Message>` +
    `<RequestId>${escapeXml(requestId)}</RequestId><HostId>${escapeXml(hostId)}</HostId>${extra}</Error>`
  );
}

// The errors raised from more than one place, with OSS's own wording.

export const malformedPostRequest = (why?: string): OssError =>
  new OssError(400, 'MalformedPOSTRequest', `The body of your POST request is not well-formed multipart/form-data.${why ? ` ${why}` : ''}`);

export const invalidArgument = (message: string, details: Record<string, string> = {}): OssError =>
  new OssError(400, 'InvalidArgument', message, details);

export const invalidAccessKeyId = (accessKeyId: string): OssError =>
  new OssError(403, 'InvalidAccessKeyId', 'The OSS Access Key Id you provided does not exist in our records.', { OSSAccessKeyId: accessKeyId });

export const accessDenied = (message: string, details: Record<string, string> = {}): OssError =>
  new OssError(403, 'AccessDenied', message, details);

export const requestTimeTooSkewed = (requestTime: string, serverTime: Date): OssError =>
  new OssError(403, 'RequestTimeTooSkewed', 'The difference between the request time and the current time is too large.', {
    RequestTime: requestTime,
    ServerTime: serverTime.toISOString(),
  });

export const noSuchKey = (key: string): OssError => new OssError(404, 'NoSuchKey', 'The specified key does not exist.', { Key: key });

export const fileAlreadyExists = (key: string): OssError =>
  new OssError(409, 'FileAlreadyExists', 'The object you specified already exists and can not be overwritten.', { Key: key });
