/**
 * Hostile input, route by route and against the emulators: each case is a clear 4xx (or, inside
 * a commit batch, a failed item) and nothing is stored or changed. Text fields take SQL
 * metacharacters and emoji verbatim.
 */
import { createHash, randomBytes } from 'node:crypto';
import { inviteCodeHash } from '../../server/src/routes/families';
import type { OssUploadConfig } from '../../typings/api';
import { apiClient, ApiClient, loginAs } from '../../testkit/apiClient';
import { postObject, postObjectWithHost, uploadForm } from '../../testkit/postObject';
import { Stack, startStack } from '../../testkit/startStack';
import { jpegPhotoMeta } from '../../testkit/fixtures';

const md5 = (bytes: Buffer) => createHash('md5').update(bytes).digest('hex');
const jpeg = (size: number) => Buffer.concat([Buffer.from([0xff, 0xd8, 0xff]), randomBytes(size - 3)]);
const SQL = `'); DROP TABLE photos; --`;
const EMOJI = '👨‍👩‍👧 全家福 🎉';

describe('hostile input', () => {
  let stack: Stack;
  let mallory: Awaited<ReturnType<typeof loginAs>>;
  let victim: Awaited<ReturnType<typeof loginAs>>;
  let mine: { family: { id: number }; album: { id: number } };
  let theirs: { family: { id: number }; album: { id: number } };
  let config: OssUploadConfig;
  /** What the store holds, as far as a wrong request could have changed it. */
  let snapshot: () => Promise<unknown>;

  beforeAll(async () => {
    stack = await startStack('sqlite');
    mallory = await loginAs(stack.api.url, 'mallory');
    victim = await loginAs(stack.api.url, 'victim');
    mine = (await mallory.client.post('/families', { name: 'mallory' })).body;
    theirs = (await victim.client.post('/families', { name: 'victim' })).body;
    config = (await mallory.client.get(`/families/oss/signature?family_id=${mine.family.id}&album_id=${mine.album.id}`)).body;
    snapshot = async () => ({
      malloryFamilies: await stack.store.listFamilies(mallory.user.id),
      victimFamilies: await stack.store.listFamilies(victim.user.id),
      albums: [await stack.store.listAlbums(mine.family.id), await stack.store.listAlbums(theirs.family.id)],
      photos: [await stack.store.listPhotos(mine.album.id, { limit: 1000 }), await stack.store.listPhotos(theirs.album.id, { limit: 1000 })],
      objects: stack.cloud.oss.stats().objectsWritten,
    });
  });
  afterAll(() => stack.close());

  // Overrides may be of any type: hostile input.
  const photoMeta = (bytes: Buffer, overrides: Record<string, unknown> = {}) => ({ ...jpegPhotoMeta({ familyId: mine.family.id, albumId: mine.album.id }, bytes), ...overrides });

  type Case = { name: string; run: () => Promise<{ status: number; body: any }>; status: number; code?: string };
  const as = (client: () => ApiClient, method: string, path: () => string, body?: () => unknown, headers?: Record<string, string>) => () =>
    client().call(method, path(), body?.(), headers);
  const m = () => mallory.client;
  const anonymous = () => apiClient(stack.api.url);
  const nested = (depth: number) => '['.repeat(depth) + ']'.repeat(depth);
  const h = (i: number) => createHash('md5').update(`h${i}`).digest('hex');

  const apiCases: Case[] = [
    // login
    { name: 'login with an empty code', run: as(anonymous, 'POST', () => '/auth/login', () => ({ code: '' })), status: 400, code: 'invalid_request' },
    { name: 'login with a number for a code', run: as(anonymous, 'POST', () => '/auth/login', () => ({ code: 42 })), status: 400 },
    { name: 'login with a 10 kB code', run: as(anonymous, 'POST', () => '/auth/login', () => ({ code: 'x'.repeat(10_000) })), status: 400 },
    { name: 'login with a malformed code WeChat rejects', run: as(anonymous, 'POST', () => '/auth/login', () => ({ code: 'test:../../etc' })), status: 401, code: 'invalid_code' },
    { name: 'login with an array body', run: as(anonymous, 'POST', () => '/auth/login', () => '[1,2]'), status: 400 },
    { name: 'deeply nested JSON', run: as(anonymous, 'POST', () => '/auth/login', () => nested(100_000)), status: 400 },
    { name: 'a 10 MB body', run: as(m, 'POST', () => '/families', () => JSON.stringify({ name: 'x'.repeat(10 * 1024 * 1024) })), status: 413, code: 'payload_too_large' },
    { name: 'JSON sent as text/plain', run: as(m, 'POST', () => '/families', () => '{"name":"x"}', { 'content-type': 'text/plain' }), status: 400 },
    // sessions
    { name: 'a forged token', run: as(anonymous, 'GET', () => '/families', undefined, { authorization: `Bearer ${randomBytes(32).toString('base64url')}` }), status: 401 },
    { name: 'a token with SQL in it', run: as(anonymous, 'GET', () => '/families', undefined, { authorization: `Bearer ${SQL}` }), status: 401 },
    { name: 'a token in the query string', run: () => anonymous().get(`/families?token=${mallory.token}`), status: 401 },
    // families and albums
    { name: 'family name with control characters', run: as(m, 'POST', () => '/families', () => ({ name: 'a\u0000b' })), status: 400 },
    { name: 'family name of 65 characters', run: as(m, 'POST', () => '/families', () => ({ name: 'x'.repeat(65) })), status: 400 },
    { name: 'album in another family', run: as(m, 'POST', () => `/families/${theirs.family.id}/albums`, () => ({ name: 'x' })), status: 404, code: 'not_found' },
    { name: 'albums of another family', run: as(m, 'GET', () => `/families/${theirs.family.id}/albums`), status: 404, code: 'not_found' },
    { name: 'family id with SQL', run: as(m, 'GET', () => `/families/${encodeURIComponent(`1 OR 1=1`)}/albums`), status: 400 },
    { name: 'family id beyond 2^53', run: as(m, 'GET', () => '/families/99999999999999999999/albums'), status: 400 },
    // invites
    { name: 'invite to another family', run: as(m, 'POST', () => `/families/${theirs.family.id}/invites`, () => ({})), status: 404 },
    { name: 'invite with max_uses 0', run: as(m, 'POST', () => `/families/${mine.family.id}/invites`, () => ({ max_uses: 0 })), status: 400 },
    { name: 'invite with max_uses as text', run: as(m, 'POST', () => `/families/${mine.family.id}/invites`, () => ({ max_uses: '5' })), status: 400 },
    { name: 'invite living a year', run: as(m, 'POST', () => `/families/${mine.family.id}/invites`, () => ({ expires_in_sec: 365 * 86400 })), status: 400 },
    { name: 'join with an unknown code', run: as(m, 'POST', () => '/families/join', () => ({ code: 'AAAAAAAAAA' })), status: 404, code: 'invite_not_found' },
    { name: 'join with SQL for a code', run: as(m, 'POST', () => '/families/join', () => ({ code: `' OR ''='` })), status: 404 },
    { name: 'join with an object for a code', run: as(m, 'POST', () => '/families/join', () => ({ code: { $ne: '' } })), status: 400 },
    // signature
    { name: 'signature without album_id', run: as(m, 'GET', () => `/families/oss/signature?family_id=${mine.family.id}`), status: 400 },
    { name: 'signature for another family', run: as(m, 'GET', () => `/families/oss/signature?family_id=${theirs.family.id}&album_id=${theirs.album.id}`), status: 404 },
    { name: 'signature for my family with their album', run: as(m, 'GET', () => `/families/oss/signature?family_id=${mine.family.id}&album_id=${theirs.album.id}`), status: 404 },
    { name: 'signature with an array id', run: as(m, 'GET', () => `/families/oss/signature?family_id[]=1&album_id=${mine.album.id}`), status: 400 },
    // hash check
    { name: '1,001 hashes', run: as(m, 'POST', () => '/photos/hash/check', () => ({ family_id: mine.family.id, hashes: Array.from({ length: 1001 }, (_, i) => h(i)) })), status: 400 },
    { name: 'hashes of another family', run: as(m, 'POST', () => '/photos/hash/check', () => ({ family_id: theirs.family.id, hashes: [h(1)] })), status: 404 },
    { name: 'a hash with SQL', run: as(m, 'POST', () => '/photos/hash/check', () => ({ family_id: mine.family.id, hashes: [`${h(1).slice(0, 20)}' OR 1=1`] })), status: 400 },
    { name: 'hashes as a string', run: as(m, 'POST', () => '/photos/hash/check', () => ({ family_id: mine.family.id, hashes: h(1) })), status: 400 },
    // commit (whole-request errors)
    { name: '101 photos in one commit', run: as(m, 'POST', () => '/photos', () => ({ data: Array.from({ length: 101 }, () => photoMeta(jpeg(10))) })), status: 400 },
    { name: 'an empty commit', run: as(m, 'POST', () => '/photos', () => ({ data: [] })), status: 400 },
    // album listing
    { name: 'listing another family album', run: as(m, 'GET', () => `/albums/${theirs.album.id}/photos`), status: 404 },
    { name: 'listing with a garbage cursor', run: as(m, 'GET', () => `/albums/${mine.album.id}/photos?cursor=abc`), status: 400 },
    { name: 'listing with limit 0', run: as(m, 'GET', () => `/albums/${mine.album.id}/photos?limit=0`), status: 400 },
    { name: 'an unknown route', run: as(m, 'DELETE', () => `/albums/${theirs.album.id}`), status: 404 },
  ];

  test.each(apiCases)('$name → $status', async ({ run, status, code }) => {
    const before = await snapshot();
    const answer = await run();
    expect(answer.status).toBe(status);
    expect(typeof answer.body?.error?.message).toBe('string');
    if (code) expect(answer.body.error.code).toBe(code);
    expect(await snapshot()).toEqual(before);
  });

  test('a revoked session (logout) is refused at once', async () => {
    const session = await loginAs(stack.api.url, 'mallory');
    expect((await session.client.post('/auth/logout')).status).toBe(204);
    expect((await session.client.get('/families')).status).toBe(401);
    expect((await mallory.client.get('/families')).status).toBe(200); // other sessions live on
  });

  test('an expired invite and a replayed invite', async () => {
    const code = 'EXPIREDAAA';
    const now = new Date();
    await stack.store.createInvite({ codeHash: inviteCodeHash(code), familyId: theirs.family.id, createdBy: victim.user.id, expiresAt: new Date(now.getTime() - 1000), maxUses: 1, now: new Date(now.getTime() - 60_000) });
    const before = await snapshot();
    const expired = await mallory.client.post('/families/join', { code });
    expect(expired.status).toBe(410);
    const invite = (await victim.client.post(`/families/${theirs.family.id}/invites`, {})).body;
    const helper = await loginAs(stack.api.url, 'helper');
    expect((await helper.client.post('/families/join', { code: invite.code })).status).toBe(200);
    const replayed = await mallory.client.post('/families/join', { code: invite.code });
    expect(replayed.status).toBe(409);
    expect(await stack.store.listFamilies(mallory.user.id)).toEqual((before as { malloryFamilies: unknown }).malloryFamilies);
  });

  test('SQL metacharacters and emoji are stored verbatim in every text field', async () => {
    const family = (await mallory.client.post('/families', { name: `${SQL} ${EMOJI}` })).body;
    expect(family.family.name).toBe(`${SQL} ${EMOJI}`);
    const album = (await mallory.client.post(`/families/${family.family.id}/albums`, { name: EMOJI })).body.album;
    expect(album.name).toBe(EMOJI);
    const sig = (await mallory.client.get(`/families/oss/signature?family_id=${family.family.id}&album_id=${album.id}`)).body;
    const bytes = jpeg(500);
    expect((await postObject(sig, `${sig.file_base_path}${md5(bytes)}.jpg`, bytes)).status).toBe(200);
    const commit = await mallory.client.post('/photos', {
      data: [{ album_id: album.id, family_id: family.family.id, file_name: `${SQL}${EMOJI}.jpg`, object_key: `${sig.file_base_path}${md5(bytes)}.jpg`, file_type: 'image', file_size: 500, hash_value: md5(bytes) }],
    });
    expect(commit.body.failed).toEqual([]);
    expect(commit.body.photos[0].file_name).toBe(`${SQL}${EMOJI}.jpg`);
    expect((await mallory.client.get(`/albums/${album.id}/photos`)).body.photos[0].file_name).toBe(`${SQL}${EMOJI}.jpg`);
    expect((await mallory.client.get('/families')).status).toBe(200); // the photos table is still there
  });

  describe('commit items that lie fail alone', () => {
    const lookalikes = (h: string, f: number) => [
      [`keys outside the family folder`, `families/${f + 1}/${h}.jpg`],
      ['a key with ..', `families/${f}/../${f}/${h}.jpg`],
      ['a key with //', `families/${f}//${h}.jpg`],
      ['a key with %2e%2e', `families/${f}/%2e%2e/${h}.jpg`],
      ['a key with backslashes', `families\\${f}\\${h}.jpg`],
      ['a key with a Cyrillic а', `f\u0430milies/${f}/${h}.jpg`],
      ['a key with a fullwidth slash', `families\uff0f${f}/${h}.jpg`],
      ['a key with a one-dot leader', `families/${f}/${h}\u2024jpg`],
      ['a key with a trailing newline', `families/${f}/${h}.jpg\n`],
      ['a key with an upper-case extension', `families/${f}/${h}.JPG`],
    ];

    test('keys that are not the content-addressed key of the family', async () => {
      const bytes = jpeg(300);
      const before = await snapshot();
      const keys = lookalikes(md5(bytes), mine.family.id);
      const commit = await mallory.client.post('/photos', { data: keys.map(([, object_key]) => photoMeta(bytes, { object_key })) });
      expect(commit.status).toBe(200);
      expect(commit.body.failed.map((f: { code: string }) => f.code)).toEqual(keys.map(() => 'invalid_key'));
      expect(await snapshot()).toEqual(before);
    });

    test.each([
      ['another family object claimed as mine', (b: Buffer) => photoMeta(b, { object_key: `families/${theirs.family.id}/${md5(b)}.jpg` }), 'invalid_key'],
      ['a size that lies', (b: Buffer) => photoMeta(b, { file_size: b.length * 2 }), 'size_mismatch'],
      ['a negative size', (b: Buffer) => photoMeta(b, { file_size: -1 }), 'invalid_item'],
      ['a size as text', (b: Buffer) => photoMeta(b, { file_size: '300' }), 'invalid_item'],
      ['a size over the limit', (b: Buffer) => photoMeta(b, { file_size: 6 * 1024 ** 3 }), 'too_large'],
      ['a file type that is not image or video', (b: Buffer) => photoMeta(b, { file_type: 'exe' }), 'invalid_item'],
      ['a video claimed for a .jpg', (b: Buffer) => photoMeta(b, { file_type: 'video' }), 'invalid_item'],
      ['an album of another family', (b: Buffer) => photoMeta(b, { album_id: theirs.album.id }), 'not_found'],
      ['a family id that does not match the album', (b: Buffer) => photoMeta(b, { family_id: theirs.family.id }), 'not_found'],
      ['a file name of 300 characters', (b: Buffer) => photoMeta(b, { file_name: 'x'.repeat(300) }), 'invalid_item'],
    ])('%s', async (_name, item, code) => {
      const bytes = jpeg(300);
      await postObject(config, `${config.file_base_path}${md5(bytes)}.jpg`, bytes);
      const before = await snapshot();
      const commit = await mallory.client.post('/photos', { data: [item(bytes)] });
      expect(commit.status).toBe(200);
      expect(commit.body.failed.map((f: { code: string }) => f.code)).toEqual([code]);
      expect(await snapshot()).toEqual(before);
    });

    test('a hash whose object holds other bytes is refused and the bad object removed', async () => {
      const claimed = md5(randomBytes(8));
      const other = jpeg(400);
      expect((await postObject(config, `${config.file_base_path}${claimed}.jpg`, other)).status).toBe(200);
      const commit = await mallory.client.post('/photos', { data: [photoMeta(other, { hash_value: claimed, object_key: `families/${mine.family.id}/${claimed}.jpg` })] });
      expect(commit.body.failed.map((f: { code: string }) => f.code)).toEqual(['hash_mismatch']);
      expect(await stack.api.deps.ossClient.headObject(`families/${mine.family.id}/${claimed}.jpg`)).toBeUndefined();
    });
  });

  describe('the OSS emulator refuses a policy used for anything it was not signed for', () => {
    const ossCases: Array<[string, () => Promise<{ status: number; text: string }>, number, string]> = [
      ['another family folder', () => postObject(config, `families/${theirs.family.id}/${md5(Buffer.from('x'))}.jpg`, jpeg(100)), 403, 'AccessDenied'],
      [
        'another bucket',
        () => postObjectWithHost(stack.cloud.urls.oss, 'other-bucket.oss-cn-hangzhou.aliyuncs.com', uploadForm(config, `${config.file_base_path}b.jpg`, jpeg(100), 'image/jpeg')),
        404,
        'NoSuchBucket',
      ],
      ['more bytes than the policy allows', () => postObject({ ...config }, `${config.file_base_path}big.jpg`, Buffer.alloc(0)), 400, 'EntityTooSmall'],
      ['a content type the policy does not list', () => postObject(config, `${config.file_base_path}page.html`, jpeg(100), 'text/html'), 403, 'AccessDenied'],
      ['no forbid-overwrite field', () => postObject(config, `${config.file_base_path}n.jpg`, jpeg(100), 'image/jpeg', { 'x-oss-forbid-overwrite': 'false' }), 403, 'AccessDenied'],
      ['an object made public-read', () => postObject(config, `${config.file_base_path}p.jpg`, jpeg(100), 'image/jpeg', { 'x-oss-object-acl': 'public-read' }), 403, 'AccessDenied'],
      ['success_action_status 201', () => postObject(config, `${config.file_base_path}s.jpg`, jpeg(100), 'image/jpeg', { success_action_status: '201' }), 403, 'AccessDenied'],
      ['a flipped signature', () => postObject({ ...config, signature: config.signature.replace(/^./, (c) => (c === 'a' ? 'b' : 'a')) }, `${config.file_base_path}f.jpg`, jpeg(100)), 403, 'SignatureDoesNotMatch'],
      ['a forged security token', () => postObject({ ...config, security_token: `${config.security_token}x` }, `${config.file_base_path}t.jpg`, jpeg(100)), 403, ''],
      ['a garbage policy', () => postObject({ ...config, policy: '!!!not-base64!!!' }, `${config.file_base_path}g.jpg`, jpeg(100)), 403, 'SignatureDoesNotMatch'],
    ];
    test.each(ossCases)('%s', async (_name, run, status, code) => {
      const before = await snapshot();
      const answer = await run();
      expect([answer.status, answer.text]).toEqual([status, expect.stringContaining(`<Code>${code}`)]);
      expect(await snapshot()).toEqual(before);
    });

    test('a key with .. is a literal name inside the family folder: nothing reaches another family', async () => {
      const victimKey = `families/${theirs.family.id}/a.jpg`;
      const written = stack.cloud.oss.stats().objectsWritten;
      const answer = await postObject(config, `${config.file_base_path}../${theirs.family.id}/a.jpg`, jpeg(100));
      expect(answer.status).toBe(200);
      expect(stack.cloud.oss.stats().objectsWritten).toBe(written + 1);
      expect(await stack.api.deps.ossClient.headObject(victimKey)).toBeUndefined();
    });
  });
});
