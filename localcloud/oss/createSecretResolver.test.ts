import { issueStsCredentials } from '../stsTokens';
import { createSecretResolver } from './createSecretResolver';

const stsSharedSecret = 'shared';
const now = new Date('2026-01-01T00:00:00Z');
const resolve = createSecretResolver({ accessKeys: { LTAIroot: 'root-secret' }, stsSharedSecret });
const sts = issueStsCredentials({ sharedSecret: stsSharedSecret, now, durationSec: 900, randomBytes: (n) => Buffer.alloc(n, 3) });

describe('createSecretResolver', () => {
  test('permanent keys without a token; STS keys with their token until expiry', () => {
    expect(resolve('LTAIroot', undefined, now)).toBe('root-secret');
    expect(resolve(sts.accessKeyId, sts.securityToken, now)).toBe(sts.accessKeySecret);
  });

  test.each([
    ['an unknown key', () => resolve('LTAInobody', undefined, now), 'InvalidAccessKeyId'],
    ['a permanent key sent with a token', () => resolve('LTAIroot', sts.securityToken, now), 'InvalidAccessKeyId'],
    ['an STS key without its token', () => resolve(sts.accessKeyId, undefined, now), 'InvalidAccessKeyId'],
    ['an expired token', () => resolve(sts.accessKeyId, sts.securityToken, sts.expiration), 'SecurityTokenExpired'],
    ['a forged token', () => resolve(sts.accessKeyId, `${sts.securityToken}x`, now), 'InvalidSecurityToken'],
    ['a token of another key', () => resolve('STS.someoneElse', sts.securityToken, now), 'InvalidSecurityToken'],
  ])('%s is 403 %s', (_, act, code) => {
    expect(act).toThrow(expect.objectContaining({ status: 403, code }));
  });
});
