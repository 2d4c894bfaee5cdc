/** PostObject checks against the official POST vectors (docs/reference/oss-v4.md, P1 and P2). */
import { deriveSigningKey, signWithKey } from '../../oss-signer';
import { OssError } from './ossError';
import { PostObjectInput, verifyPostObject } from './verifyPostObject';

const P1_POLICY =
  '{"expiration":"2024-01-15T09:30:00.000Z","conditions":[{"bucket":"examplebucket"},{"x-oss-signature-version":"OSS4-HMAC-SHA256"},{"x-oss-credential":"STS.NUgYrLnoC37mZZCNnAbez2xfx/20240115/cn-hangzhou/oss/aliyun_v4_request"},{"x-oss-date":"20240115T083000Z"},{"x-oss-security-token":"CAIS-fake-security-token=="},["content-length-range",1,10485760],["starts-with","$key","uploads/u123/"],["eq","$success_action_status","200"]]}';
const P2_POLICY =
  '{"expiration":"2023-12-17T00:00:00.000Z","conditions":[{"bucket":"bucket"},{"x-oss-signature-version":"OSS4-HMAC-SHA256"},{"x-oss-credential":"ak/20231216/cn-hangzhou/oss/aliyun_v4_request"},{"x-oss-date":"20231216T162057Z"},["content-length-range",1,1024]]}';

const secrets: Record<string, string> = { 'STS.NUgYrLnoC37mZZCNnAbez2xfx': 'sk-test-secret', ak: 'sk' };
const secretFor = (id: string) => {
  if (!(id in secrets)) throw new OssError(403, 'InvalidAccessKeyId', 'unknown');
  return secrets[id];
};

function p1(change: Record<string, string | undefined> = {}, now = new Date('2024-01-15T08:45:00Z')): PostObjectInput {
  const fields: Record<string, string | undefined> = {
    key: 'uploads/u123/photo.jpg',
    policy: Buffer.from(P1_POLICY).toString('base64'),
    'x-oss-signature-version': 'OSS4-HMAC-SHA256',
    'x-oss-credential': 'STS.NUgYrLnoC37mZZCNnAbez2xfx/20240115/cn-hangzhou/oss/aliyun_v4_request',
    'x-oss-date': '20240115T083000Z',
    'x-oss-security-token': 'CAIS-fake-security-token==',
    'x-oss-signature': '9e14d93cb3cecc03443d5e34ef21e9d03fef50b1c87a8db9e9bd3268e35a2680',
    success_action_status: '200',
    ...change,
  };
  const present = Object.entries(fields).filter((e): e is [string, string] => e[1] !== undefined);
  return { fields: new Map(present), bucket: 'examplebucket', region: 'cn-hangzhou', now, secretFor, contentType: 'image/jpeg' };
}

const rejects = (input: PostObjectInput, status: number, code: string, message?: string) => {
  expect(() => verifyPostObject(input)).toThrow(expect.objectContaining({ status, code, ...(message ? { message } : {}) }));
};

describe('verifyPostObject', () => {
  test('accepts vector P1 (STS) and returns key, expiry and size range', () => {
    expect(verifyPostObject(p1())).toEqual({
      key: 'uploads/u123/photo.jpg',
      accessKeyId: 'STS.NUgYrLnoC37mZZCNnAbez2xfx',
      policyExpiration: new Date('2024-01-15T09:30:00.000Z'),
      lengthRange: { min: 1, max: 10485760 },
    });
  });

  test('accepts vector P2 (permanent key)', () => {
    const fields = new Map([
      ['key', 'anything'],
      ['policy', Buffer.from(P2_POLICY).toString('base64')],
      ['x-oss-signature-version', 'OSS4-HMAC-SHA256'],
      ['x-oss-credential', 'ak/20231216/cn-hangzhou/oss/aliyun_v4_request'],
      ['x-oss-date', '20231216T162057Z'],
      ['x-oss-signature', '3c0590702cc9608cdb587b011d36bd7b96b8c2e5ef8d66c3efbc894f3d1c0dc7'],
    ]);
    const input = { fields, bucket: 'bucket', region: 'cn-hangzhou', now: new Date('2023-12-16T16:30:00Z'), secretFor, contentType: 'text/plain' };
    expect(verifyPostObject(input).accessKeyId).toBe('ak');
  });

  test('missing required fields are InvalidArgument; V1 forms are refused clearly', () => {
    for (const name of ['key', 'policy', 'x-oss-signature-version', 'x-oss-credential', 'x-oss-date', 'x-oss-signature']) {
      rejects(p1({ [name]: undefined }), 400, 'InvalidArgument');
    }
    expect(() => verifyPostObject(p1({ 'x-oss-signature-version': undefined, ossaccesskeyid: 'ak', signature: 'x' }))).toThrow(/V4 form signatures only/);
  });

  test('signature: a flipped character, an edited policy, the wrong secret', () => {
    rejects(p1({ 'x-oss-signature': '8e14d93cb3cecc03443d5e34ef21e9d03fef50b1c87a8db9e9bd3268e35a2680' }), 403, 'SignatureDoesNotMatch');
    rejects(p1({ policy: Buffer.from(P1_POLICY.replace('10485760', '99999999')).toString('base64') }), 403, 'SignatureDoesNotMatch');
    rejects({ ...p1(), secretFor: () => 'another-secret' }, 403, 'SignatureDoesNotMatch');
  });

  test('credential scope must be ours and agree with x-oss-date', () => {
    rejects({ ...p1(), region: 'cn-shanghai' }, 400, 'InvalidArgument');
    rejects(p1({ 'x-oss-date': '20240116T083000Z' }), 400, 'InvalidArgument');
    rejects(p1({ 'x-oss-credential': 'STS.NUgYrLnoC37mZZCNnAbez2xfx' }), 400, 'InvalidArgument');
    rejects(p1({ 'x-oss-date': '2024-01-15T08:30:00Z' }), 400, 'InvalidArgument');
  });

  test('dates: x-oss-date within 15 minutes either side of the server clock; the policy expiry', () => {
    rejects(p1({}, new Date('2024-01-15T08:14:00Z')), 403, 'RequestTimeTooSkewed');
    expect(verifyPostObject(p1({}, new Date('2024-01-15T08:45:00Z'))).key).toBe('uploads/u123/photo.jpg');
    // The case: a form signed 20 minutes ago, though its policy is valid for an hour.
    rejects(p1({}, new Date('2024-01-15T08:50:00Z')), 403, 'RequestTimeTooSkewed');
    rejects(p1({}, new Date('2024-01-15T08:45:01Z')), 403, 'RequestTimeTooSkewed');
    const shortPolicy = Buffer.from(P1_POLICY.replace('2024-01-15T09:30:00.000Z', '2024-01-15T08:40:00.000Z')).toString('base64');
    const signature = signWithKey(deriveSigningKey('sk-test-secret', '20240115', 'cn-hangzhou'), shortPolicy);
    rejects(p1({ policy: shortPolicy, 'x-oss-signature': signature }, new Date('2024-01-15T08:40:01Z')), 403, 'AccessDenied', 'Invalid according to Policy: Policy expired.');
  });

  test('policy conditions: key prefix, status, bucket', () => {
    rejects(p1({ key: 'uploads/u999/photo.jpg' }), 403, 'AccessDenied', 'Invalid according to Policy: Policy Condition failed: ["starts-with", "$key", "uploads/u123/"]');
    rejects(p1({ success_action_status: '201' }), 403, 'AccessDenied');
    rejects({ ...p1(), bucket: 'elsewhere' }, 403, 'AccessDenied', 'Invalid according to Policy: Policy Condition failed: ["eq", "$bucket", "examplebucket"]');
  });

  test('V4 fields the policy does not constrain are "Extra input fields"', () => {
    const withoutTokenCondition = P1_POLICY.replace('{"x-oss-security-token":"CAIS-fake-security-token=="},', '');
    const policy = Buffer.from(withoutTokenCondition).toString('base64');
    // Signed properly, so only the policy content is at fault.
    const signature = signWithKey(deriveSigningKey('sk-test-secret', '20240115', 'cn-hangzhou'), policy);
    rejects(p1({ policy, 'x-oss-signature': signature }), 403, 'AccessDenied', 'Invalid according to Policy: Extra input fields: x-oss-security-token');
  });

  test('the unknown-key answer comes from the resolver', () => {
    rejects({ ...p1(), secretFor: () => { throw new OssError(403, 'SecurityTokenExpired', 'The security token you provided has expired.'); } }, 403, 'SecurityTokenExpired');
  });

  test('keys longer than 1023 bytes are refused', () => {
    rejects(p1({ key: `uploads/u123/${'é'.repeat(510)}` }), 400, 'InvalidObjectName');
  });
});
