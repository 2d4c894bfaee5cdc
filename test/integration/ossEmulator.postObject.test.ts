/**
 * PostObject (V4 form upload) against the OSS emulator over real HTTP, sent as a browser or
 * wx.uploadFile would: multipart/form-data with `file` last. Every refusal must leave the store as
 * it was: no object, no temp file, no write counted.
 */
import { createHash, randomBytes } from 'node:crypto';
import { canonicalQuery, formatOssDate, presignQuery, uriEncode } from '../../oss-signer';
import { issueStsCredentials } from '../../localcloud/stsTokens';
import {
  postForm,
  signedPostFields,
  startTestOssEmulator,
  TEST_ACCESS_KEY,
  TEST_BUCKET,
  TEST_REGION,
  TEST_SECOND_BUCKET,
  TEST_STS_SECRET,
  TestOssEmulator,
} from '../../testkit/startTestOssEmulator';

interface AliOssClient {
  get(name: string): Promise<{ content: Buffer; res: { headers: Record<string, string> } }>;
  head(name: string): Promise<{ meta: Record<string, string> | null; res: { headers: Record<string, string> } }>;
  signPostObjectPolicyV4(policy: object, date: Date): string;
}
// eslint-disable-next-line @typescript-eslint/no-require-imports
const OSS: new (options: object) => AliOssClient = require('ali-oss');

const MAX_FIELD_BYTES = 64 * 1024;
const md5Upper = (bytes: Uint8Array) => createHash('md5').update(bytes).digest('hex').toUpperCase();

let oss: TestOssEmulator;
let sdk: AliOssClient;
beforeAll(async () => {
  oss = await startTestOssEmulator({ maxPostFormFieldBytes: MAX_FIELD_BYTES });
  sdk = new OSS({
    region: 'oss-cn-hangzhou',
    accessKeyId: TEST_ACCESS_KEY.accessKeyId,
    accessKeySecret: TEST_ACCESS_KEY.accessKeySecret,
    bucket: TEST_BUCKET,
    endpoint: oss.url,
    authorizationV4: true,
  });
});
afterAll(() => oss.close());

async function post(body: FormData | string | Uint8Array, init: { path?: string; contentType?: string; method?: string } = {}) {
  const headers = init.contentType ? { 'Content-Type': init.contentType } : undefined;
  const response = await fetch(`${oss.url}${init.path ?? '/'}`, { method: init.method ?? 'POST', body, headers });
  return { status: response.status, headers: response.headers, text: await response.text() };
}

/** Runs `act`, expects the OSS error, and checks nothing was stored for `key`. */
async function expectRefused(key: string, act: () => Promise<{ status: number; text: string; headers: Headers }>, status: number, code: string, message?: string) {
  const writesBefore = oss.emulator.stats().objectsWritten;
  const answer = await act();
  expect({ status: answer.status, code: /<Code>([^<]*)<\/Code>/.exec(answer.text)?.[1] }).toEqual({ status, code });
  if (message) expect(answer.text).toContain(`<Message>${message}</Message>`);
  expect(answer.headers.get('content-type')).toBe('application/xml');
  expect(answer.headers.get('x-oss-request-id')).toMatch(/^[0-9A-F]{24}$/);
  expect(oss.emulator.stats().objectsWritten).toBe(writesBefore);
  await expect(sdk.head(key)).rejects.toMatchObject({ status: 404 });
  expect(await oss.tempFiles()).toEqual([]);
}

const file = (bytes: Uint8Array, type = 'image/jpeg') => ({ bytes, type, name: 'photo.jpg' });
const familyConditions = (max = 1024 * 1024): Array<Record<string, string> | ['content-length-range', number, number] | ['starts-with', string, string]> => [
  { bucket: TEST_BUCKET },
  ['content-length-range', 1, max],
  ['starts-with', '$key', 'families/7/'],
];

describe('PostObject accepted', () => {
  test('a policy signed by ali-oss signPostObjectPolicyV4 uploads; ali-oss reads the same bytes and type', async () => {
    const at = new Date();
    const xOssDate = formatOssDate(at);
    const credential = `${TEST_ACCESS_KEY.accessKeyId}/${xOssDate.slice(0, 8)}/${TEST_REGION}/oss/aliyun_v4_request`;
    const policy = {
      expiration: new Date(at.getTime() + 10 * 60_000).toISOString(),
      conditions: [
        { bucket: TEST_BUCKET },
        { 'x-oss-signature-version': 'OSS4-HMAC-SHA256' },
        { 'x-oss-credential': credential },
        { 'x-oss-date': xOssDate },
        ['content-length-range', 1, 10 * 1024 * 1024],
        ['starts-with', '$key', 'families/7/'],
        ['in', '$content-type', ['image/jpeg', 'image/png']],
      ],
    };
    const bytes = randomBytes(300_000);
    const key = `families/7/${createHash('md5').update(bytes).digest('hex')}.png`;
    const fields: Array<[string, string]> = [
      ['key', key],
      ['policy', Buffer.from(JSON.stringify(policy)).toString('base64')],
      ['x-oss-signature-version', 'OSS4-HMAC-SHA256'],
      ['x-oss-credential', credential],
      ['x-oss-date', xOssDate],
      ['x-oss-signature', sdk.signPostObjectPolicyV4(policy, at)],
      ['Content-Type', 'image/png'],
    ];
    const answer = await post(postForm(fields, file(bytes, 'image/png')));
    expect(answer.status).toBe(204);
    expect(answer.headers.get('etag')).toBe(`"${md5Upper(bytes)}"`);
    const got = await sdk.get(key);
    expect(Buffer.compare(got.content, bytes)).toBe(0);
    expect(got.res.headers['content-type']).toBe('image/png');
  });

  test('success_action_status 200 and 204 answer empty; 201 answers PostResponse XML; others 204', async () => {
    const bytes = Buffer.from('status body');
    for (const [status, expected] of [['200', 200], ['204', 204], ['302', 204]] as const) {
      const key = `families/7/status-${status}.txt`;
      const answer = await post(postForm(signedPostFields({ key, conditions: familyConditions(), fields: { success_action_status: status } }), file(bytes)));
      expect([answer.status, answer.text]).toEqual([expected, '']);
    }
    const key = 'families/7/created name+1.txt';
    const answer = await post(postForm(signedPostFields({ key, conditions: familyConditions(), fields: { success_action_status: '201' } }), file(bytes)), { path: `/${TEST_BUCKET}` });
    expect(answer.status).toBe(201);
    expect(answer.headers.get('content-type')).toBe('application/xml');
    expect(answer.text).toBe(
      '<?xml version="1.0" encoding="UTF-8"?>\n' +
        `<PostResponse><Bucket>family-album</Bucket><Location>http://127.0.0.1:${oss.port}/families/7/created%20name%2B1.txt</Location>` +
        `<Key>families/7/created name+1.txt</Key><ETag>"${md5Upper(bytes)}"</ETag></PostResponse>`,
    );
  });

  test('stored Content-Type (field, x-oss-content-type, file part), x-oss-meta-* and kept headers', async () => {
    const bytes = Buffer.from('meta');
    await post(
      postForm(
        signedPostFields({
          key: 'families/7/meta.jpg',
          conditions: familyConditions(),
          fields: { 'Content-Type': 'image/jpeg', 'X-Oss-Meta-Uploader': 'alice', 'x-oss-meta-album': '家庭相册', 'Cache-Control': 'max-age=60', 'Content-Disposition': 'inline' },
        }),
        file(bytes, 'application/octet-stream'),
      ),
    );
    const head = await sdk.head('families/7/meta.jpg');
    expect(head.res.headers['content-type']).toBe('image/jpeg');
    expect(head.res.headers['cache-control']).toBe('max-age=60');
    expect(head.res.headers['content-disposition']).toBe('inline');
    expect(head.meta?.uploader).toBe('alice');
    expect(Buffer.from(head.meta?.album ?? '', 'latin1').toString('utf8')).toBe('家庭相册');

    await post(postForm(signedPostFields({ key: 'families/7/x.mp4', conditions: familyConditions(), fields: { 'x-oss-content-type': 'video/mp4' } }), file(bytes, 'image/gif')));
    expect((await sdk.head('families/7/x.mp4')).res.headers['content-type']).toBe('video/mp4');
    await post(postForm(signedPostFields({ key: 'families/7/part.gif', conditions: familyConditions() }), file(bytes, 'image/gif')));
    expect((await sdk.head('families/7/part.gif')).res.headers['content-type']).toBe('image/gif');
  });

  test('in / not-in on $content-type', async () => {
    const conditions = [...familyConditions(), ['in', '$content-type', ['image/jpeg', 'video/mp4']] as ['in', string, string[]], ['not-in', '$content-type', ['video/mp4']] as ['not-in', string, string[]]];
    const ok = await post(postForm(signedPostFields({ key: 'families/7/in.jpg', conditions, fields: { 'Content-Type': 'image/jpeg' } }), file(Buffer.from('a'))));
    expect(ok.status).toBe(204);
    await expectRefused('families/7/notin.mp4', () => post(postForm(signedPostFields({ key: 'families/7/notin.mp4', conditions, fields: { 'Content-Type': 'video/mp4' } }), file(Buffer.from('a')))), 403, 'AccessDenied');
    await expectRefused('families/7/in.gif', () => post(postForm(signedPostFields({ key: 'families/7/in.gif', conditions, fields: { 'Content-Type': 'image/gif' } }), file(Buffer.from('a')))), 403, 'AccessDenied');
  });

  test('STS credentials sign forms too (the token must be in the form and the policy)', async () => {
    const sts = issueStsCredentials({ sharedSecret: TEST_STS_SECRET, now: new Date(), durationSec: 900, randomBytes });
    const credentials = { accessKeyId: sts.accessKeyId, accessKeySecret: sts.accessKeySecret, securityToken: sts.securityToken };
    const answer = await post(postForm(signedPostFields({ key: 'families/7/sts.jpg', credentials, conditions: familyConditions() }), file(Buffer.from('sts'))));
    expect(answer.status).toBe(204);
    expect((await sdk.get('families/7/sts.jpg')).content.toString()).toBe('sts');
  });
});

describe('PostObject refused, nothing stored', () => {
  const bytes = Buffer.from('a small photo');
  const fieldsFor = (key: string, extra: Partial<Parameters<typeof signedPostFields>[0]> = {}) => signedPostFields({ key, conditions: familyConditions(), ...extra });
  const replace = (fields: Array<[string, string]>, name: string, value: (old: string) => string) => fields.map(([n, v]): [string, string] => [n, n === name ? value(v) : v]);

  test('a flipped signature character', async () => {
    const key = 'families/7/flipped.jpg';
    const fields = replace(fieldsFor(key), 'x-oss-signature', (s) => `${s[0] === 'a' ? 'b' : 'a'}${s.slice(1)}`);
    await expectRefused(key, () => post(postForm(fields, file(bytes))), 403, 'SignatureDoesNotMatch');
  });

  test('a policy edited after signing', async () => {
    const key = 'families/7/edited.jpg';
    const fields = replace(fieldsFor(key), 'policy', (p) => Buffer.from(Buffer.from(p, 'base64').toString().replace('1048576', '99999999')).toString('base64'));
    await expectRefused(key, () => post(postForm(fields, file(bytes))), 403, 'SignatureDoesNotMatch');
  });

  test('an expired policy', async () => {
    const key = 'families/7/expired.jpg';
    const fields = fieldsFor(key, { at: new Date(Date.now() - 10 * 60_000), expiresAt: new Date(Date.now() - 60_000) });
    await expectRefused(key, () => post(postForm(fields, file(bytes))), 403, 'AccessDenied', 'Invalid according to Policy: Policy expired.');
  });

  test('a form signed more than 15 minutes ago, though its policy has not expired', async () => {
    const key = 'families/7/stale.jpg';
    const fields = fieldsFor(key, { at: new Date(Date.now() - 20 * 60_000), expiresAt: new Date(Date.now() + 40 * 60_000) });
    await expectRefused(key, () => post(postForm(fields, file(bytes))), 403, 'RequestTimeTooSkewed');
  });

  test('a file over content-length-range (small and streamed large) or under it', async () => {
    const key = 'families/7/large.jpg';
    await expectRefused(key, () => post(postForm(signedPostFields({ key, conditions: familyConditions(1000) }), file(randomBytes(1001)))), 400, 'EntityTooLarge');
    const received = oss.emulator.stats().bytesReceived;
    await expectRefused(key, () => post(postForm(signedPostFields({ key, conditions: familyConditions(1024 * 1024) }), file(randomBytes(8 * 1024 * 1024)))), 400, 'EntityTooLarge');
    expect(oss.emulator.stats().bytesReceived - received).toBeGreaterThan(1024 * 1024);
    const small = [{ bucket: TEST_BUCKET }, ['content-length-range', 100, 1000] as ['content-length-range', number, number]];
    await expectRefused(key, () => post(postForm(signedPostFields({ key, conditions: small }), file(Buffer.from('tiny')))), 400, 'EntityTooSmall');
  });

  test('a key outside the starts-with prefix', async () => {
    const key = 'families/8/intruder.jpg';
    await expectRefused(key, () => post(postForm(fieldsFor(key), file(bytes))), 403, 'AccessDenied', 'Invalid according to Policy: Policy Condition failed: ["starts-with", "$key", "families/7/"]');
  });

  test('another bucket than the policy names', async () => {
    const key = 'families/7/elsewhere.jpg';
    const answer = await post(postForm(fieldsFor(key), file(bytes)), { path: `/${TEST_SECOND_BUCKET}` });
    expect([answer.status, answer.text]).toEqual([403, expect.stringContaining('<Message>Invalid according to Policy: Policy Condition failed: ["eq", "$bucket", "family-album"]</Message>')]);
  });

  test('an overwrite with x-oss-forbid-overwrite leaves the existing object', async () => {
    const key = 'families/7/existing.jpg';
    expect((await post(postForm(fieldsFor(key), file(Buffer.from('first version'))))).status).toBe(204);
    const writes = oss.emulator.stats().objectsWritten;
    const answer = await post(postForm(fieldsFor(key, { fields: { 'x-oss-forbid-overwrite': 'true' } }), file(Buffer.from('second version'))));
    expect(answer.status).toBe(409);
    expect(answer.text).toContain('<Code>FileAlreadyExists</Code>');
    expect(oss.emulator.stats().objectsWritten).toBe(writes);
    expect((await sdk.get(key)).content.toString()).toBe('first version');
    expect(await oss.tempFiles()).toEqual([]);
  });

  test('an expired STS token; an unknown access key', async () => {
    const old = issueStsCredentials({ sharedSecret: TEST_STS_SECRET, now: new Date(Date.now() - 3600_000), durationSec: 900, randomBytes });
    const credentials = { accessKeyId: old.accessKeyId, accessKeySecret: old.accessKeySecret, securityToken: old.securityToken };
    const key = 'families/7/sts-expired.jpg';
    await expectRefused(key, () => post(postForm(fieldsFor(key, { credentials }), file(bytes))), 403, 'SecurityTokenExpired', 'The security token you provided has expired.');
    const unknown = { accessKeyId: 'LTAI-nobody', accessKeySecret: 'whatever' };
    await expectRefused(key, () => post(postForm(fieldsFor(key, { credentials: unknown }), file(bytes))), 403, 'InvalidAccessKeyId');
  });

  test('malformed multipart, non-multipart body, missing file', async () => {
    const key = 'families/7/malformed.jpg';
    const cutInHeader = '--XYZ\r\nContent-Disposition: form-data; name="key"\r\n\r\nfamilies/7/malformed.jpg\r\n--XYZ\r\nContent-Disp';
    await expectRefused(key, () => post(cutInHeader, { contentType: 'multipart/form-data; boundary=XYZ' }), 400, 'MalformedPOSTRequest');
    // A correctly signed form whose body stops inside the file: the bytes that did arrive are not kept.
    const whole = new Response(postForm(fieldsFor(key), file(randomBytes(4096))));
    const wholeBytes = Buffer.from(await whole.arrayBuffer());
    const contentType = whole.headers.get('content-type') as string;
    await expectRefused(key, () => post(wholeBytes.subarray(0, wholeBytes.length - 100), { contentType }), 400, 'MalformedPOSTRequest');
    await expectRefused(key, () => post('key=x', { contentType: 'application/x-www-form-urlencoded' }), 400, 'MalformedPOSTRequest');
    await expectRefused(key, () => post('--XYZ--\r\n', { contentType: 'multipart/form-data' }), 400, 'MalformedPOSTRequest');
    await expectRefused(key, () => post(postForm(fieldsFor(key))), 400, 'MalformedPOSTRequest');
  });

  test('a missing required field', async () => {
    const key = 'families/7/missing.jpg';
    await expectRefused(key, () => post(postForm(fieldsFor(key).filter(([n]) => n !== 'x-oss-signature'), file(bytes))), 400, 'InvalidArgument');
    await expectRefused(key, () => post(postForm(fieldsFor(key).filter(([n]) => n !== 'x-oss-credential'), file(bytes))), 400, 'InvalidArgument');
  });

  test('a garbage base64 policy or a non-JSON policy, even when signed', async () => {
    const key = 'families/7/garbage.jpg';
    const { deriveSigningKey, signWithKey } = await import('../../oss-signer');
    const signAs = (policy: string) => {
      const fields = fieldsFor(key);
      const day = fields.find(([n]) => n === 'x-oss-date')![1].slice(0, 8);
      const signature = signWithKey(deriveSigningKey(TEST_ACCESS_KEY.accessKeySecret, day, TEST_REGION), policy);
      return replace(replace(fields, 'policy', () => policy), 'x-oss-signature', () => signature);
    };
    await expectRefused(key, () => post(postForm(signAs('!!not*base64!!'), file(bytes))), 400, 'InvalidPolicyDocument');
    await expectRefused(key, () => post(postForm(signAs(Buffer.from('{"expiration": tomorrow').toString('base64')), file(bytes))), 400, 'InvalidPolicyDocument');
  });

  test('a field after the file; two files', async () => {
    const key = 'families/7/after.jpg';
    const form = postForm(fieldsFor(key), file(bytes));
    form.append('x-oss-meta-late', 'too late');
    await expectRefused(key, () => post(form), 400, 'MalformedPOSTRequest');
    const twice = postForm(fieldsFor(key), file(bytes));
    twice.append('file', new Blob([bytes]), 'again.jpg');
    await expectRefused(key, () => post(twice), 400, 'MalformedPOSTRequest');
  });

  test('an oversized form field', async () => {
    const key = 'families/7/oversized.jpg';
    const fields = fieldsFor(key, { fields: { 'x-oss-meta-big': 'x'.repeat(MAX_FIELD_BYTES + 1) } });
    await expectRefused(key, () => post(postForm(fields, file(bytes))), 400, 'InvalidArgument');
  });

  test('an expired presigned PUT URL; a method OSS does not have; POST to an object', async () => {
    const key = 'families/7/presigned-put.jpg';
    const query = presignQuery({ credentials: TEST_ACCESS_KEY, region: TEST_REGION, bucket: TEST_BUCKET, key, method: 'PUT', at: new Date(Date.now() - 5 * 60_000), expiresInSec: 60 });
    const url = `${oss.url}/${TEST_BUCKET}/${uriEncode(key, true)}?${canonicalQuery(query)}`;
    // A binary body: fetch would add a (signed) text/plain Content-Type to a string.
    await expectRefused(key, () => post(Buffer.from('bytes'), { method: 'PUT', path: url.slice(oss.url.length) }), 403, 'AccessDenied', 'Request has expired.');
    await expectRefused(key, () => post('bytes', { method: 'PATCH', path: `/${key}` }), 405, 'MethodNotAllowed');
    await expectRefused(key, () => post(postForm(fieldsFor(key), file(bytes)), { path: `/${key}` }), 405, 'MethodNotAllowed');
  });

  test('a fresh presigned PUT URL stores (the refusal above was the expiry)', async () => {
    const key = 'families/7/presigned-put-ok.jpg';
    const query = presignQuery({ credentials: TEST_ACCESS_KEY, region: TEST_REGION, bucket: TEST_BUCKET, key, method: 'PUT', at: new Date(), expiresInSec: 60 });
    const answer = await post(Buffer.from('presigned bytes'), { method: 'PUT', path: `/${TEST_BUCKET}/${uriEncode(key, true)}?${canonicalQuery(query)}` });
    expect(answer.status).toBe(200);
    expect((await sdk.get(key)).content.toString()).toBe('presigned bytes');
  });
});
