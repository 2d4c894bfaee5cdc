import { postObjectFormFields } from '@family-album/contract';
import { ClientError } from './clientError';
import type { OssUploadConfig } from '../../typings/api';
import type { UploadProgressEvent } from './progress';
import { settleWxTask } from './settleWxTask';
import type { CancelToken, WxApi } from './types';

/** OSS refused or never answered a PostObject. `status` 0: no answer (network, timeout). */
export class OssPostError extends ClientError {}

/** The policy (or the STS token inside it) expired: fetch a new one and try again, once. */
export class PolicyExpiredError extends OssPostError {
  constructor(code: string, message: string) {
    super(403, code, message);
  }
}

export interface PostObjectInput {
  wx: WxApi;
  config: OssUploadConfig;
  /** `families/<familyId>/<md5>.<ext>`. */
  key: string;
  filePath: string;
  contentType: string;
  timeoutMs?: number;
  cancel?: CancelToken;
  onProgress?: (event: UploadProgressEvent) => void;
}

export type PostObjectOutcome = { status: number; alreadyExisted: boolean };

export function xmlField(body: string, name: string): string | undefined {
  const m = new RegExp(`<${name}>([^<]*)</${name}>`).exec(body);
  return m ? m[1] : undefined;
}

/** What an OSS answer means for the upload: done, or an error saying whether to retry or to refresh the policy. */
export function classifyOssAnswer(statusCode: number, body: unknown): PostObjectOutcome | OssPostError {
  const text = typeof body === 'string' ? body : '';
  const code = xmlField(text, 'Code') ?? `http_${statusCode}`;
  const message = xmlField(text, 'Message') ?? `OSS answered HTTP ${statusCode}`;
  if (statusCode === 200 || statusCode === 204 || statusCode === 201) return { status: statusCode, alreadyExisted: false };
  // Keys are content-addressed: an object already at this key holds these very bytes.
  if (statusCode === 409 && code === 'FileAlreadyExists') return { status: statusCode, alreadyExisted: true };
  if (statusCode === 403 && (/Policy expired|Request has expired/i.test(text) || code === 'SecurityTokenExpired')) return new PolicyExpiredError(code, message);
  return new OssPostError(statusCode, code, message, text);
}

/**
 * One `wx.uploadFile` straight to the bucket. Always settles: with the outcome, an `OssPostError`,
 * or `CancelledError` once the token fires (the task is aborted, so its network slot is freed).
 */
export function postObject(input: PostObjectInput): Promise<PostObjectOutcome> {
  const noAnswer = (code: string, errMsg: string, cause: unknown) => new OssPostError(0, code, errMsg, cause);
  return settleWxTask<PostObjectOutcome>({ cancel: input.cancel, fallbackErrMsg: 'uploadFile failed', noAnswer }, ({ answered, failed, isSettled }) => {
    const task = input.wx.uploadFile({
      url: input.config.host,
      filePath: input.filePath,
      name: 'file',
      formData: postObjectFormFields(input.config, input.key, input.contentType),
      ...(input.timeoutMs ? { timeout: input.timeoutMs } : {}),
      success: (res) =>
        answered(() => {
          const outcome = classifyOssAnswer(res.statusCode, res.data);
          if (outcome instanceof OssPostError) throw outcome;
          return outcome;
        }),
      fail: failed,
    });
    // Android keeps reporting after success: progress counts only while the upload is open.
    task?.onProgressUpdate?.((event) => {
      if (!isSettled()) input.onProgress?.(event);
    });
    return task;
  });
}
