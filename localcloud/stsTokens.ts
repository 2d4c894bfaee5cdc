import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Temporary credentials of the local cloud. The security token carries its access key id and
 * expiry under an HMAC of the emulators' shared secret, and the access key secret is derived from
 * the id, so the OSS emulator checks STS credentials without sharing state with the STS emulator
 * (they may run in different processes and survive restarts).
 */
export interface StsCredentials {
  accessKeyId: string;
  accessKeySecret: string;
  securityToken: string;
  expiration: Date;
}

export interface IssueStsInput {
  sharedSecret: string;
  now: Date;
  durationSec: number;
  /** Random bytes for the key id; injected so tests are deterministic. */
  randomBytes: (size: number) => Buffer;
  /** Optional session policy and role, kept in the token like the real one keeps them. */
  roleArn?: string;
}

export type StsCheck =
  | { ok: true; accessKeySecret: string; expiration: Date }
  | { ok: false; reason: 'InvalidSecurityToken' | 'SecurityTokenExpired' | 'TokenMismatch' };

const TOKEN_PREFIX = 'CAIS';

function mac(sharedSecret: string, text: string): string {
  return createHmac('sha256', sharedSecret).update(text).digest('base64url');
}

export function stsSecretFor(sharedSecret: string, accessKeyId: string): string {
  return mac(sharedSecret, `secret:${accessKeyId}`);
}

export function issueStsCredentials(input: IssueStsInput): StsCredentials {
  const accessKeyId = `STS.${input.randomBytes(18).toString('base64url').replace(/[-_]/g, 'x')}`;
  const expiration = new Date(Math.floor(input.now.getTime() / 1000) * 1000 + input.durationSec * 1000);
  const body = Buffer.from(JSON.stringify({ ak: accessKeyId, exp: expiration.getTime(), role: input.roleArn })).toString('base64url');
  return {
    accessKeyId,
    accessKeySecret: stsSecretFor(input.sharedSecret, accessKeyId),
    securityToken: `${TOKEN_PREFIX}${body}.${mac(input.sharedSecret, body)}`,
    expiration,
  };
}

/** Checks a token against the key id it came with, and its expiry at `now`. */
export function checkStsCredentials(sharedSecret: string, accessKeyId: string, securityToken: string, now: Date): StsCheck {
  const m = /^CAIS([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]+)$/.exec(securityToken);
  if (!m) return { ok: false, reason: 'InvalidSecurityToken' };
  const [, body, signature] = m;
  const expected = Buffer.from(mac(sharedSecret, body));
  const given = Buffer.from(signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return { ok: false, reason: 'InvalidSecurityToken' };
  let claims: { ak?: unknown; exp?: unknown };
  try {
    claims = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
  } catch {
    return { ok: false, reason: 'InvalidSecurityToken' };
  }
  if (claims.ak !== accessKeyId || typeof claims.exp !== 'number') return { ok: false, reason: 'TokenMismatch' };
  if (now.getTime() >= claims.exp) return { ok: false, reason: 'SecurityTokenExpired' };
  return { ok: true, accessKeySecret: stsSecretFor(sharedSecret, accessKeyId), expiration: new Date(claims.exp) };
}
