/**
 * The official V4 vectors (docs/reference/oss-v4.md; Go SDK v2 signer_test.go and Python
 * SDK v2 test_v4.py). Nobody here wrote these numbers.
 */
import {
  authorizationHeader,
  canonicalRequest,
  createSigningKeyCache,
  credentialScope,
  deriveSigningKey,
  formatOssDate,
  OssCredentials,
  parseOssDate,
  presignQuery,
  signPolicyText,
  signRequestHeaders,
} from './index';

const ak: OssCredentials = { accessKeyId: 'ak', accessKeySecret: 'sk' };
const akWithToken: OssCredentials = { ...ak, securityToken: 'token' };
const target = { bucket: 'bucket', key: '1234+-/123/1.txt', method: 'PUT' };
const query = { param1: 'value1', '+param1': 'value3', '|param1': 'value4', '+param2': '', '|param2': '', param2: '' };
const baseHeaders = { 'x-oss-head1': 'value', abc: 'value', ZAbc: 'value', XYZ: 'value' };
const headerCaseHeaders = { ...baseHeaders, 'content-type': 'text/plain', 'x-oss-content-sha256': 'UNSIGNED-PAYLOAD' };
const queryCaseHeaders = { ...baseHeaders, 'content-type': 'application/octet-stream' };
const region = 'cn-hangzhou';
const unix = (seconds: number) => new Date(seconds * 1000);

describe('POST policy vectors', () => {
  test('P1: STS credentials, the exact policy text', () => {
    const credentials = { accessKeyId: 'STS.NUgYrLnoC37mZZCNnAbez2xfx', accessKeySecret: 'sk-test-secret', securityToken: 'CAIS-fake-security-token==' };
    const policyText =
      '{"expiration":"2024-01-15T09:30:00.000Z","conditions":[{"bucket":"examplebucket"},{"x-oss-signature-version":"OSS4-HMAC-SHA256"},{"x-oss-credential":"STS.NUgYrLnoC37mZZCNnAbez2xfx/20240115/cn-hangzhou/oss/aliyun_v4_request"},{"x-oss-date":"20240115T083000Z"},{"x-oss-security-token":"CAIS-fake-security-token=="},["content-length-range",1,10485760],["starts-with","$key","uploads/u123/"],["eq","$success_action_status","200"]]}';
    const at = new Date('2024-01-15T08:30:00Z');
    expect(deriveSigningKey(credentials.accessKeySecret, '20240115', region).toString('hex')).toBe(
      '06787f46fb012d8a398632196010cc8b41cfa3f5305169d07a1045b6f1b8241f',
    );
    const fields = signPolicyText(policyText, credentials, region, at);
    expect(fields['x-oss-signature']).toBe('9e14d93cb3cecc03443d5e34ef21e9d03fef50b1c87a8db9e9bd3268e35a2680');
    expect(fields['x-oss-credential']).toBe('STS.NUgYrLnoC37mZZCNnAbez2xfx/20240115/cn-hangzhou/oss/aliyun_v4_request');
    expect(fields['x-oss-date']).toBe('20240115T083000Z');
    expect(fields['x-oss-security-token']).toBe('CAIS-fake-security-token==');
    expect(Buffer.from(fields.policy, 'base64').toString('utf8')).toBe(policyText);
  });

  test('P2: plain access key', () => {
    const policyText =
      '{"expiration":"2023-12-17T00:00:00.000Z","conditions":[{"bucket":"bucket"},{"x-oss-signature-version":"OSS4-HMAC-SHA256"},{"x-oss-credential":"ak/20231216/cn-hangzhou/oss/aliyun_v4_request"},{"x-oss-date":"20231216T162057Z"},["content-length-range",1,1024]]}';
    const fields = signPolicyText(policyText, ak, region, unix(1702743657));
    expect(fields['x-oss-signature']).toBe('3c0590702cc9608cdb587b011d36bd7b96b8c2e5ef8d66c3efbc894f3d1c0dc7');
    expect(fields['x-oss-security-token']).toBeUndefined();
  });
});

describe('header authorization vectors', () => {
  test('#1 canonical request, exactly', () => {
    const headers = { ...headerCaseHeaders, 'x-oss-date': formatOssDate(unix(1702743657)) };
    expect(canonicalRequest({ ...target, query, headers })).toBe(
      [
        'PUT',
        '/bucket/1234%2B-/123/1.txt',
        '%2Bparam1=value3&%2Bparam2&%7Cparam1=value4&%7Cparam2&param1=value1&param2',
        'content-type:text/plain',
        'x-oss-content-sha256:UNSIGNED-PAYLOAD',
        'x-oss-date:20231216T162057Z',
        'x-oss-head1:value',
        '',
        '',
        'UNSIGNED-PAYLOAD',
      ].join('\n'),
    );
  });

  test.each([
    {
      name: '#1',
      credentials: ak,
      at: 1702743657,
      additionalHeaders: [] as string[],
      expected:
        'OSS4-HMAC-SHA256 Credential=ak/20231216/cn-hangzhou/oss/aliyun_v4_request,Signature=e21d18daa82167720f9b1047ae7e7f1ce7cb77a31e8203a7d5f4624fa0284afe',
    },
    {
      name: '#2 with a security token',
      credentials: akWithToken,
      at: 1702784856,
      additionalHeaders: [],
      expected:
        'OSS4-HMAC-SHA256 Credential=ak/20231217/cn-hangzhou/oss/aliyun_v4_request,Signature=b94a3f999cf85bcdc00d332fbd3734ba03e48382c36fa4d5af5df817395bd9ea',
    },
    {
      name: '#3 with additional headers',
      credentials: ak,
      at: 1702747512,
      additionalHeaders: ['ZAbc', 'abc'],
      expected:
        'OSS4-HMAC-SHA256 Credential=ak/20231216/cn-hangzhou/oss/aliyun_v4_request,AdditionalHeaders=abc;zabc,Signature=4a4183c187c07c8947db7620deb0a6b38d9fbdd34187b6dbaccb316fa251212f',
    },
    {
      name: '#3 with additional headers that are absent or signed anyway',
      credentials: ak,
      at: 1702747512,
      additionalHeaders: ['x-oss-no-exist', 'ZAbc', 'x-oss-head1', 'abc'],
      expected:
        'OSS4-HMAC-SHA256 Credential=ak/20231216/cn-hangzhou/oss/aliyun_v4_request,AdditionalHeaders=abc;zabc,Signature=4a4183c187c07c8947db7620deb0a6b38d9fbdd34187b6dbaccb316fa251212f',
    },
  ])('$name', ({ credentials, at, additionalHeaders, expected }) => {
    const signed = signRequestHeaders({ ...target, query, headers: headerCaseHeaders, additionalHeaders, credentials, region, at: unix(at) });
    expect(signed.Authorization).toBe(expected);
    if (credentials.securityToken) expect(signed['x-oss-security-token']).toBe('token');
  });

  test('authorizationHeader over headers that already carry the date gives the same answer', () => {
    const at = unix(1702743657);
    const headers = { ...headerCaseHeaders, 'x-oss-date': formatOssDate(at) };
    expect(authorizationHeader({ ...target, query, headers, credentials: ak, region, at })).toContain(
      'Signature=e21d18daa82167720f9b1047ae7e7f1ce7cb77a31e8203a7d5f4624fa0284afe',
    );
  });
});

describe('presigned query vectors', () => {
  test.each([
    { name: '#4', credentials: ak, at: 1702781677, additionalHeaders: [] as string[], expected: 'a39966c61718be0d5b14e668088b3fa07601033f6518ac7b523100014269c0fe' },
    { name: '#5 with a security token', credentials: akWithToken, at: 1702785388, additionalHeaders: [], expected: '3817ac9d206cd6dfc90f1c09c00be45005602e55898f26f5ddb06d7892e1f8b5' },
    { name: '#6 with additional headers', credentials: ak, at: 1702783809, additionalHeaders: ['ZAbc', 'abc'], expected: '6bd984bfe531afb6db1f7550983a741b103a8c58e5e14f83ea474c2322dfa2b7' },
    {
      name: '#6 with additional headers that are absent or signed anyway',
      credentials: ak,
      at: 1702783809,
      additionalHeaders: ['x-oss-no-exist', 'abc', 'x-oss-head1', 'ZAbc'],
      expected: '6bd984bfe531afb6db1f7550983a741b103a8c58e5e14f83ea474c2322dfa2b7',
    },
  ])('$name', ({ credentials, at, additionalHeaders, expected }) => {
    const signed = presignQuery({ ...target, query, headers: queryCaseHeaders, additionalHeaders, credentials, region, at: unix(at), expiresInSec: 599 });
    expect(signed['x-oss-signature']).toBe(expected);
    expect(signed['x-oss-signature-version']).toBe('OSS4-HMAC-SHA256');
    expect(signed['x-oss-expires']).toBe('599');
    expect(signed['x-oss-date']).toBe(formatOssDate(unix(at)));
    expect(signed['x-oss-credential']).toBe(`ak/${formatOssDate(unix(at)).slice(0, 8)}/cn-hangzhou/oss/aliyun_v4_request`);
    expect(signed['x-oss-additional-headers']).toBe(additionalHeaders.length ? 'abc;zabc' : undefined);
    expect(signed['x-oss-security-token']).toBe(credentials.securityToken);
  });
});

describe('dates and scope', () => {
  test('x-oss-date round-trips and rejects other forms', () => {
    expect(formatOssDate(unix(1702743657))).toBe('20231216T162057Z');
    expect(parseOssDate('20231216T162057Z')).toEqual(unix(1702743657));
    for (const bad of ['', '2023-12-16T16:20:57Z', '20231216T162057', '20231332T000000Z', '20231216T246000Z']) {
      expect(parseOssDate(bad)).toBeUndefined();
    }
  });

  test('scope names the bare region and the oss service', () => {
    expect(credentialScope('20231216', 'cn-hangzhou')).toBe('20231216/cn-hangzhou/oss/aliyun_v4_request');
  });
});

describe('createSigningKeyCache', () => {
  test('answers as deriveSigningKey, and derives again when the secret, day or region changes', () => {
    const calls: string[] = [];
    const cache = createSigningKeyCache();
    const key = (secret: string, day: string, region: string) => {
      calls.push(`${secret}/${day}/${region}`);
      return cache(secret, day, region);
    };
    expect(key('sk-test-secret', '20240115', 'cn-hangzhou').toString('hex')).toBe('06787f46fb012d8a398632196010cc8b41cfa3f5305169d07a1045b6f1b8241f');
    expect(key('sk-test-secret', '20240115', 'cn-hangzhou')).toBe(cache('sk-test-secret', '20240115', 'cn-hangzhou'));
    expect(key('sk', '20240115', 'cn-hangzhou')).toEqual(deriveSigningKey('sk', '20240115', 'cn-hangzhou'));
    expect(key('sk', '20240116', 'cn-hangzhou')).toEqual(deriveSigningKey('sk', '20240116', 'cn-hangzhou'));
    expect(key('sk', '20240116', 'cn-shanghai')).toEqual(deriveSigningKey('sk', '20240116', 'cn-shanghai'));
    expect(calls).toHaveLength(5);
  });
});
