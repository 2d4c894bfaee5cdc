import Credential, { Config as CredentialConfig } from '@alicloud/credentials';
import { $OpenApiUtil } from '@alicloud/openapi-core';
import StsClient, { AssumeRoleRequest } from '@alicloud/sts20150401';
import type { TemporaryCredentials } from './cachedCredentials';
import { StsUnavailableError } from './StsUnavailableError';

export interface AssumeRoleOptions {
  /** `host:port` without scheme, as the SDK takes it. */
  endpoint: string;
  protocol: 'http' | 'https';
  roleArn: string;
  roleSessionName: string;
  durationSec: number;
  /** A fixed key pair (local mode); otherwise the `@alicloud/credentials` default chain. */
  accessKey?: { id: string; secret: string };
  timeoutMs?: number;
}

/** AssumeRole through the official SDK; the same code talks to the local STS emulator and to Alibaba Cloud. */
export function createAssumeRole(options: AssumeRoleOptions): () => Promise<TemporaryCredentials> {
  const credential = options.accessKey
    ? new Credential(new CredentialConfig({ type: 'access_key', accessKeyId: options.accessKey.id, accessKeySecret: options.accessKey.secret }))
    : new Credential();
  const client = new StsClient(
    new $OpenApiUtil.Config({
      credential,
      endpoint: options.endpoint,
      protocol: options.protocol,
      readTimeout: options.timeoutMs ?? 10_000,
      connectTimeout: options.timeoutMs ?? 10_000,
    }),
  );
  return async () => {
    let response;
    try {
      response = await client.assumeRole(
        new AssumeRoleRequest({ roleArn: options.roleArn, roleSessionName: options.roleSessionName, durationSeconds: options.durationSec }),
      );
    } catch (error) {
      throw new StsUnavailableError('AssumeRole failed', error);
    }
    const c = response.body?.credentials;
    if (!c?.accessKeyId || !c.accessKeySecret || !c.securityToken || !c.expiration) {
      throw new StsUnavailableError('AssumeRole answered without credentials');
    }
    return { accessKeyId: c.accessKeyId, accessKeySecret: c.accessKeySecret, securityToken: c.securityToken, expiration: new Date(c.expiration) };
  };
}
