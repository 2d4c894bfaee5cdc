import { CancelledError, createCancelToken } from './cancelToken';
import { classifyOssAnswer, OssPostError, PolicyExpiredError, postObject } from './ossPostObject';
import { flush } from '../../testkit/deferred';
import { createFakeWx } from '../../testkit/fakeWx';
import { policyFixture } from '../../testkit/fixtures';

const xml = (code: string, message: string) => `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message><RequestId>r</RequestId></Error>`;
const KEY = 'families/7/0123456789abcdef0123456789abcdef.jpg';

describe('classifyOssAnswer', () => {
  test('200 and 204 are done; 409 FileAlreadyExists is done too (same key, same bytes)', () => {
    expect(classifyOssAnswer(200, '')).toEqual({ status: 200, alreadyExisted: false });
    expect(classifyOssAnswer(204, '')).toEqual({ status: 204, alreadyExisted: false });
    expect(classifyOssAnswer(409, xml('FileAlreadyExists', 'The object you specified already exists and can not be overwritten.'))).toEqual({ status: 409, alreadyExisted: true });
  });

  test('403 "Policy expired", "Request has expired" or an expired STS token → PolicyExpiredError', () => {
    for (const body of [xml('AccessDenied', 'Invalid according to Policy: Policy expired.'), xml('AccessDenied', 'Request has expired.'), xml('SecurityTokenExpired', 'The security token you provided has expired.')]) {
      const e = classifyOssAnswer(403, body);
      expect(e).toBeInstanceOf(PolicyExpiredError);
      expect(e).toMatchObject({ status: 403, retryable: false });
    }
  });

  test('other 4xx are final; 5xx are retryable; codes and messages come from the XML', () => {
    const denied = classifyOssAnswer(403, xml('SignatureDoesNotMatch', 'no'));
    expect(denied).not.toBeInstanceOf(PolicyExpiredError);
    expect(denied).toMatchObject({ status: 403, code: 'SignatureDoesNotMatch', message: 'no', retryable: false });
    expect(classifyOssAnswer(409, xml('Other', 'x'))).toMatchObject({ code: 'Other', retryable: false });
    expect(classifyOssAnswer(400, xml('EntityTooLarge', 'big'))).toMatchObject({ code: 'EntityTooLarge', retryable: false });
    expect(classifyOssAnswer(503, xml('ServiceUnavailable', 'slow down'))).toMatchObject({ code: 'ServiceUnavailable', retryable: true });
    expect(classifyOssAnswer(502, 'Bad Gateway')).toMatchObject({ code: 'http_502', retryable: true });
  });
});

describe('postObject', () => {
  test('one wx.uploadFile to the host with the policy form, the timeout, and progress', async () => {
    const fake = createFakeWx();
    const config = policyFixture();
    const events: number[] = [];
    const done = postObject({ wx: fake.wx, config, key: KEY, filePath: 'http://tmp/a.jpg', contentType: 'image/jpeg', timeoutMs: 1234, onProgress: (e) => events.push(e.totalBytesSent) });
    expect(fake.uploads).toHaveLength(1);
    const call = fake.uploads[0];
    expect(call).toMatchObject({ url: config.host, filePath: 'http://tmp/a.jpg', name: 'file', timeout: 1234 });
    expect(call.formData).toEqual({
      key: KEY,
      policy: config.policy,
      'x-oss-signature-version': 'OSS4-HMAC-SHA256',
      'x-oss-credential': config.credential,
      'x-oss-date': config.date,
      'x-oss-signature': config.signature,
      'x-oss-security-token': config.security_token,
      success_action_status: '200',
      'Content-Type': 'image/jpeg',
      'x-oss-forbid-overwrite': 'true',
      'x-oss-object-acl': 'private',
    });
    call.progress({ progress: 50, totalBytesSent: 10, totalBytesExpectedToSend: 20 });
    call.respond(200);
    await expect(done).resolves.toEqual({ status: 200, alreadyExisted: false });
    // Android reports after success: not forwarded.
    call.progress({ progress: 100, totalBytesSent: 20, totalBytesExpectedToSend: 20 });
    expect(events).toEqual([10]);
  });

  test('network failures and timeouts are retryable errors with status 0', async () => {
    const fake = createFakeWx({ onUpload: (c) => c.fail(c.filePath === 't' ? 'uploadFile:fail timeout' : 'uploadFile:fail net::ERR_CONNECTION_RESET') });
    const base = { wx: fake.wx, config: policyFixture(), key: KEY, contentType: 'image/jpeg' };
    await expect(postObject({ ...base, filePath: 'n' })).rejects.toMatchObject({ status: 0, code: 'network_error', retryable: true });
    await expect(postObject({ ...base, filePath: 't' })).rejects.toMatchObject({ status: 0, code: 'timeout', retryable: true });
    const e = await postObject({ ...base, filePath: 'n' }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(OssPostError);
  });

  test('cancel aborts the task and settles with CancelledError; cancelled before → no upload at all', async () => {
    const fake = createFakeWx();
    const token = createCancelToken();
    const run = postObject({ wx: fake.wx, config: policyFixture(), key: KEY, filePath: 'a', contentType: 'image/jpeg', cancel: token });
    await flush();
    token.cancel();
    await expect(run).rejects.toBeInstanceOf(CancelledError);
    expect(fake.uploads[0].aborted).toBe(true);
    expect(fake.uploadsInFlight).toBe(0);
    await expect(postObject({ wx: fake.wx, config: policyFixture(), key: KEY, filePath: 'b', contentType: 'image/jpeg', cancel: token })).rejects.toBeInstanceOf(CancelledError);
    expect(fake.uploads).toHaveLength(1);
  });
});
