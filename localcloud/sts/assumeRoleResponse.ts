import { createHash } from 'node:crypto';
import type { StsCredentials } from '../stsTokens';
import type { StsError } from './stsErrors';

/** The JSON AssumeRole answers on success; field names and order as the service writes them. */
export interface AssumeRoleResponseBody {
  RequestId: string;
  AssumedRoleUser: { AssumedRoleId: string; Arn: string };
  Credentials: { SecurityToken: string; Expiration: string; AccessKeySecret: string; AccessKeyId: string };
}

export interface StsErrorBody {
  RequestId: string;
  HostId: string;
  Code: string;
  Message: string;
  Recommend: string;
}

/** `2015-04-09T11:52:19Z`: ISO 8601 in UTC without milliseconds. */
export function formatExpiration(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** A role's numeric id: 18 digits like the real ones, derived from the ARN so it is stable. */
export function roleIdFor(roleArn: string): string {
  const digest = createHash('sha256').update(roleArn.toLowerCase()).digest();
  return (10n ** 17n + (digest.readBigUInt64BE(0) % (9n * 10n ** 17n))).toString();
}

export function assumeRoleResponseBody(input: { requestId: string; roleArn: string; roleSessionName: string; credentials: StsCredentials }): AssumeRoleResponseBody {
  return {
    RequestId: input.requestId,
    AssumedRoleUser: {
      AssumedRoleId: `${roleIdFor(input.roleArn)}:${input.roleSessionName}`,
      // The service writes the role part lower-case: role names are case-insensitive.
      Arn: `${input.roleArn.toLowerCase()}/${input.roleSessionName}`,
    },
    Credentials: {
      SecurityToken: input.credentials.securityToken,
      Expiration: formatExpiration(input.credentials.expiration),
      AccessKeySecret: input.credentials.accessKeySecret,
      AccessKeyId: input.credentials.accessKeyId,
    },
  };
}

export function stsErrorBody(error: StsError, requestId: string, hostId: string): StsErrorBody {
  return {
    RequestId: requestId,
    HostId: hostId,
    Code: error.code,
    Message: error.message,
    Recommend: `https://api.aliyun.com/troubleshoot?q=${encodeURIComponent(error.code)}&product=Sts&requestId=${requestId}`,
  };
}

/** `4BC02B9F-6E54-4346-9B2C-5B9896F66540`: upper-case UUID layout over 16 random bytes. */
export function formatRequestId(bytes: Buffer): string {
  const hex = bytes.subarray(0, 16).toString('hex').toUpperCase();
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}
