import Credential, { Config as CredentialConfig } from '@alicloud/credentials';
import { $OpenApiUtil } from '@alicloud/openapi-core';
import StsClient, { AssumeRoleRequest } from '@alicloud/sts20150401';
import * as $dara from '@darabonba/typescript';
import { createServer, request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createStsEmulator, type StsEmulator } from '../../localcloud/sts';
import { checkStsCredentials } from '../../localcloud/stsTokens';

const ACCESS_KEY_ID = 'LTAI5tIntegrationKey';
const ACCESS_KEY_SECRET = 'integration-access-key-secret';
const SHARED_SECRET = 'integration-shared-secret-0123456789';
const ROLE_ARN = 'acs:ram::1000000000000000:role/family-album-uploader';

// The SDK stamps x-acs-date with the real time, so the emulator's clock starts there and is moved by hand.
let current: Date;
let counter = 0;
const randomBytes = (size: number) => Buffer.alloc(size, (counter += 1) % 256);

let emulator: StsEmulator;
let endpoint: string;
let port: number;

beforeAll(async () => {
  current = new Date(Math.floor(Date.now() / 1000) * 1000);
  emulator = createStsEmulator({
    accessKeys: { [ACCESS_KEY_ID]: ACCESS_KEY_SECRET },
    sharedSecret: SHARED_SECRET,
    roleArns: [ROLE_ARN],
    maxDurationSec: 3600,
    now: () => current,
    randomBytes,
  });
  ({ endpoint, port } = await emulator.listen());
});

afterAll(() => emulator.close());

beforeEach(() => {
  current = new Date(Math.floor(Date.now() / 1000) * 1000);
  emulator.resetStats();
});

function client(accessKeyId = ACCESS_KEY_ID, accessKeySecret = ACCESS_KEY_SECRET, at = endpoint): StsClient {
  const credential = new Credential(new CredentialConfig({ type: 'access_key', accessKeyId, accessKeySecret }));
  return new StsClient(new $OpenApiUtil.Config({ credential, endpoint: at, protocol: 'http' }));
}

const assumeRole = (fields: { roleArn?: string; roleSessionName?: string; durationSeconds?: number; policy?: string }, c = client()) =>
  c.assumeRole(new AssumeRoleRequest({ roleArn: ROLE_ARN, roleSessionName: 'api-server', ...fields }));

describe('STS emulator through @alicloud/sts20150401', () => {
  test('issues STS credentials that expire after DurationSeconds, which the OSS side accepts until then', async () => {
    const response = await assumeRole({ durationSeconds: 900 });
    expect(response.statusCode).toBe(200);
    expect(response.headers?.['content-type']).toBe('application/json;charset=utf-8');
    const body = response.body!;
    expect(body.requestId).toMatch(/^[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}$/);
    expect(body.assumedRoleUser).toEqual({ assumedRoleId: expect.stringMatching(/^\d{18}:api-server$/), arn: `${ROLE_ARN}/api-server` });

    const c = body.credentials!;
    expect(c.accessKeyId).toMatch(/^STS\.[A-Za-z0-9]+$/);
    const expiresAt = new Date(current.getTime() + 900_000);
    expect(c.expiration).toBe(expiresAt.toISOString().replace('.000Z', 'Z'));

    const justBefore = checkStsCredentials(SHARED_SECRET, c.accessKeyId!, c.securityToken!, new Date(expiresAt.getTime() - 1000));
    expect(justBefore).toEqual({ ok: true, accessKeySecret: c.accessKeySecret, expiration: expiresAt });
    expect(checkStsCredentials(SHARED_SECRET, c.accessKeyId!, c.securityToken!, expiresAt)).toEqual({ ok: false, reason: 'SecurityTokenExpired' });
  });

  test('DurationSeconds defaults to 3600', async () => {
    const response = await assumeRole({});
    expect(response.body!.credentials!.expiration).toBe(new Date(current.getTime() + 3600_000).toISOString().replace('.000Z', 'Z'));
  });

  test('a wrong secret is SignatureDoesNotMatch (400)', async () => {
    await expect(assumeRole({}, client(ACCESS_KEY_ID, 'not-the-secret'))).rejects.toMatchObject({ code: 'SignatureDoesNotMatch', statusCode: 400 });
  });

  test('an unknown access key is InvalidAccessKeyId.NotFound (404)', async () => {
    await expect(assumeRole({}, client('LTAI5tNobody', ACCESS_KEY_SECRET))).rejects.toMatchObject({ code: 'InvalidAccessKeyId.NotFound', statusCode: 404 });
  });

  test.each([899, 3601])('DurationSeconds %d is rejected', async (durationSeconds) => {
    await expect(assumeRole({ durationSeconds })).rejects.toMatchObject({ code: 'InvalidParameter.DurationSeconds', statusCode: 400 });
  });

  test.each(['a', 'has space', 'x'.repeat(65)])('RoleSessionName %j is rejected', async (roleSessionName) => {
    await expect(assumeRole({ roleSessionName })).rejects.toMatchObject({ code: 'InvalidParameter.RoleSessionName' });
  });

  test('a role that does not exist, and a bad policy, are rejected', async () => {
    await expect(assumeRole({ roleArn: 'acs:ram::1000000000000000:role/someone-else' })).rejects.toMatchObject({ code: 'EntityNotExist.Role', statusCode: 404 });
    await expect(assumeRole({ policy: '{"Version":"1","Statement":"everything"}' })).rejects.toMatchObject({ code: 'InvalidParameter.PolicyGrammar' });
  });

  test('a request dated more than 15 minutes from the server clock is rejected', async () => {
    current = new Date(current.getTime() + 16 * 60_000);
    await expect(assumeRole({})).rejects.toMatchObject({ code: 'InvalidTimeStamp.Expired', statusCode: 400 });
  });

  test('stats count every AssumeRole call and the credentials issued', async () => {
    await assumeRole({});
    await assumeRole({});
    await expect(assumeRole({ durationSeconds: 1 })).rejects.toMatchObject({ code: 'InvalidParameter.DurationSeconds' });
    expect(emulator.stats()).toEqual({ assumeRoleCalls: 3, credentialsIssued: 2 });
    emulator.resetStats();
    expect(emulator.stats()).toEqual({ assumeRoleCalls: 0, credentialsIssued: 0 });
  });

  test('parameters may come in a signed form body, as the SDK sends them for formData APIs', async () => {
    const params = new $OpenApiUtil.Params({
      action: 'AssumeRole',
      version: '2015-04-01',
      protocol: 'HTTP',
      pathname: '/',
      method: 'POST',
      authType: 'AK',
      style: 'RPC',
      reqBodyType: 'formData',
      bodyType: 'json',
    });
    const req = new $OpenApiUtil.OpenApiRequest({ body: { RoleArn: ROLE_ARN, RoleSessionName: 'form-body', DurationSeconds: '1200' } });
    const response = await client().callApi(params, req, new $dara.RuntimeOptions({}));
    expect(response.statusCode).toBe(200);
    expect(response.body.AssumedRoleUser.Arn).toBe(`${ROLE_ARN}/form-body`);
    expect(response.body.Credentials.Expiration).toBe(new Date(current.getTime() + 1200_000).toISOString().replace('.000Z', 'Z'));
  });
});

interface Captured {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
}

/** Records what the SDK sends (and refuses it), so the same bytes can be replayed to the emulator. */
async function captureSdkRequest(fields: Parameters<typeof assumeRole>[0]): Promise<Captured> {
  let captured: Captured | undefined;
  const recorder = createServer((req, res) => {
    captured = { method: req.method!, url: req.url!, headers: req.headers };
    req.resume();
    res.writeHead(503, { 'Content-Type': 'application/json' }).end('{"Code":"ServiceUnavailable","Message":"recorded"}');
  });
  await new Promise<void>((resolve) => recorder.listen(0, '127.0.0.1', resolve));
  try {
    const at = `127.0.0.1:${(recorder.address() as AddressInfo).port}`;
    await expect(assumeRole(fields, client(ACCESS_KEY_ID, ACCESS_KEY_SECRET, at))).rejects.toMatchObject({ code: 'ServiceUnavailable' });
  } finally {
    recorder.closeAllConnections();
    await new Promise((resolve) => recorder.close(resolve));
  }
  return captured!;
}

function send(r: Captured): Promise<{ status: number; contentType?: string; body: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, method: r.method, path: r.url, headers: r.headers, agent: false }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode!, contentType: res.headers['content-type'], body: JSON.parse(text) }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('STS emulator against hand-replayed requests', () => {
  test('a query changed after signing is refused; the original passes once; its replay is SignatureNonceUsed', async () => {
    const original = await captureSdkRequest({ roleSessionName: 'replayed', durationSeconds: 900 });
    expect(original.url).toContain('DurationSeconds=900');

    const tampered = await send({ ...original, url: original.url.replace('DurationSeconds=900', 'DurationSeconds=3600') });
    expect(tampered.status).toBe(400);
    expect(tampered.body).toMatchObject({ Code: 'SignatureDoesNotMatch' });

    const first = await send(original);
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ AssumedRoleUser: { Arn: `${ROLE_ARN}/replayed` } });

    const replay = await send(original);
    expect(replay.status).toBe(400);
    expect(replay.contentType).toBe('application/json;charset=utf-8');
    expect(replay.body).toEqual({
      RequestId: expect.any(String),
      HostId: original.headers.host,
      Code: 'SignatureNonceUsed',
      Message: 'Specified signature nonce was used already.',
      Recommend: expect.stringContaining('SignatureNonceUsed'),
    });
  });

  test('a fresh nonce does not make a replay pass: the nonce is signed', async () => {
    const original = await captureSdkRequest({});
    const result = await send({ ...original, headers: { ...original.headers, 'x-acs-signature-nonce': 'a-fresh-nonce' } });
    expect(result.status).toBe(400);
    expect(result.body).toMatchObject({ Code: 'SignatureDoesNotMatch' });
  });

  test('an unknown action is InvalidAction.NotFound (404)', async () => {
    const original = await captureSdkRequest({});
    const result = await send({ ...original, headers: { ...original.headers, 'x-acs-action': 'GetCallerIdentity' } });
    expect(result.status).toBe(404);
    expect(result.body).toMatchObject({ Code: 'InvalidAction.NotFound' });
    expect(emulator.stats().assumeRoleCalls).toBe(0);
  });
});
