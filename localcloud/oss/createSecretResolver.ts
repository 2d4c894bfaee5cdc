import { checkStsCredentials } from '../stsTokens';
import { invalidAccessKeyId, OssError } from './ossError';

/** The secret that signed a request made with this key id (and token), or an OssError saying why not. */
export type SecretResolver = (accessKeyId: string, securityToken: string | undefined, now: Date) => string;

export interface SecretResolverOptions {
  /** Permanent AccessKeyId → AccessKeySecret. */
  accessKeys: Readonly<Record<string, string>>;
  /** The local cloud's STS secret: temporary keys are checked with it, no shared state needed. */
  stsSharedSecret: string;
}

/**
 * Mirrors OSS: a security token turns a request into an STS request, so a permanent key sent with a
 * token is unknown (0002-00000002); an STS key without its token is unknown too (0002-00000003);
 * an expired token is SecurityTokenExpired (0002-00000007); a forged or mismatched one is
 * InvalidSecurityToken (0002-00000006/8).
 */
export function createSecretResolver(options: SecretResolverOptions): SecretResolver {
  return (accessKeyId, securityToken, now) => {
    if (securityToken === undefined || securityToken === '') {
      if (Object.prototype.hasOwnProperty.call(options.accessKeys, accessKeyId)) return options.accessKeys[accessKeyId];
      throw invalidAccessKeyId(accessKeyId, accessKeyId.startsWith('STS.') ? '0002-00000003' : undefined);
    }
    if (!accessKeyId.startsWith('STS.')) throw invalidAccessKeyId(accessKeyId, '0002-00000002');
    const check = checkStsCredentials(options.stsSharedSecret, accessKeyId, securityToken, now);
    if (check.ok) return check.accessKeySecret;
    if (check.reason === 'SecurityTokenExpired') {
      throw new OssError(403, 'SecurityTokenExpired', 'The security token you provided has expired.', {}, '0002-00000007');
    }
    throw new OssError(403, 'InvalidSecurityToken', 'The security token you provided is invalid.', {}, '0002-00000008');
  };
}
