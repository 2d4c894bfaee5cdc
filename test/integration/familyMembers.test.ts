import { createHash, randomBytes } from 'node:crypto';
import type { OssUploadConfig } from '../../typings';
import { apiClient, loginAs } from '../../testkit/apiClient';
import { postObject } from '../../testkit/postObject';
import { Stack, startStack, storeKinds } from '../../testkit/startStack';
import { jpegPhotoMeta } from '../../testkit/fixtures';

const md5 = (bytes: Buffer) => createHash('md5').update(bytes).digest('hex');
const jpeg = (size: number) => Buffer.concat([Buffer.from([0xff, 0xd8, 0xff]), randomBytes(size - 3)]);

type Person = Awaited<ReturnType<typeof loginAs>>;

describe.each(storeKinds())('family sharing over HTTP (%s)', (kind) => {
  let stack: Stack;
  // The API and the local cloud read this clock; tests move it forward to expire invites.
  let offsetMs = 0;
  const now = () => new Date(Date.now() + offsetMs);
  let people = 0;
  const person = (name: string) => loginAs(stack.api.url, `${name}-${++people}`);

  beforeAll(async () => {
    stack = await startStack(kind, { now });
  });
  afterAll(() => stack.close());

  /** Alice's new family with its default album, and the invite code she made for it. */
  async function familyOf(owner: Person, name = '张家') {
    const created = await owner.client.post('/families', { name });
    expect(created.status).toBe(201);
    return { family: created.body.family as { id: number }, album: created.body.album as { id: number } };
  }
  async function invite(owner: Person, familyId: number, body: Record<string, unknown> = {}) {
    const answer = await owner.client.post(`/families/${familyId}/invites`, body);
    expect(answer.status).toBe(201);
    return answer.body.code as string;
  }
  async function join(someone: Person, code: string) {
    const answer = await someone.client.post('/families/join', { code });
    expect(answer.status).toBe(200);
  }
  async function upload(someone: Person, familyId: number, albumId: number, bytes = jpeg(2000)) {
    const sig = await someone.client.get<OssUploadConfig>(`/families/oss/signature?family_id=${familyId}&album_id=${albumId}`);
    expect(sig.status).toBe(200);
    const key = `families/${familyId}/${md5(bytes)}.jpg`;
    expect((await postObject(sig.body, key, bytes)).status).toBe(200);
    const commit = await someone.client.post('/photos', {
      data: [jpegPhotoMeta({ familyId, albumId }, bytes)],
    });
    expect(commit.body.failed).toEqual([]);
    return commit.body.photos[0] as { id: number; hash_value: string };
  }

  describe('members', () => {
    test('a member lists everyone with role and join time, owner first; a stranger gets 404', async () => {
      const [alice, bob, eve] = [await person('alice'), await person('bob'), await person('eve')];
      const { family } = await familyOf(alice);
      await join(bob, await invite(alice, family.id));
      await alice.client.call('PATCH', '/me', { nickname: '妈妈' });
      const list = await bob.client.get(`/families/${family.id}/members`);
      expect(list.status).toBe(200);
      expect(list.body.members).toEqual([
        { user_id: alice.user.id, nickname: '妈妈', avatar_url: null, role: 'owner', joined_at: expect.any(String) },
        { user_id: bob.user.id, nickname: null, avatar_url: null, role: 'member', joined_at: expect.any(String) },
      ]);
      expect((await eve.client.get(`/families/${family.id}/members`)).status).toBe(404);
      expect((await eve.client.get(`/families/999999/members`)).status).toBe(404);
    });

    test('the owner removes a member: every route of that family answers the member 404 at once, their photos stay', async () => {
      const [alice, bob] = [await person('alice'), await person('bob')];
      const { family, album } = await familyOf(alice);
      await join(bob, await invite(alice, family.id));
      const bobs = await upload(bob, family.id, album.id);
      const sig = (await bob.client.get<OssUploadConfig>(`/families/oss/signature?family_id=${family.id}&album_id=${album.id}`)).body;

      const removed = await alice.client.call('DELETE', `/families/${family.id}/members/${bob.user.id}`);
      expect(removed.status).toBe(204);

      expect((await bob.client.get(`/families/oss/signature?family_id=${family.id}&album_id=${album.id}`)).status).toBe(404);
      expect((await bob.client.post('/photos/hash/check', { family_id: family.id, hashes: [bobs.hash_value] })).status).toBe(404);
      expect((await bob.client.get(`/albums/${album.id}/photos`)).status).toBe(404);
      expect((await bob.client.get(`/families/${family.id}/albums`)).status).toBe(404);
      expect((await bob.client.get(`/families/${family.id}/members`)).status).toBe(404);
      expect((await bob.client.call('DELETE', `/photos/${bobs.id}`)).status).toBe(404);
      expect((await bob.client.get('/families')).body.families).toEqual([]);
      // A policy signed before the removal still uploads until it expires (minutes), but the
      // commit that would make the object a photo is refused.
      const late = jpeg(1500);
      const key = `families/${family.id}/${md5(late)}.jpg`;
      expect((await postObject(sig, key, late)).status).toBe(200);
      const commit = await bob.client.post('/photos', {
        data: [{ album_id: album.id, family_id: family.id, file_name: 'b.jpg', object_key: key, file_type: 'image', file_size: late.length, hash_value: md5(late) }],
      });
      expect(commit.body).toEqual({ photos: [], failed: [{ index: 0, code: 'not_found', message: 'album not found' }] });

      const listed = await alice.client.get(`/albums/${album.id}/photos`);
      expect(listed.body.photos.map((p: { id: number }) => p.id)).toEqual([bobs.id]);
      expect((await alice.client.get(`/families/${family.id}/members`)).body.members.map((m: { user_id: number }) => m.user_id)).toEqual([alice.user.id]);
    });

    test('a member leaves by removing themself; a member cannot remove anyone else', async () => {
      const [alice, bob, carol] = [await person('alice'), await person('bob'), await person('carol')];
      const { family, album } = await familyOf(alice);
      const code = await invite(alice, family.id, { max_uses: 2 });
      await join(bob, code);
      await join(carol, code);
      const forbidden = await bob.client.call('DELETE', `/families/${family.id}/members/${carol.user.id}`);
      expect(forbidden.status).toBe(403);
      expect(forbidden.body.error.code).toBe('forbidden');
      const ownerRemoval = await bob.client.call('DELETE', `/families/${family.id}/members/${alice.user.id}`);
      expect(ownerRemoval.status).toBe(403);

      expect((await bob.client.call('DELETE', `/families/${family.id}/members/${bob.user.id}`)).status).toBe(204);
      expect((await bob.client.get(`/albums/${album.id}/photos`)).status).toBe(404);
      // Leaving twice: no longer a member of the family at all.
      expect((await bob.client.call('DELETE', `/families/${family.id}/members/${bob.user.id}`)).status).toBe(404);
      // The owner removing someone who is not (or no longer) a member.
      expect((await alice.client.call('DELETE', `/families/${family.id}/members/${bob.user.id}`)).status).toBe(404);
      expect((await carol.client.get(`/albums/${album.id}/photos`)).status).toBe(200);
    });

    test('the last owner cannot leave (409 last_owner) and stays owner', async () => {
      const [alice, bob] = [await person('alice'), await person('bob')];
      const { family } = await familyOf(alice);
      const alone = await alice.client.call('DELETE', `/families/${family.id}/members/${alice.user.id}`);
      expect(alone.status).toBe(409);
      expect(alone.body.error.code).toBe('last_owner');
      await join(bob, await invite(alice, family.id));
      const withMembers = await alice.client.call('DELETE', `/families/${family.id}/members/${alice.user.id}`);
      expect(withMembers.status).toBe(409);
      expect(withMembers.body.error.code).toBe('last_owner');
      expect((await alice.client.get('/families')).body.families).toEqual([{ id: family.id, name: '张家', role: 'owner' }]);
    });

    test('a removed member may come back only with a new invite; joining twice is harmless', async () => {
      const [alice, bob] = [await person('alice'), await person('bob')];
      const { family, album } = await familyOf(alice);
      const code = await invite(alice, family.id);
      await join(bob, code);
      await join(bob, code); // already a member: succeeds, spends nothing
      expect((await alice.client.get(`/families/${family.id}/members`)).body.members).toHaveLength(2);
      await alice.client.call('DELETE', `/families/${family.id}/members/${bob.user.id}`);
      const replay = await bob.client.post('/families/join', { code });
      expect(replay.status).toBe(409);
      expect(replay.body.error.code).toBe('invite_used_up');
      expect((await bob.client.get(`/albums/${album.id}/photos`)).status).toBe(404);
      await join(bob, await invite(alice, family.id));
      expect((await bob.client.get(`/albums/${album.id}/photos`)).status).toBe(200);
    });

    test.each([
      ['a non-numeric family', '/families/abc/members/1'],
      ['a non-numeric user', '/families/1/members/me'],
      ['a zero id', '/families/0/members/1'],
    ])('%s is a 400 and removes nothing', async (_name, path) => {
      const alice = await person('alice');
      const answer = await alice.client.call('DELETE', path);
      expect(answer.status).toBe(400);
    });
  });

  describe('invite preview', () => {
    test('shows the family, the inviter and the expiry without joining', async () => {
      const [alice, bob] = [await person('alice'), await person('bob')];
      const { family } = await familyOf(alice, '李家');
      await alice.client.call('PATCH', '/me', { nickname: '李阿姨' });
      const code = await invite(alice, family.id);
      const preview = await bob.client.get(`/invites/${code.toLowerCase()}`);
      expect(preview.status).toBe(200);
      expect(preview.body).toEqual({ family: { id: family.id, name: '李家' }, inviter: { nickname: '李阿姨' }, expires_at: expect.any(String), already_member: false });
      expect(preview.headers.get('cache-control')).toBe('private, no-store');
      expect((await bob.client.get('/families')).body.families).toEqual([]);
      // Still unspent: the preview took nothing.
      await join(bob, code);
      expect((await bob.client.get(`/invites/${code}`)).body.already_member).toBe(true);
    });

    test('unknown is 404; used up and expired are 410 with their codes; a member still sees it', async () => {
      const [alice, bob, carol] = [await person('alice'), await person('bob'), await person('carol')];
      const { family } = await familyOf(alice);
      const unknown = await bob.client.get('/invites/ZZZZZZZZZZ');
      expect(unknown.status).toBe(404);
      expect(unknown.body.error.code).toBe('invite_not_found');

      const used = await invite(alice, family.id);
      await join(bob, used);
      const usedUp = await carol.client.get(`/invites/${used}`);
      expect(usedUp.status).toBe(410);
      expect(usedUp.body.error.code).toBe('invite_used_up');
      expect((await bob.client.get(`/invites/${used}`)).status).toBe(200);

      const shortLived = await invite(alice, family.id, { expires_in_sec: 60 });
      expect((await carol.client.get(`/invites/${shortLived}`)).status).toBe(200);
      offsetMs += 61_000;
      const expired = await carol.client.get(`/invites/${shortLived}`);
      expect(expired.status).toBe(410);
      expect(expired.body.error.code).toBe('invite_expired');
      const lateJoin = await carol.client.post('/families/join', { code: shortLived });
      expect(lateJoin.status).toBe(410);
      expect((await carol.client.get('/families')).body.families).toEqual([]);
    });

    test('needs a session', async () => {
      expect((await apiClient(stack.api.url).get('/invites/ABCDEFGHJK')).status).toBe(401);
    });

    test('is rate-limited per user like guessing codes should be: 429 with Retry-After', async () => {
      const limited = await startStack(kind, { env: { RATE_LIMIT_JOIN_PER_USER: '3' } });
      try {
        const guesser = await loginAs(limited.api.url, 'guesser');
        const answers = [];
        for (let i = 0; i < 4; i++) answers.push(await guesser.client.get(`/invites/GUESS${i}AAAA`));
        expect(answers.map((a) => a.status)).toEqual([404, 404, 404, 429]);
        expect(answers[3].body.error.code).toBe('rate_limited');
        expect(Number(answers[3].headers.get('retry-after'))).toBeGreaterThan(0);
        // Another user is not held back by the guesser's budget.
        const other = await loginAs(limited.api.url, 'other');
        expect((await other.client.get('/invites/GUESS9AAAA')).status).toBe(404);
      } finally {
        await limited.close();
      }
    });
  });

  describe('profile', () => {
    test('GET and PATCH /me: nickname set, trimmed, cleared; bad ones refused', async () => {
      const alice = await person('alice');
      expect((await alice.client.get('/me')).body).toEqual({ user: { id: alice.user.id, nickname: null, avatar_url: null } });
      const set = await alice.client.call('PATCH', '/me', { nickname: '  小明 ' });
      expect(set.status).toBe(200);
      expect(set.body.user).toEqual({ id: alice.user.id, nickname: '小明', avatar_url: null });
      for (const nickname of ['', 'x'.repeat(33), 'a\u0007b', 42]) {
        const bad = await alice.client.call('PATCH', '/me', { nickname });
        expect(bad.status).toBe(400);
      }
      expect((await alice.client.get('/me')).body.user.nickname).toBe('小明');
      expect((await alice.client.call('PATCH', '/me', { nickname: null })).body.user.nickname).toBeNull();
    });

    test('avatar: signed direct upload under avatars/<me>/, images only, small; recorded after a HEAD; served presigned', async () => {
      const [alice, bob] = [await person('alice'), await person('bob')];
      const sig = await alice.client.get<OssUploadConfig>('/me/avatar/signature');
      expect(sig.status).toBe(200);
      expect(sig.headers.get('cache-control')).toBe('no-store');
      expect(sig.body.file_base_path).toBe(`avatars/${alice.user.id}/`);
      expect(sig.body.allowed_content_types).toEqual(['image/jpeg', 'image/png', 'image/webp']);
      expect(sig.body.max_size).toBe(2 * 1024 * 1024);

      const picture = jpeg(5000);
      const key = `avatars/${alice.user.id}/${md5(picture)}.jpg`;
      // The policy pins the prefix, the types and the size: OSS refuses anything else.
      expect((await postObject(sig.body, `avatars/${bob.user.id}/${md5(picture)}.jpg`, picture)).status).toBe(403);
      expect((await postObject(sig.body, `families/1/${md5(picture)}.jpg`, picture)).status).toBe(403);
      expect((await postObject(sig.body, `avatars/${alice.user.id}/${md5(picture)}.mp4`, picture, 'video/mp4')).status).toBe(403);
      expect((await postObject(sig.body, key, picture, 'image/jpeg', { 'x-oss-object-acl': 'public-read' })).status).toBe(403);
      const big = jpeg(2 * 1024 * 1024 + 1);
      expect((await postObject(sig.body, `avatars/${alice.user.id}/${md5(big)}.jpg`, big)).status).toBe(400);

      const missing = await alice.client.call('PATCH', '/me', { avatar_key: key });
      expect(missing.status).toBe(400);
      expect(missing.body.error.code).toBe('avatar_missing');
      expect((await postObject(sig.body, key, picture)).status).toBe(200);
      const foreign = await bob.client.call('PATCH', '/me', { avatar_key: key });
      expect(foreign.status).toBe(400);
      expect(foreign.body.error.code).toBe('invalid_request');
      for (const bad of [`avatars/${alice.user.id}/../x.jpg`, `avatars/${alice.user.id}/${md5(picture)}.gif`, 'avatars/x.jpg']) {
        expect((await alice.client.call('PATCH', '/me', { avatar_key: bad })).status).toBe(400);
      }

      const set = await alice.client.call('PATCH', '/me', { avatar_key: key, nickname: '爱丽丝' });
      expect(set.status).toBe(200);
      expect(set.body.user.nickname).toBe('爱丽丝');
      const served = await fetch(set.body.user.avatar_url);
      expect(served.status).toBe(200);
      expect(Buffer.from(await served.arrayBuffer()).equals(picture)).toBe(true);

      // A new picture replaces the old one, which is deleted from OSS.
      const next = jpeg(4000);
      const nextKey = `avatars/${alice.user.id}/${md5(next)}.jpg`;
      expect((await postObject(sig.body, nextKey, next)).status).toBe(200);
      expect((await alice.client.call('PATCH', '/me', { avatar_key: nextKey })).status).toBe(200);
      expect(await stack.api.deps.ossClient.headObject(key)).toBeUndefined();
      expect(await stack.api.deps.ossClient.headObject(nextKey)).toBeDefined();
    });
  });

  describe('album listing and rename', () => {
    test('each photo carries its uploader (nickname, avatar); a video its poster frame', async () => {
      const [alice, bob] = [await person('alice'), await person('bob')];
      const { family, album } = await familyOf(alice);
      await join(bob, await invite(alice, family.id));
      await bob.client.call('PATCH', '/me', { nickname: '鲍勃' });
      const alices = await upload(alice, family.id, album.id);
      const bobs = await upload(bob, family.id, album.id);
      const video = Buffer.concat([Buffer.from('\0\0\0\x18ftypmp42'), randomBytes(3000)]);
      const sig = (await bob.client.get<OssUploadConfig>(`/families/oss/signature?family_id=${family.id}&album_id=${album.id}`)).body;
      const videoKey = `families/${family.id}/${md5(video)}.mp4`;
      expect((await postObject(sig, videoKey, video, 'video/mp4')).status).toBe(200);
      const committed = await bob.client.post('/photos', {
        data: [{ album_id: album.id, family_id: family.id, file_name: 'v.mp4', object_key: videoKey, file_type: 'video', file_size: video.length, hash_value: md5(video) }],
      });
      expect(committed.body.failed).toEqual([]);

      const list = await alice.client.get(`/albums/${album.id}/photos`);
      const byId = new Map(list.body.photos.map((p: { id: number }) => [p.id, p]));
      expect(byId.get(alices.id)).toMatchObject({ uploaded_by: { id: alice.user.id, nickname: null, avatar_url: null } });
      expect(byId.get(bobs.id)).toMatchObject({ uploaded_by: { id: bob.user.id, nickname: '鲍勃', avatar_url: null } });
      const listedVideo = byId.get(committed.body.photos[0].id) as { thumbnail_url: string; uploaded_by: unknown };
      expect(listedVideo.uploaded_by).toEqual({ id: bob.user.id, nickname: '鲍勃', avatar_url: null });
      expect(new URL(listedVideo.thumbnail_url).searchParams.get('x-oss-process')).toMatch(/^video\/snapshot,/);
    });

    test('PATCH /albums/:id: the owner and the album’s creator rename; other members 403; strangers 404', async () => {
      const [alice, bob, carol, eve] = [await person('alice'), await person('bob'), await person('carol'), await person('eve')];
      const { family, album } = await familyOf(alice);
      const code = await invite(alice, family.id, { max_uses: 2 });
      await join(bob, code);
      await join(carol, code);
      const bobsAlbum = (await bob.client.post(`/families/${family.id}/albums`, { name: '旅行' })).body.album;

      const byOwner = await alice.client.call('PATCH', `/albums/${bobsAlbum.id}`, { name: ' 2026 旅行 ' });
      expect(byOwner.status).toBe(200);
      expect(byOwner.body.album).toEqual({ ...bobsAlbum, name: '2026 旅行' });
      expect((await bob.client.call('PATCH', `/albums/${bobsAlbum.id}`, { name: '我的旅行' })).body.album.name).toBe('我的旅行');
      const byMember = await carol.client.call('PATCH', `/albums/${bobsAlbum.id}`, { name: 'mine' });
      expect(byMember.status).toBe(403);
      expect((await bob.client.call('PATCH', `/albums/${album.id}`, { name: 'mine' })).status).toBe(403);
      expect((await eve.client.call('PATCH', `/albums/${album.id}`, { name: 'mine' })).status).toBe(404);
      expect((await alice.client.call('PATCH', `/albums/${album.id}`, { name: '' })).status).toBe(400);
      const albums = (await alice.client.get(`/families/${family.id}/albums`)).body.albums.map((a: { name: string }) => a.name);
      expect(albums).toEqual(['家庭相册', '我的旅行']);
    });
  });
});
