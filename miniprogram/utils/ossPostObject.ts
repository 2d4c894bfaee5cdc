import { postObjectFormFields } from '@family-album/contract';
import { ClientError } from './clientError';
import type { OssUploadConfig } from '../../typings/api';
import { CancelledError } from './cancelToken';
import type { UploadProgressEvent } from './progress';
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
  return new Promise((resolve, reject) => {
    if (input.cancel?.cancelled) {
      reject(new CancelledError());
      return;
    }
    let settled = false;
    const settle = (fn: () => void) => {
      if (settled) return;
      settled = true;
      fn();
    };
    const task = input.wx.uploadFile({
      url: input.config.host,
      filePath: input.filePath,
      name: 'file',
      formData: postObjectFormFields(input.config, input.key, input.contentType),
      ...(input.timeoutMs ? { timeout: input.timeoutMs } : {}),
      success: (res) =>
        settle(() => {
          const outcome = classifyOssAnswer(res.statusCode, res.data);
          if (outcome instanceof OssPostError) reject(outcome);
          else resolve(outcome);
        }),
      fail: (err) =>
        settle(() => {
          if (input.cancel?.cancelled) {
            reject(new CancelledError());
            return;
          }
          const errMsg = String(err?.errMsg ?? 'uploadFile failed');
          reject(new OssPostError(0, /time ?out/i.test(errMsg) ? 'timeout' : 'network_error', errMsg, err));
        }),
    });
    // Android keeps reporting after success: progress counts only while the upload is open.
    task?.onProgressUpdate?.((event) => {
      if (!settled) input.onProgress?.(event);
    });
    input.cancel?.onCancel(() => {
      if (settled) return;
      task?.abort?.();
      // Some clients never call `fail` after abort: settle here so the pool's slot is given back.
      settle(() => reject(new CancelledError()));
    });
  });
}
