/**
 * A member must not be able to break another member's photo for the whole family: an object is
 * recorded only if what OSS stores with it is what the album's own form would have stored. Over
 * real HTTP, through the local OSS (which, like OSS, keeps whatever extra form headers it is given).
 */
import { createHash, randomBytes } from 'node:crypto';
import type { CommitPhotosResponse, OssUploadConfig } from '../../typings';
import { loginAs } from '../../testkit/apiClient';
import { postObject } from '../../testkit/postObject';
import { Stack, startStack, storeKinds } from '../../testkit/startStack';
import { signPostPolicy } from '../../oss-signer';
import { uploadConditions } from '../../server/src/upload/uploadConfig';

const md5 = (bytes: Buffer) => createHash('md5').update(bytes).digest('hex');
const jpeg = (size: number) => Buffer.concat([Buffer.from([0xff, 0xd8, 0xff]), randomBytes(size - 3)]);

describe.each(storeKinds())('stored object headers (%s)', (kind) => {
  let stack: Stack;
  let alice: Awaited<ReturnType<typeof loginAs>>;
  let bob: Awaited<ReturnType<typeof loginAs>>;
  let family: { id: number };
  let album: { id: number };

  beforeAll(async () => {
    stack = await startStack(kind);
    alice = await loginAs(stack.api.url, 'alice');
    bob = await loginAs(stack.api.url, 'bob');
    ({ family, album } = (await alice.client.post('/families', { name: 'family' })).body);
    const invite = await alice.client.post(`/families/${family.id}/invites`, {});
    expect((await bob.client.post('/families/join', { code: invite.body.code })).status).toBe(200);
  });
  afterAll(() => stack.close());

  const signature = async (who: typeof alice) => (await who.client.get<OssUploadConfig>(`/families/oss/signature?family_id=${family.id}&album_id=${album.id}`)).body;
  const keyOf = (bytes: Buffer, extension = 'jpg') => `families/${family.id}/${md5(bytes)}.${extension}`;
  const item = (bytes: Buffer, overrides: Record<string, unknown> = {}) => ({
    album_id: album.id,
    family_id: family.id,
    file_name: 'IMG_0001.jpg',
    object_key: keyOf(bytes),
    file_type: 'image',
    file_size: bytes.length,
    hash_value: md5(bytes),
    ...overrides,
  });
  const commit = async (who: typeof alice, items: unknown[]) => {
    const answer = await who.client.post<CommitPhotosResponse>('/photos', { data: items });
    expect(answer.status).toBe(200);
    return answer.body;
  };
  const recorded = async (bytes: Buffer) => (await stack.store.findObjects(family.id, [md5(bytes)])).length;

  test("a member's gzip / attachment / wrong-type copy of another's photo is refused and removed, and her retry lands clean", async () => {
    const photo = jpeg(2000);
    // Bob knows the bytes of Alice's photo and gets there first, with headers the album never sets.
    const hostile = await postObject(await signature(bob), keyOf(photo), photo, 'video/3gpp', {
      'Content-Encoding': 'gzip',
      'Content-Disposition': 'attachment; filename="photo.html"',
    });
    expect(hostile.status).toBe(200);
    const aliceConfig = await signature(alice);
    expect((await postObject(aliceConfig, keyOf(photo), photo)).status).toBe(409);

    const first = await commit(alice, [item(photo)]);
    expect(first.photos).toEqual([]);
    expect(first.failed).toEqual([{ index: 0, code: 'object_rejected', message: expect.stringContaining('upload the file again') }]);
    expect(await recorded(photo)).toBe(0);
    expect(await stack.api.deps.ossClient.headObject(keyOf(photo))).toBeUndefined();

    // The client re-uploads once on object_rejected: the key is free again.
    expect((await postObject(aliceConfig, keyOf(photo), photo)).status).toBe(200);
    const second = await commit(alice, [item(photo)]);
    expect(second.failed).toEqual([]);
    expect(second.photos).toEqual([expect.objectContaining({ hash_value: md5(photo), file_type: 'image' })]);
    const head = await stack.api.deps.ossClient.headObject(keyOf(photo));
    expect(head?.headers['content-type']).toBe('image/jpeg');
    expect(head?.headers['content-encoding']).toBeUndefined();
  });

  test.each([
    ['a .jpg key holding video/quicktime', 'video/quicktime', {}],
    ['a .jpg key holding image/png', 'image/png', {}],
    ['user metadata', 'image/jpeg', { 'x-oss-meta-owner': 'bob' }],
    ['Cache-Control', 'image/jpeg', { 'Cache-Control': 'max-age=31536000' }],
    ['Expires', 'image/jpeg', { Expires: 'Thu, 01 Jan 2099 00:00:00 GMT' }],
    ['Content-Disposition alone', 'image/jpeg', { 'Content-Disposition': 'attachment' }],
  ])('%s is object_rejected and removed', async (_name, contentType, extra) => {
    const photo = jpeg(1500);
    expect((await postObject(await signature(bob), keyOf(photo), photo, contentType, extra)).status).toBe(200);
    const answer = await commit(bob, [item(photo)]);
    expect(answer.failed.map((f) => f.code)).toEqual(['object_rejected']);
    expect(await recorded(photo)).toBe(0);
    expect(await stack.api.deps.ossClient.headObject(keyOf(photo))).toBeUndefined();
  });

  test('the album\'s own upload of every media type is recorded', async () => {
    const items = [];
    for (const [extension, contentType, fileType] of [
      ['jpg', 'image/jpeg', 'image'],
      ['heic', 'image/heic', 'image'],
      ['mp4', 'video/mp4', 'video'],
      ['mov', 'video/quicktime', 'video'],
    ]) {
      const bytes = jpeg(1200);
      expect((await postObject(await signature(alice), keyOf(bytes, extension), bytes, contentType)).status).toBe(200);
      items.push(item(bytes, { object_key: keyOf(bytes, extension), file_type: fileType }));
    }
    const answer = await commit(alice, items);
    expect(answer.failed).toEqual([]);
    expect(answer.photos.map((p) => p.file_type)).toEqual(['image', 'image', 'video', 'video']);
  });

  test("why the policy cannot forbid the headers itself: a condition on Content-Encoding refuses the album's own form, which lacks the field", async () => {
    // OSS fails a condition whose field the form does not carry (0006-00000226), so `["eq", "$content-encoding", ""]`
    // would forbid nothing but every honest upload; the commit's check of what OSS stored is the guard.
    const own = await signature(alice);
    const credentials = await stack.api.deps.credentials.get();
    const at = new Date();
    const signed = signPostPolicy({
      credentials,
      region: stack.config.oss.region,
      at,
      expiresAt: new Date(at.getTime() + 60_000),
      conditions: [...uploadConditions(stack.config.oss.bucket, family.id, stack.config.limits.maxFileSizeBytes), ['eq', '$content-encoding', '']],
    });
    const strict = { ...own, policy: signed.policy, signature: signed['x-oss-signature'], credential: signed['x-oss-credential'], date: signed['x-oss-date'] };
    const photo = jpeg(1000);
    const refused = await postObject(strict, keyOf(photo), photo);
    expect(refused.status).toBe(403);
    expect(refused.text).toContain('Policy Condition failed');
    expect((await postObject(own, keyOf(photo), photo)).status).toBe(200);
  });

  test('秒传 does not record a stored .mp4 object as an image', async () => {
    const clip = jpeg(1800);
    expect((await postObject(await signature(alice), keyOf(clip, 'mp4'), clip, 'video/mp4')).status).toBe(200);
    expect((await commit(alice, [item(clip, { object_key: keyOf(clip, 'mp4'), file_type: 'video' })])).failed).toEqual([]);
    const other = (await alice.client.post(`/families/${family.id}/albums`, { name: 'other' })).body.album;

    const answer = await commit(bob, [item(clip, { album_id: other.id, file_type: 'image' }), item(clip, { album_id: other.id, file_type: 'video' })]);
    expect(answer.failed).toEqual([{ index: 0, code: 'invalid_item', message: expect.stringContaining('.mp4') }]);
    expect(answer.photos).toEqual([expect.objectContaining({ album_id: other.id, file_type: 'video', object_key: keyOf(clip, 'mp4') })]);
  });
});
