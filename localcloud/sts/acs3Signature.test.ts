import { OpenApiUtil } from '@alicloud/openapi-core';
import {
  acs3CanonicalRequest,
  acs3Signature,
  acs3StringToSign,
  canonicalHeaders,
  canonicalQueryString,
  parseQueryPairs,
  sha256Hex,
  type QueryPairs,
} from './acs3Signature';

const EMPTY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
const secret = 'local-dev-access-key-secret';
const query = {
  DurationSeconds: '900',
  Policy: '{"Version":"1","Statement":[{"Effect":"Allow","Action":"oss:PutObject","Resource":"acs:oss:*:*:bucket/家/*"}]}',
  RoleArn: 'acs:ram::1000000000000000:role/family-album-uploader',
  RoleSessionName: "a b*(x)!'~",
};
const headers: Record<string, string> = {
  host: '127.0.0.1:3002',
  'x-acs-version': '2015-04-01',
  'x-acs-action': 'AssumeRole',
  'user-agent': 'ua',
  'x-acs-date': '2024-01-15T08:30:00Z',
  'x-acs-signature-nonce': 'nonce-1',
  accept: 'application/json',
  'x-acs-content-sha256': EMPTY_SHA256,
};
const signedHeaders = ['host', 'x-acs-action', 'x-acs-content-sha256', 'x-acs-date', 'x-acs-signature-nonce', 'x-acs-version'];
const asValues = (h: Record<string, string>) => Object.fromEntries(Object.entries(h).map(([k, v]) => [k, [v]]));

const canonical = acs3CanonicalRequest({
  method: 'POST',
  canonicalUri: '/',
  query: Object.entries(query),
  headers: asValues(headers),
  signedHeaders,
  hashedPayload: EMPTY_SHA256,
});

describe('ACS3-HMAC-SHA256 canonical request', () => {
  test('matches the fixed expected text, each step', () => {
    expect(canonical).toBe(
      [
        'POST',
        '/',
        'DurationSeconds=900' +
          '&Policy=%7B%22Version%22%3A%221%22%2C%22Statement%22%3A%5B%7B%22Effect%22%3A%22Allow%22%2C%22Action%22%3A%22oss%3APutObject%22%2C%22Resource%22%3A%22acs%3Aoss%3A%2A%3A%2A%3Abucket%2F%E5%AE%B6%2F%2A%22%7D%5D%7D' +
          '&RoleArn=acs%3Aram%3A%3A1000000000000000%3Arole%2Ffamily-album-uploader' +
          '&RoleSessionName=a%20b%2A%28x%29%21%27~',
        'host:127.0.0.1:3002\nx-acs-action:AssumeRole\nx-acs-content-sha256:' + EMPTY_SHA256 + '\nx-acs-date:2024-01-15T08:30:00Z\nx-acs-signature-nonce:nonce-1\nx-acs-version:2015-04-01\n',
        signedHeaders.join(';'),
        EMPTY_SHA256,
      ].join('\n'),
    );
    expect(acs3StringToSign(canonical)).toBe(`ACS3-HMAC-SHA256\n${sha256Hex(canonical)}`);
    // Signature computed by @alicloud/openapi-core 1.0.8's OpenApiUtil.getAuthorization for this request.
    expect(acs3Signature(secret, acs3StringToSign(canonical))).toBe('49195fd0278393ce6180a78a3f92b7bd027f8692892c54b7dd52af2b815ef261');
  });

  test('agrees with the installed SDK on the same request', () => {
    const sdk = OpenApiUtil.getAuthorization(
      { method: 'POST', pathname: '/', query, headers } as unknown as Parameters<typeof OpenApiUtil.getAuthorization>[0],
      'ACS3-HMAC-SHA256',
      EMPTY_SHA256,
      'AK',
      secret,
    );
    expect(sdk).toBe(`ACS3-HMAC-SHA256 Credential=AK,SignedHeaders=${signedHeaders.join(';')},Signature=${acs3Signature(secret, acs3StringToSign(canonical))}`);
  });
});

describe('parseQueryPairs', () => {
  test('decodes names and values, + as space, %2B as plus, a bare name as empty', () => {
    expect(parseQueryPairs('a=1+2&b=%2B&c&d=&e=x%3Dy=z&&f=%E5%AE%B6')).toEqual([
      ['a', '1 2'],
      ['b', '+'],
      ['c', ''],
      ['d', ''],
      ['e', 'x=y=z'],
      ['f', '家'],
    ]);
    expect(parseQueryPairs('')).toEqual([]);
  });

  test('throws on a malformed escape', () => {
    expect(() => parseQueryPairs('a=%E5%AE')).toThrow(URIError);
  });
});

describe('canonicalQueryString', () => {
  test('sorts by name, then repeated names by value, and keeps = for empty values', () => {
    const pairs: QueryPairs = [
      ['b', '2'],
      ['a', 'z'],
      ['B', ''],
      ['a', 'y'],
    ];
    expect(canonicalQueryString(pairs)).toBe('B=&a=y&a=z&b=2');
  });

  test('encodes names too (RFC 3986)', () => {
    expect(canonicalQueryString([['a b', '~-_.']])).toBe('a%20b=~-_.');
  });
});

describe('canonicalHeaders', () => {
  test('sorted names; several values trimmed, sorted and joined by commas; a missing one empty', () => {
    expect(canonicalHeaders({ 'x-acs-b': [' 2 ', '1'], 'x-acs-a': ['v'] }, ['x-acs-b', 'x-acs-a', 'x-acs-c'])).toBe('x-acs-a:v\nx-acs-b:1,2\nx-acs-c:\n');
  });
});
