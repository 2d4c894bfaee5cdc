/**
 * The emulator must accept requests exactly as the official vectors sign them
 * (docs/reference/oss-v4.md), built here from the expected strings, not from our signer.
 */
import { OssError } from './ossError';
import { verifyRequestAuth, RequestAuthInput } from './verifyRequestAuth';

const unix = (seconds: number) => new Date(seconds * 1000);
const query = { param1: 'value1', '+param1': 'value3', '|param1': 'value4', '+param2': '', '|param2': '', param2: '' };
const wireHeaders = { 'x-oss-head1': 'value', abc: 'value', zabc: 'value', xyz: 'value' };
const secretFor = (accessKeyId: string) => {
  if (accessKeyId !== 'ak') throw new OssError(403, 'InvalidAccessKeyId', 'unknown');
  return 'sk';
};
const base = { method: 'PUT', bucket: 'bucket', key: '1234+-/123/1.txt', region: 'cn-hangzhou', secretFor };

function headerRequest(at: number, xOssDate: string, authorization: string, extra: Record<string, string> = {}): RequestAuthInput {
  return {
    ...base,
    query,
    now: unix(at),
    headers: { ...wireHeaders, 'content-type': 'text/plain', 'x-oss-content-sha256': 'UNSIGNED-PAYLOAD', 'x-oss-date': xOssDate, authorization, ...extra },
  };
}

const vector1 = () =>
  headerRequest(
    1702743657,
    '20231216T162057Z',
    'OSS4-HMAC-SHA256 Credential=ak/20231216/cn-hangzhou/oss/aliyun_v4_request,Signature=e21d18daa82167720f9b1047ae7e7f1ce7cb77a31e8203a7d5f4624fa0284afe',
  );

function presigned(at: number, xOssDate: string, signature: string, extra: Record<string, string> = {}, now = unix(at)): RequestAuthInput {
  return {
    ...base,
    now,
    headers: { ...wireHeaders, 'content-type': 'application/octet-stream' },
    query: {
      ...query,
      'x-oss-signature-version': 'OSS4-HMAC-SHA256',
      'x-oss-credential': `ak/${xOssDate.slice(0, 8)}/cn-hangzhou/oss/aliyun_v4_request`,
      'x-oss-date': xOssDate,
      'x-oss-expires': '599',
      ...extra,
      'x-oss-signature': signature,
    },
  };
}

describe('verifyRequestAuth accepts the official vectors', () => {
  test('#1 header', () => {
    expect(verifyRequestAuth(vector1())).toEqual({ accessKeyId: 'ak', via: 'header' });
  });

  test('#2 header with a security token', () => {
    const input = headerRequest(
      1702784856,
      '20231217T034736Z',
      'OSS4-HMAC-SHA256 Credential=ak/20231217/cn-hangzhou/oss/aliyun_v4_request,Signature=b94a3f999cf85bcdc00d332fbd3734ba03e48382c36fa4d5af5df817395bd9ea',
      { 'x-oss-security-token': 'token' },
    );
    const tokens: Array<string | undefined> = [];
    expect(verifyRequestAuth({ ...input, secretFor: (id, token) => (tokens.push(token), secretFor(id)) }).accessKeyId).toBe('ak');
    expect(tokens).toEqual(['token']);
  });

  test('#3 header with additional headers', () => {
    const input = headerRequest(
      1702747512,
      '20231216T172512Z',
      'OSS4-HMAC-SHA256 Credential=ak/20231216/cn-hangzhou/oss/aliyun_v4_request,AdditionalHeaders=abc;zabc,Signature=4a4183c187c07c8947db7620deb0a6b38d9fbdd34187b6dbaccb316fa251212f',
    );
    expect(verifyRequestAuth(input).via).toBe('header');
  });

  test('#4, #5, #6 presigned', () => {
    expect(verifyRequestAuth(presigned(1702781677, '20231217T025437Z', 'a39966c61718be0d5b14e668088b3fa07601033f6518ac7b523100014269c0fe')).via).toBe('presigned');
    expect(
      verifyRequestAuth(presigned(1702785388, '20231217T035628Z', '3817ac9d206cd6dfc90f1c09c00be45005602e55898f26f5ddb06d7892e1f8b5', { 'x-oss-security-token': 'token' })).via,
    ).toBe('presigned');
    expect(
      verifyRequestAuth(presigned(1702783809, '20231217T033009Z', '6bd984bfe531afb6db1f7550983a741b103a8c58e5e14f83ea474c2322dfa2b7', { 'x-oss-additional-headers': 'abc;zabc' })).via,
    ).toBe('presigned');
  });
});

describe('verifyRequestAuth refuses', () => {
  const expectOssError = (fn: () => unknown, status: number, code: string) => {
    expect(fn).toThrow(expect.objectContaining({ status, code }));
  };

  test('a changed signature, header, query parameter or key, showing the canonical request', () => {
    const v = vector1();
    try {
      verifyRequestAuth({ ...v, headers: { ...v.headers, 'x-oss-head1': 'other' } });
      throw new Error('accepted');
    } catch (err) {
      expect(err).toMatchObject({ status: 403, code: 'SignatureDoesNotMatch' });
      expect((err as OssError).details.CanonicalRequest).toContain('x-oss-head1:other\n');
    }
    expectOssError(() => verifyRequestAuth({ ...v, headers: { ...v.headers, authorization: v.headers.authorization.replace(/e$/, 'f') } }), 403, 'SignatureDoesNotMatch');
    expectOssError(() => verifyRequestAuth({ ...v, query: { ...v.query, param1: 'changed' } }), 403, 'SignatureDoesNotMatch');
    expectOssError(() => verifyRequestAuth({ ...v, key: '1234+-/123/2.txt' }), 403, 'SignatureDoesNotMatch');
    expectOssError(() => verifyRequestAuth({ ...v, method: 'GET' }), 403, 'SignatureDoesNotMatch');
  });

  test('an unknown key id, as the resolver says', () => {
    const v = vector1();
    expectOssError(() => verifyRequestAuth({ ...v, headers: { ...v.headers, authorization: v.headers.authorization.replace('Credential=ak/', 'Credential=nobody/') } }), 403, 'InvalidAccessKeyId');
  });

  test('another region or a scope date that is not the x-oss-date', () => {
    const v = vector1();
    expectOssError(() => verifyRequestAuth({ ...v, region: 'cn-beijing' }), 400, 'InvalidArgument');
    expectOssError(() => verifyRequestAuth({ ...v, headers: { ...v.headers, authorization: v.headers.authorization.replace('20231216', '20231215') } }), 400, 'InvalidArgument');
  });

  test('a clock more than 15 minutes off', () => {
    expectOssError(() => verifyRequestAuth({ ...vector1(), now: unix(1702743657 + 16 * 60) }), 403, 'RequestTimeTooSkewed');
    expectOssError(() => verifyRequestAuth({ ...vector1(), now: unix(1702743657 - 16 * 60) }), 403, 'RequestTimeTooSkewed');
    expect(verifyRequestAuth({ ...vector1(), now: unix(1702743657 + 14 * 60) }).via).toBe('header');
  });

  test('an expired presigned URL; an over-long or malformed expiry', () => {
    const signature = 'a39966c61718be0d5b14e668088b3fa07601033f6518ac7b523100014269c0fe';
    expect(verifyRequestAuth(presigned(1702781677, '20231217T025437Z', signature, {}, unix(1702781677 + 599))).via).toBe('presigned');
    try {
      verifyRequestAuth(presigned(1702781677, '20231217T025437Z', signature, {}, unix(1702781677 + 600)));
      throw new Error('accepted');
    } catch (err) {
      expect(err).toMatchObject({ status: 403, code: 'AccessDenied', message: 'Request has expired.' });
    }
    expectOssError(() => verifyRequestAuth(presigned(1702781677, '20231217T025437Z', signature, { 'x-oss-expires': '604801' })), 400, 'InvalidArgument');
    expectOssError(() => verifyRequestAuth(presigned(1702781677, '20231217T025437Z', signature, { 'x-oss-expires': '1e3' })), 400, 'InvalidArgument');
  });

  test('anonymous requests and V1 signatures', () => {
    expectOssError(() => verifyRequestAuth({ ...base, query: {}, headers: {}, now: unix(0) }), 403, 'AccessDenied');
    expectOssError(() => verifyRequestAuth({ ...base, query: {}, headers: { authorization: 'OSS ak:c2lnbmF0dXJl' }, now: unix(0) }), 400, 'InvalidArgument');
  });
});
