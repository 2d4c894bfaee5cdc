import { MULTIPART } from '@family-album/contract';
import { ClientError } from './clientError';
import { xmlField } from './ossPostObject';
import { settleWxTask } from './settleWxTask';
import type { CancelToken, WxApi } from './types';

/** A part PUT that failed: OSS's code when it answered, `network_error`/`timeout` when it did not. */
export class PartUploadError extends ClientError {}

/** The part's presigned URL has expired: sign it again (not a failed attempt). */
export class PartUrlExpiredError extends PartUploadError {
  constructor(message: string) {
    super(403, 'part_url_expired', message, undefined, true);
  }
}

export interface PutPartInput {
  wx: WxApi;
  url: string;
  body: ArrayBuffer;
  timeoutMs: number;
  cancel?: CancelToken;
}

/**
 * One part, `wx.request` `PUT` with the bytes as an ArrayBuffer to its presigned URL
 * (https://developers.weixin.qq.com/miniprogram/dev/api/network/request/wx.request.html: data may be
 * an ArrayBuffer, PUT is a method). wx.request sends `content-type: application/json` unless told
 * otherwise, and OSS's V4 signature covers content-type whenever a request carries one, so the part
 * URL is signed for `MULTIPART.partContentType` and the part is sent with exactly that
 * (https://help.aliyun.com/zh/oss/developer-reference/add-signatures-to-urls). Resolves with the
 * part's ETag; rejects with a `PartUploadError`, or `CancelledError` once the token fires (the task
 * is aborted, so its network slot is freed at once).
 */
export function putPart(input: PutPartInput): Promise<string> {
  const noAnswer = (code: string, errMsg: string, cause: unknown) => new PartUploadError(0, code, errMsg, cause);
  return settleWxTask<string>({ cancel: input.cancel, fallbackErrMsg: 'request failed', noAnswer }, ({ answered, failed }) =>
    input.wx.request({
      url: input.url,
      method: 'PUT',
      data: input.body,
      header: { 'content-type': MULTIPART.partContentType },
      dataType: 'text',
      responseType: 'text',
      timeout: input.timeoutMs,
      success: (res) =>
        answered(() => {
          const text = typeof res.data === 'string' ? res.data : '';
          if (res.statusCode === 200) {
            const header = res.header as Record<string, string> | undefined;
            const etag = Object.entries(header ?? {}).find(([name]) => name.toLowerCase() === 'etag')?.[1] ?? '';
            return String(etag);
          }
          const code = xmlField(text, 'Code') ?? `http_${res.statusCode}`;
          const message = xmlField(text, 'Message') ?? `OSS answered HTTP ${res.statusCode}`;
          if (res.statusCode === 403 && /Request has expired/i.test(message)) throw new PartUrlExpiredError(message);
          throw new PartUploadError(res.statusCode, code, message, text);
        }),
      fail: failed,
    }),
  );
}
