import { createHash, randomBytes } from 'node:crypto';
import { hashToken } from '../../server/src/sessionToken';
import { OssRequestError } from '../../server/src/ossClient/signedOssHttp';
import type { OssUploadConfig } from '../../typings/api';
import { apiClient, ApiClient, loginAs } from '../../testkit/apiClient';
import { postObject } from '../../testkit/postObject';
import { Stack, startStack, storeKinds } from '../../testkit/startStack';

const md5 = (bytes: Buffer) => createHash('md5').update(bytes).digest('hex');
const jpeg = (size: number) => Buffer.concat([Buffer.from([0xff, 0xd8, 0xff]), randomBytes(size - 3)]);

describe.each(storeKinds())('API over the local cloud (%s)', (kind) => {
  let stack: Stack;
  let alice: Awaited<ReturnType<typeof loginAs>>;
  let bob: Awaited<ReturnType<typeof loginAs>>;
  let aliceFamily: { id: number };
  let aliceAlbum: { id: number };
  let bobFamily: { id: number };
  let bobAlbum: { id: number };

  beforeAll(async () => {
    stack = await startStack(kind);
    alice = await loginAs(stack.api.url, 'alice');
    bob = await loginAs(stack.api.url, 'bob');
    const a = await alice.client.post('/families', { name: '张家' });
    const b = await bob.client.post('/families', { name: 'Bob family' });
    expect(a.status).toBe(201);
    expect(b.status).toBe(201);
    [aliceFamily, aliceAlbum, bobFamily, bobAlbum] = [a.body.family, a.body.album, b.body.family, b.body.album];
  });
  afterAll(() => stack.close());

  const signature = async (client: ApiClient, familyId: number, albumId: number) => {
    const answer = await client.get<OssUploadConfig>(`/families/oss/signature?family_id=${familyId}&album_id=${albumId}`);
    expect(answer.status).toBe(200);
    return answer.body;
  };
  const meta = (bytes: Buffer, overrides: Record<string, unknown> = {}) => ({
    album_id: aliceAlbum.id,
    family_id: aliceFamily.id,
    file_name: 'IMG_0001.jpg',
    object_key: `families/${aliceFamily.id}/${md5(bytes)}.jpg`,
    file_type: 'image',
    file_size: bytes.length,
    upload_time: '2026-11-29T08:00:00.000Z',
    hash_value: md5(bytes),
    ...overrides,
  });
  const countRows = async () => {
    const photos = await stack.store.listPhotos(aliceAlbum.id, { limit: 1000 });
    return photos.length;
  };

  describe('login and sessions', () => {
    test('login creates the user once and returns an opaque token with an expiry', async () => {
      const again = await loginAs(stack.api.url, 'alice');
      expect(again.user).toEqual(alice.user);
      expect(again.token).not.toBe(alice.token);
      expect(again.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(alice.user.openid).toBe('alice');
    });

    test('a code WeChat rejects is a 401 with a clear code', async () => {
      const answer = await apiClient(stack.api.url).post('/auth/login', { code: 'test:' });
      expect(answer.status).toBe(401);
      expect(answer.body.error.code).toBe('invalid_code');
    });

    test.each([
      ['no header', undefined],
      ['forged token', `Bearer ${randomBytes(32).toString('base64url')}`],
      ['malformed', 'Bearer not a token'],
      ['another scheme', 'Basic YWxpY2U6c2VjcmV0'],
    ])('%s gets 401', async (_name, header) => {
      const answer = await apiClient(stack.api.url).call('GET', '/families', undefined, header ? { authorization: header } : {});
      expect(answer.status).toBe(401);
      expect(answer.body.error.code).toBe('unauthorized');
    });

    test('an expired session gets 401', async () => {
      const token = randomBytes(32).toString('base64url');
      const past = new Date(Date.now() - 60_000);
      await stack.store.createSession({ tokenHash: hashToken(token), userId: alice.user.id, expiresAt: past, now: new Date(past.getTime() - 1000) });
      const answer = await apiClient(stack.api.url, token).get('/families');
      expect(answer.status).toBe(401);
    });

    test('healthz answers without a session and says what it checked', async () => {
      const answer = await apiClient(stack.api.url).get('/healthz');
      expect(answer.status).toBe(200);
      expect(answer.body).toEqual({
        ok: true,
        mode: 'local',
        store: { kind, ok: true },
        storage: { bucket: 'family-album', ok: true },
        sts: { ok: true },
        wechat: { ok: true },
      });
    });
  });

  describe('families, albums and invites', () => {
    test('each user lists only their own families', async () => {
      expect((await alice.client.get('/families')).body.families).toEqual([{ id: aliceFamily.id, name: '张家', role: 'owner' }]);
      expect((await bob.client.get('/families')).body.families).toEqual([{ id: bobFamily.id, name: 'Bob family', role: 'owner' }]);
    });

    test('albums: the default one first, then created ones', async () => {
      const created = await alice.client.post(`/families/${aliceFamily.id}/albums`, { name: '2026 春节' });
      expect(created.status).toBe(201);
      const list = await alice.client.get(`/families/${aliceFamily.id}/albums`);
      expect(list.body.albums.map((a: { name: string; is_default: boolean }) => [a.name, a.is_default])).toEqual([
        ['家庭相册', true],
        ['2026 春节', false],
      ]);
    });

    test('an invite lets one person join once; the code cannot be replayed', async () => {
      const carol = await loginAs(stack.api.url, 'carol');
      const dave = await loginAs(stack.api.url, 'dave');
      const invite = await alice.client.post(`/families/${aliceFamily.id}/invites`, {});
      expect(invite.status).toBe(201);
      expect(invite.body.code).toMatch(/^[A-Z2-9]{10}$/);
      const joined = await carol.client.post('/families/join', { code: invite.body.code.toLowerCase() });
      expect(joined.status).toBe(200);
      expect(joined.body.family).toEqual({ id: aliceFamily.id, name: '张家', role: 'member' });
      const replay = await dave.client.post('/families/join', { code: invite.body.code });
      expect(replay.status).toBe(409);
      expect(replay.body.error.code).toBe('invite_used_up');
      const unknown = await dave.client.post('/families/join', { code: 'ZZZZZZZZZZ' });
      expect(unknown.status).toBe(404);
      // A member who is not the owner cannot invite.
      const memberInvite = await carol.client.post(`/families/${aliceFamily.id}/invites`, {});
      expect(memberInvite.status).toBe(403);
    });
  });

  describe('upload: signature, PostObject, commit, list, download', () => {
    const photo = jpeg(200_000);

    test('the signature pins the family folder and expires within minutes', async () => {
      const config = await signature(alice.client, aliceFamily.id, aliceAlbum.id);
      expect(config.file_base_path).toBe(`families/${aliceFamily.id}/`);
      expect(config.host).toBe(`${stack.cloud.urls.oss}/family-album`);
      const lifetimeMs = Date.parse(config.expire_at) - Date.now();
      expect(lifetimeMs).toBeGreaterThan(5 * 60_000);
      expect(lifetimeMs).toBeLessThanOrEqual(10 * 60_000);
      expect(config.security_token).toBeTruthy();
    });

    test('a real PostObject with the returned fields, a commit, the album listing, and the same bytes back', async () => {
      const config = await signature(alice.client, aliceFamily.id, aliceAlbum.id);
      const key = `${config.file_base_path}${md5(photo)}.jpg`;
      const upload = await postObject(config, key, photo);
      expect(upload.status).toBe(200);

      const commit = await alice.client.post('/photos', { data: [meta(photo)] });
      expect(commit.status).toBe(200);
      expect(commit.body.failed).toEqual([]);
      expect(commit.body.photos).toHaveLength(1);
      expect(commit.body.photos[0]).toMatchObject({ album_id: aliceAlbum.id, file_size: photo.length, hash_value: md5(photo), object_key: key, creator_id: alice.user.id });

      const list = await alice.client.get(`/albums/${aliceAlbum.id}/photos`);
      expect(list.status).toBe(200);
      expect(list.body.photos).toHaveLength(1);
      const listed = list.body.photos[0];
      const download = await fetch(listed.url);
      expect(download.status).toBe(200);
      expect(Buffer.from(await download.arrayBuffer()).equals(photo)).toBe(true);
      expect(new URL(listed.thumbnail_url).searchParams.get('x-oss-process')).toMatch(/^image\/resize/);
      // The local OSS renders thumbnails; these bytes are no decodable image, so OSS's own error comes back.
      const thumbnail = await fetch(listed.thumbnail_url);
      expect(thumbnail.status).toBe(400);
      expect(await thumbnail.text()).toContain('<Code>InvalidArgument</Code>');
      expect(Date.parse(listed.url_expires_at) - Date.now()).toBeLessThanOrEqual(3600_000);
    });

    test('the same commit again changes nothing and answers the same', async () => {
      const before = await countRows();
      const first = await alice.client.post('/photos', { data: [meta(photo)] });
      const second = await alice.client.post('/photos', { data: [meta(photo)] });
      expect(second.body).toEqual(first.body);
      expect(await countRows()).toBe(before);
    });

    test('hash check answers what the family has, and nothing of another family', async () => {
      const unknownHash = md5(randomBytes(10));
      const mine = await alice.client.post('/photos/hash/check', { family_id: aliceFamily.id, hashes: [md5(photo), unknownHash] });
      expect(mine.body.existing).toEqual([{ hash: md5(photo), object_key: `families/${aliceFamily.id}/${md5(photo)}.jpg`, file_size: photo.length }]);
      const theirs = await bob.client.post('/photos/hash/check', { family_id: bobFamily.id, hashes: [md5(photo)] });
      expect(theirs.body.existing).toEqual([]);
    });

    test('秒传: a known hash lands in another album without any upload', async () => {
      const album = (await alice.client.post(`/families/${aliceFamily.id}/albums`, { name: '精选' })).body.album;
      stack.cloud.oss.resetStats();
      const commit = await alice.client.post('/photos', { data: [meta(photo, { album_id: album.id, object_key: undefined })] });
      expect(commit.body.failed).toEqual([]);
      expect(commit.body.photos[0]).toMatchObject({ album_id: album.id, object_key: `families/${aliceFamily.id}/${md5(photo)}.jpg` });
      expect(stack.cloud.oss.stats().bytesReceived).toBe(0);
    });

    test('commits are refused for a missing object, a size or hash that lies, a foreign key; the rest still land', async () => {
      const config = await signature(alice.client, aliceFamily.id, aliceAlbum.id);
      const good = jpeg(5000);
      const sizeLie = jpeg(6000);
      const hashLie = jpeg(7000);
      const missing = jpeg(8000);
      await postObject(config, `${config.file_base_path}${md5(good)}.jpg`, good);
      await postObject(config, `${config.file_base_path}${md5(sizeLie)}.jpg`, sizeLie);
      // Bytes stored under a key that names another hash.
      const claimed = md5(randomBytes(16));
      await postObject(config, `${config.file_base_path}${claimed}.jpg`, hashLie);
      const before = await countRows();

      const commit = await alice.client.post('/photos', {
        data: [
          meta(missing),
          meta(sizeLie, { file_size: sizeLie.length + 1 }),
          meta(hashLie, { hash_value: claimed, object_key: `families/${aliceFamily.id}/${claimed}.jpg` }),
          meta(good, { object_key: `families/${bobFamily.id}/${md5(good)}.jpg` }),
          meta(good),
        ],
      });
      expect(commit.status).toBe(200);
      expect(commit.body.failed.map((f: { index: number; code: string }) => [f.index, f.code])).toEqual([
        [0, 'object_missing'],
        [1, 'size_mismatch'],
        [2, 'hash_mismatch'],
        [3, 'invalid_key'],
      ]);
      expect(commit.body.photos.map((p: { hash_value: string }) => p.hash_value)).toEqual([md5(good)]);
      expect(await countRows()).toBe(before + 1);
      // The object whose bytes lied about their hash is gone, so the real file can still be uploaded.
      expect(await stack.api.deps.ossClient.headObject(`families/${aliceFamily.id}/${claimed}.jpg`)).toBeUndefined();
    });

    test('when OSS does not answer a commit HEAD, the commit is a retryable 503 and records nothing', async () => {
      const bytes = jpeg(900);
      const storage = stack.api.deps.ossClient;
      const headObject = storage.headObject;
      storage.headObject = async () => {
        throw new OssRequestError(0, undefined, 'OSS HEAD did not answer: timeout');
      };
      try {
        const before = await countRows();
        const commit = await alice.client.post('/photos', { data: [meta(bytes)] });
        expect(commit.status).toBe(503);
        expect(commit.body.error.code).toBe('storage_unavailable');
        expect(commit.headers.get('retry-after')).toBe('1');
        expect(await countRows()).toBe(before);
      } finally {
        storage.headObject = headObject;
      }
    });

    test('a policy for one family cannot write into another family folder', async () => {
      const config = await signature(bob.client, bobFamily.id, bobAlbum.id);
      const bytes = jpeg(1000);
      const upload = await postObject(config, `families/${aliceFamily.id}/${md5(bytes)}.jpg`, bytes);
      expect(upload.status).toBe(403);
      expect(upload.text).toContain('AccessDenied');
    });
  });

  describe('every id of another family is a 404', () => {
    const foreign: Array<[string, string, () => string, (() => unknown)?]> = [
      ['list albums of their family', 'GET', () => `/families/${bobFamily.id}/albums`],
      ['create an album in their family', 'POST', () => `/families/${bobFamily.id}/albums`, () => ({ name: 'x' })],
      ['invite to their family', 'POST', () => `/families/${bobFamily.id}/invites`, () => ({})],
      ['sign for their family and album', 'GET', () => `/families/oss/signature?family_id=${bobFamily.id}&album_id=${bobAlbum.id}`],
      ['sign for my family with their album', 'GET', () => `/families/oss/signature?family_id=${aliceFamily.id}&album_id=${bobAlbum.id}`],
      ['sign for their family with my album', 'GET', () => `/families/oss/signature?family_id=${bobFamily.id}&album_id=${aliceAlbum.id}`],
      ['check hashes of their family', 'POST', () => '/photos/hash/check', () => ({ family_id: bobFamily.id, hashes: ['0'.repeat(32)] })],
      ['list their album', 'GET', () => `/albums/${bobAlbum.id}/photos`],
      ['list an album that does not exist', 'GET', () => '/albums/999999/photos'],
      ['list albums of a family that does not exist', 'GET', () => '/families/999999/albums'],
    ];
    test.each(foreign.map(([name, method, path, body]) => ({ name, method, path, body })))('$name', async ({ method, path, body }) => {
      const answer = await alice.client.call(method, path(), body?.());
      expect(answer.body.error.code).toBe('not_found');
    });

    test('a commit into another family album fails for that item only, and stores nothing there', async () => {
      const bytes = jpeg(1234);
      const commit = await alice.client.post('/photos', { data: [meta(bytes, { album_id: bobAlbum.id, family_id: bobFamily.id, object_key: `families/${bobFamily.id}/${md5(bytes)}.jpg` })] });
      expect(commit.status).toBe(200);
      expect(commit.body.failed).toEqual([{ index: 0, code: 'not_found', message: 'album not found' }]);
      expect(await stack.store.listPhotos(bobAlbum.id, { limit: 10 })).toEqual([]);
    });
  });

  describe('bad input is a 4xx with a clear error and changes nothing', () => {
    const hashes = (n: number) => Array.from({ length: n }, (_, i) => createHash('md5').update(String(i)).digest('hex'));
    const bad: Array<[string, string, () => string, (() => unknown)?]> = [
      ['malformed JSON', 'POST', () => '/families', () => '{"name": '],
      ['wrong type', 'POST', () => '/families', () => ({ name: 42 })],
      ['missing field', 'POST', () => '/families', () => ({})],
      ['empty name', 'POST', () => '/families', () => ({ name: '   ' })],
      ['1,001 hashes', 'POST', () => '/photos/hash/check', () => ({ family_id: aliceFamily.id, hashes: hashes(1001) })],
      ['non-hex hash', 'POST', () => '/photos/hash/check', () => ({ family_id: aliceFamily.id, hashes: ['z'.repeat(32)] })],
      ['upper-case hash', 'POST', () => '/photos/hash/check', () => ({ family_id: aliceFamily.id, hashes: ['A'.repeat(32)] })],
      ['101 items', 'POST', () => '/photos', () => ({ data: Array.from({ length: 101 }, () => meta(jpeg(10))) })],
      ['data not an array', 'POST', () => '/photos', () => ({ data: 'x' })],
      ['id not a number', 'GET', () => '/albums/abc/photos'],
      ['negative id', 'GET', () => '/families/-1/albums'],
      ['limit too large', 'GET', () => `/albums/${aliceAlbum.id}/photos?limit=1000`],
      ['repeated query parameter', 'GET', () => `/families/oss/signature?family_id=${aliceFamily.id}&family_id=2&album_id=${aliceAlbum.id}`],
      ['huge body', 'POST', () => '/families', () => ({ name: 'x'.repeat(300_000) })],
      ['family name with a right-to-left override', 'POST', () => '/families', () => ({ name: 'photos\u202Egpj.exe' })],
      ['family name with a zero-width space', 'POST', () => '/families', () => ({ name: 'Ali\u200Bce' })],
      ['album name with a bidi isolate', 'POST', () => `/families/${aliceFamily.id}/albums`, () => ({ name: '\u2067Summer' })],
    ];
    test.each(bad.map(([name, method, path, body]) => ({ name, method, path, body })))('$name', async ({ method, path, body }) => {
      const before = { families: (await alice.client.get('/families')).body, rows: await countRows() };
      const answer = await alice.client.call(method, path(), body?.());
      expect(answer.status).toBeGreaterThanOrEqual(400);
      expect(answer.status).toBeLessThan(500);
      expect(typeof answer.body.error.code).toBe('string');
      expect(typeof answer.body.error.message).toBe('string');
      expect({ families: (await alice.client.get('/families')).body, rows: await countRows() }).toEqual(before);
    });

    test('a file name with invisible or direction characters fails its item, and an emoji family name is fine', async () => {
      const bytes = jpeg(120);
      const commit = await alice.client.post('/photos', { data: [meta(bytes, { file_name: 'cute\u202Egpj.exe' }), meta(bytes, { file_name: 'a\u200Db.jpg' })] });
      expect(commit.status).toBe(200);
      expect(commit.body.failed.map((f: { index: number; code: string }) => [f.index, f.code])).toEqual([
        [0, 'invalid_item'],
        [1, 'invalid_item'],
      ]);
      const emoji = await alice.client.post(`/families/${aliceFamily.id}/albums`, { name: '👨‍👩‍👧 summer' });
      expect(emoji.status).toBe(201);
      expect(emoji.body.album.name).toBe('👨‍👩‍👧 summer');
    });

    test('keys with .. or other folders fail per item with invalid_key', async () => {
      const bytes = jpeg(100);
      const h = md5(bytes);
      const keys = [`families/${aliceFamily.id}/../${bobFamily.id}/${h}.jpg`, `families/${aliceFamily.id}//${h}.jpg`, `families/${aliceFamily.id}/%2e%2e/${h}.jpg`, `families\\${aliceFamily.id}\\${h}.jpg`, `families/${aliceFamily.id}/${h}.exe`];
      const commit = await alice.client.post('/photos', { data: keys.map((object_key) => meta(bytes, { object_key })) });
      expect(commit.body.failed.map((f: { code: string }) => f.code)).toEqual(keys.map(() => 'invalid_key'));
      expect(commit.body.photos).toEqual([]);
    });
  });

  test('paging: newest first with a cursor', async () => {
    const album = (await alice.client.post(`/families/${aliceFamily.id}/albums`, { name: 'paging' })).body.album;
    const config = await signature(alice.client, aliceFamily.id, album.id);
    const files = Array.from({ length: 5 }, () => jpeg(300));
    for (const f of files) await postObject(config, `${config.file_base_path}${md5(f)}.jpg`, f);
    for (const f of files) {
      const commit = await alice.client.post('/photos', { data: [meta(f, { album_id: album.id })] });
      expect(commit.body.failed).toEqual([]);
    }
    const page1 = await alice.client.get(`/albums/${album.id}/photos?limit=3`);
    const page2 = await alice.client.get(`/albums/${album.id}/photos?limit=3&cursor=${page1.body.next_cursor}`);
    expect([...page1.body.photos, ...page2.body.photos].map((p: { hash_value: string }) => p.hash_value)).toEqual(files.map(md5).reverse());
    expect(page2.body.next_cursor).toBeNull();
  });

  test('logs carry request ids and never a token, signature, policy or security token', async () => {
    const config = await signature(alice.client, aliceFamily.id, aliceAlbum.id);
    const text = stack.logs.join('');
    expect(text).toContain('"requestId"');
    for (const secret of [alice.token, bob.token, config.signature, config.policy, config.security_token]) expect(text).not.toContain(secret);
  });
});
