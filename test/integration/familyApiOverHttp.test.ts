/**
 * The Mini Program's family utils (familyApi, uploadAvatar, the PATCH-over-POST of sendWxRequest)
 * against the real API and local cloud, over a Node `wx`: the real twin of the fake family routes
 * the page tests use (testkit/fakeFamilyRoutes.ts).
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { inviteErrorText } from '../../miniprogram/utils/familyApi';
import { createServices, type AppServices } from '../../miniprogram/utils/services';
import { uploadAvatar } from '../../miniprogram/utils/uploadAvatar';
import { uploadFilesToOSS } from '../../miniprogram/utils/uploadFilesToOSS';
import { createNodeWx, type NodeWx } from '../../testkit/nodeWx';
import { startStack, type Stack } from '../../testkit/startStack';

let stack: Stack;
let dir: string;
const wxs: NodeWx[] = [];

function user(name: string): { wx: NodeWx; services: AppServices } {
  const wx = createNodeWx({ userName: name });
  wxs.push(wx);
  return { wx, services: createServices(wx, stack.api.url) };
}

beforeAll(async () => {
  stack = await startStack('sqlite');
  dir = await mkdtemp(path.join(os.tmpdir(), 'family-api-'));
}, 30_000);

afterAll(async () => {
  for (const wx of wxs) wx.close();
  await stack?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

test('invite, preview, join, members with nickname and avatar, rename, remove; a used code says so in Chinese', async () => {
  const alice = user('family-alice');
  const bob = user('family-bob');
  const [family] = await alice.services.albumApi.familiesOrFirst('张家');
  const [album] = await alice.services.albumApi.albumsOrDefault(family.id);

  // PATCH /me travels as a POST with the override header: the real API takes it as PATCH.
  const me = await alice.services.familyApi.updateMe({ nickname: '张妈妈' });
  expect(me.nickname).toBe('张妈妈');
  const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), randomBytes(2000)]);
  const avatarPath = path.join(dir, 'avatar.png');
  await writeFile(avatarPath, png);
  const withAvatar = await uploadAvatar(avatarPath, me.id, { wx: alice.wx, familyApi: alice.services.familyApi });
  expect(withAvatar.avatar_url).toContain(`avatars/${me.id}/${createHash('md5').update(png).digest('hex')}.png`);
  // The avatar went to OSS by the signed POST: the presigned URL serves the very bytes.
  const fetched = await fetch(withAvatar.avatar_url!);
  expect(Buffer.from(await fetched.arrayBuffer()).equals(png)).toBe(true);

  const invite = await alice.services.familyApi.createInvite(family.id);
  const preview = await bob.services.familyApi.previewInvite(invite.code);
  expect(preview).toMatchObject({ family: { id: family.id, name: '张家' }, inviter: { nickname: '张妈妈' }, already_member: false });
  await expect(bob.services.familyApi.join(invite.code)).resolves.toMatchObject({ id: family.id, role: 'member' });
  await expect(bob.services.familyApi.previewInvite(invite.code)).resolves.toMatchObject({ already_member: true });

  const members = await bob.services.familyApi.listMembers(family.id);
  expect(members.map((m) => [m.nickname, m.role, m.avatar_url !== null])).toEqual(
    expect.arrayContaining([
      ['张妈妈', 'owner', true],
      [null, 'member', false],
    ]),
  );

  await expect(alice.services.familyApi.renameAlbum(album.id, '老照片')).resolves.toMatchObject({ id: album.id, name: '老照片' });
  await expect(bob.services.familyApi.renameAlbum(album.id, '我的')).rejects.toMatchObject({ status: 403 });

  const bobId = members.find((m) => m.role === 'member')!.user_id;
  await alice.services.familyApi.removeMember(family.id, bobId);
  await expect(bob.services.familyApi.listMembers(family.id)).rejects.toMatchObject({ status: 404 });
  const again = await bob.services.familyApi.previewInvite(invite.code).catch((err: unknown) => err);
  expect(inviteErrorText(again)).toContain('已经被使用');
  await expect(alice.services.familyApi.removeMember(family.id, me.id)).rejects.toMatchObject({ code: 'last_owner' });
});

test('a photo is deleted once; deleting it again changes nothing', async () => {
  const carol = user('family-carol');
  const [family] = await carol.services.albumApi.familiesOrFirst('李家');
  const [album] = await carol.services.albumApi.albumsOrDefault(family.id);
  const bytes = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), randomBytes(5000)]);
  const filePath = path.join(dir, 'tmp_carol.jpg');
  await writeFile(filePath, bytes);
  const [result] = await uploadFilesToOSS(
    [{ path: filePath, name: 'carol.jpg', size: bytes.length, sizeKb: Math.ceil(bytes.length / 1024), time: Date.now(), type: 'image', hash: '' }],
    { familyId: family.id, albumId: album.id },
    { wx: carol.wx, requestAPI: carol.services.requestAPI, now: () => Date.now(), random: Math.random, sleep: (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)) },
  );
  if (result.status === 'failed') throw new Error(`upload failed: ${result.reason}`);
  const listed = await carol.services.albumApi.listPhotos(album.id, { limit: 10 });
  expect(listed.photos.map((p) => p.uploaded_by.id)).toHaveLength(1);

  await carol.services.familyApi.deletePhoto(result.photo.id);
  await carol.services.familyApi.deletePhoto(result.photo.id);
  expect((await carol.services.albumApi.listPhotos(album.id, { limit: 10 })).photos).toEqual([]);
});
