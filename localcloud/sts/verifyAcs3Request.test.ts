import { OpenApiUtil } from '@alicloud/openapi-core';
import { sha256Hex } from './acs3Signature';
import { parseAcsDate, verifyAcs3Request, type Acs3Request } from './verifyAcs3Request';

const keys: Record<string, string> = { AK1: 'secret-1' };
const context = { secretFor: (id: string) => keys[id], now: new Date('2024-01-15T08:30:00Z'), maxSkewSec: 900 };

/** A request signed by the SDK's own signer, then sent as Node would receive it. */
function signed(options: { query?: Record<string, string>; body?: string; date?: string; headers?: Record<string, string>; secret?: string } = {}): Acs3Request {
  const body = Buffer.from(options.body ?? '');
  const query = options.query ?? { RoleArn: 'acs:ram::1:role/r', RoleSessionName: 'a b*' };
  const headers: Record<string, string> = {
    host: '127.0.0.1:3002',
    'x-acs-action': 'AssumeRole',
    'x-acs-version': '2015-04-01',
    'x-acs-date': options.date ?? '2024-01-15T08:30:00Z',
    'x-acs-signature-nonce': 'n1',
    'x-acs-content-sha256': sha256Hex(body),
    ...options.headers,
  };
  headers.authorization = OpenApiUtil.getAuthorization(
    { method: 'POST', pathname: '/', query, headers } as unknown as Parameters<typeof OpenApiUtil.getAuthorization>[0],
    'ACS3-HMAC-SHA256',
    headers['x-acs-content-sha256'],
    'AK1',
    options.secret ?? 'secret-1',
  );
  return {
    method: 'POST',
    path: '/',
    rawQuery: new URLSearchParams(query).toString(),
    headers: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, [v]])),
    body,
  };
}

const codeOf = (request: Acs3Request, ctx = context) => {
  const result = verifyAcs3Request(request, ctx);
  return result.ok ? 'ok' : result.error.code;
};

describe('verifyAcs3Request', () => {
  test('accepts what the SDK signed, and returns the caller, decoded query, nonce and time', () => {
    const result = verifyAcs3Request(signed(), context);
    expect(result).toEqual({
      ok: true,
      accessKeyId: 'AK1',
      query: [
        ['RoleArn', 'acs:ram::1:role/r'],
        ['RoleSessionName', 'a b*'],
      ],
      nonce: 'n1',
      signedAt: new Date('2024-01-15T08:30:00Z'),
    });
  });

  test('rejects a wrong secret, showing what the server signed', () => {
    const result = verifyAcs3Request(signed({ secret: 'other' }), context);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.error).toMatchObject({ status: 400, code: 'SignatureDoesNotMatch' });
    expect(!result.ok && result.error.message).toContain('server CanonicalRequest is [POST\n/\nRoleArn=');
  });

  test('rejects a query parameter changed after signing', () => {
    const request = signed();
    expect(codeOf({ ...request, rawQuery: request.rawQuery.replace('role%2Fr', 'role%2Fs') })).toBe('SignatureDoesNotMatch');
    expect(codeOf({ ...request, rawQuery: `${request.rawQuery}&DurationSeconds=3600` })).toBe('SignatureDoesNotMatch');
  });

  test('rejects a body that is not the one hashed, and a hash header that lies', () => {
    const request = signed({ body: 'RoleSessionName=x', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(codeOf(request)).toBe('ok');
    expect(codeOf({ ...request, body: Buffer.from('RoleSessionName=y') })).toBe('SignatureDoesNotMatch');
  });

  test('rejects a signed header whose value changed, and an unsigned x-acs-* header', () => {
    const request = signed();
    expect(codeOf({ ...request, headers: { ...request.headers, 'x-acs-action': ['GetCallerIdentity'] } })).toBe('SignatureDoesNotMatch');
    expect(codeOf({ ...request, headers: { ...request.headers, 'x-acs-security-token': ['t'] } })).toBe('IncompleteSignature');
    expect(codeOf({ ...request, headers: { ...request.headers, host: ['evil.example:80'] } })).toBe('SignatureDoesNotMatch');
  });

  test('rejects an unknown access key with 404', () => {
    const request = signed();
    const auth = request.headers.authorization![0].replace('Credential=AK1', 'Credential=AK9');
    const result = verifyAcs3Request({ ...request, headers: { ...request.headers, authorization: [auth] } }, context);
    expect(!result.ok && result.error).toMatchObject({ status: 404, code: 'InvalidAccessKeyId.NotFound' });
  });

  test('rejects stale, future and malformed dates', () => {
    expect(codeOf(signed({ date: '2024-01-15T08:15:00Z' }))).toBe('ok');
    expect(codeOf(signed({ date: '2024-01-15T08:14:59Z' }))).toBe('InvalidTimeStamp.Expired');
    expect(codeOf(signed({ date: '2024-01-15T08:45:01Z' }))).toBe('InvalidTimeStamp.Expired');
    expect(codeOf(signed({ date: 'Mon, 15 Jan 2024 08:30:00 GMT' }))).toBe('InvalidTimeStamp.Format');
    expect(codeOf(signed({ date: '2024-01-15T08:14:59Z' }), { ...context, maxSkewSec: Infinity })).toBe('ok');
  });

  test('requires an Authorization header, the content hash header and a non-empty nonce', () => {
    const request = signed();
    const without = (name: string) => Object.fromEntries(Object.entries(request.headers).filter(([k]) => k !== name));
    expect(codeOf({ ...request, headers: without('authorization') })).toBe('IncompleteSignature');
    expect(codeOf({ ...request, headers: without('x-acs-content-sha256') })).toBe('IncompleteSignature');
    expect(codeOf({ ...request, headers: { ...request.headers, 'x-acs-signature-nonce': [''] } })).toBe('IncompleteSignature');
  });

  test('rejects a malformed query before anything else', () => {
    expect(codeOf({ ...signed(), rawQuery: 'a=%E5' })).toBe('InvalidParameter');
  });
});

describe('parseAcsDate', () => {
  test('takes only yyyy-MM-ddTHH:mm:ssZ of a real calendar day', () => {
    expect(parseAcsDate('2024-02-29T23:59:59Z')).toEqual(new Date('2024-02-29T23:59:59Z'));
    expect(parseAcsDate('2023-02-29T00:00:00Z')).toBeUndefined();
    expect(parseAcsDate('2024-01-15T08:30:00.000Z')).toBeUndefined();
    expect(parseAcsDate('2024-01-15T08:30:00+08:00')).toBeUndefined();
  });
});
