import { checkStsCredentials, issueStsCredentials } from './stsTokens';

const sharedSecret = 'local-cloud-secret';
const now = new Date('2026-01-01T00:00:00Z');
const randomBytes = (size: number) => Buffer.alloc(size, 7);

describe('STS tokens of the local cloud', () => {
  const issued = issueStsCredentials({ sharedSecret, now, durationSec: 900, randomBytes });

  test('issue STS.-prefixed keys that expire after the duration', () => {
    expect(issued.accessKeyId).toMatch(/^STS\.[A-Za-z0-9]+$/);
    expect(issued.expiration.toISOString()).toBe('2026-01-01T00:15:00.000Z');
  });

  test('accepted until expiry, with the same secret', () => {
    const check = checkStsCredentials(sharedSecret, issued.accessKeyId, issued.securityToken, new Date('2026-01-01T00:14:59Z'));
    expect(check).toEqual({ ok: true, accessKeySecret: issued.accessKeySecret, expiration: issued.expiration });
  });

  test('rejected at and after expiry', () => {
    expect(checkStsCredentials(sharedSecret, issued.accessKeyId, issued.securityToken, issued.expiration)).toEqual({ ok: false, reason: 'SecurityTokenExpired' });
  });

  test('rejected when forged, edited, or used with another key id', () => {
    const [body, mac] = issued.securityToken.split('.');
    const flipped = `${body}.${mac.slice(0, -1)}${mac.endsWith('A') ? 'B' : 'A'}`;
    expect(checkStsCredentials(sharedSecret, issued.accessKeyId, flipped, now)).toEqual({ ok: false, reason: 'InvalidSecurityToken' });
    expect(checkStsCredentials('other-secret', issued.accessKeyId, issued.securityToken, now)).toEqual({ ok: false, reason: 'InvalidSecurityToken' });
    expect(checkStsCredentials(sharedSecret, 'STS.someoneelse', issued.securityToken, now)).toEqual({ ok: false, reason: 'TokenMismatch' });
    expect(checkStsCredentials(sharedSecret, issued.accessKeyId, 'garbage', now)).toEqual({ ok: false, reason: 'InvalidSecurityToken' });
  });
});
