import { createFakeAlbumApi } from '../../testkit/fakeAlbumApi';
import { createFamilyApi, inviteErrorText } from './familyApi';
import { ApiRequestError } from './sendWxRequest';

const owned = { id: 1, name: '我的家庭', role: 'owner' as const };

function setup(options: Parameters<typeof createFakeAlbumApi>[0] = {}) {
  const fake = createFakeAlbumApi({ families: [owned], ...options });
  return { fake, api: createFamilyApi(fake.requestAPI) };
}

test('an invite made by the owner previews as the family and its inviter, and joins once', async () => {
  const { fake, api } = setup({ me: { id: 1, nickname: '张妈妈', avatar_key: null } });
  const invite = await api.createInvite(1);
  expect(fake.calls.at(-1)).toMatchObject({ method: 'POST', path: '/families/1/invites' });
  // The owner is already in: the preview says so, and the join page just opens the family.
  await expect(api.previewInvite(invite.code)).resolves.toMatchObject({ family: { id: 1, name: '我的家庭' }, inviter: { nickname: '张妈妈' }, already_member: true });

  const { api: other } = setup({ families: [], invites: [{ code: 'C1', family: { id: 9, name: '张家' }, inviter: '张妈妈' }] });
  await expect(other.previewInvite('C1')).resolves.toMatchObject({ family: { name: '张家' }, already_member: false });
  await expect(other.join('C1')).resolves.toEqual({ id: 9, name: '张家', role: 'member' });
  await expect(other.listMembers(9)).resolves.toEqual([expect.objectContaining({ user_id: 1, role: 'member' })]);
});

test.each([
  ['invite_not_found', 404, '不存在'],
  ['invite_expired', 410, '已过期'],
  ['invite_used_up', 409, '已经被使用'],
  ['rate_limited', 429, '太频繁'],
  ['internal', 500, '检查网络'],
])('inviteErrorText(%s) is plain Chinese', (code, status, says) => {
  expect(inviteErrorText(new ApiRequestError(status, code, 'x'))).toContain(says);
});

test('an expired or used-up code neither previews nor joins, and changes nothing', async () => {
  const { fake, api } = setup({ invites: [{ code: 'OLD', family: { id: 9, name: '张家' }, inviter: null, state: 'expired' }] });
  await expect(api.previewInvite('OLD')).rejects.toMatchObject({ status: 410, code: 'invite_expired' });
  await expect(api.join('OLD')).rejects.toMatchObject({ code: 'invite_expired' });
  expect(fake.families).toEqual([owned]);
});

test('members: the owner removes one; a member leaves; the last owner cannot', async () => {
  const { fake, api } = setup({
    families: [owned, { id: 2, name: '张家', role: 'member' }],
    members: { 1: [{ user_id: 5, nickname: '小明', avatar_url: null, role: 'member', joined_at: '' }], 2: [{ user_id: 7, nickname: null, avatar_url: null, role: 'owner', joined_at: '' }] },
  });
  expect((await api.listMembers(1)).map((m) => m.user_id).sort()).toEqual([1, 5]);
  await api.removeMember(1, 5);
  expect((await api.listMembers(1)).map((m) => m.user_id)).toEqual([1]);
  await expect(api.removeMember(1, 1)).rejects.toMatchObject({ status: 409, code: 'last_owner' });
  await api.removeMember(2, 1);
  expect(fake.families.map((f) => f.id)).toEqual([1]);
  await expect(api.listMembers(2)).rejects.toMatchObject({ status: 404 });
});

test('rename sends PATCH /albums/:id {name}; profile reads and writes /me', async () => {
  const { fake, api } = setup({ albums: [{ id: 11, family_id: 1, name: '家庭相册', is_default: true, created_at: '' }] });
  await expect(api.renameAlbum(11, '老照片')).resolves.toMatchObject({ id: 11, name: '老照片' });
  expect(fake.calls.at(-1)).toMatchObject({ method: 'PATCH', path: '/albums/11', data: { name: '老照片' } });
  await expect(api.me()).resolves.toEqual({ id: 1, nickname: null, avatar_url: null });
  await expect(api.updateMe({ nickname: '小明' })).resolves.toMatchObject({ nickname: '小明' });
  expect(fake.calls.at(-1)).toMatchObject({ method: 'PATCH', path: '/me', data: { nickname: '小明' } });
});

test('deleting a photo twice is a no-op the second time; the object goes with its last photo', async () => {
  const { fake, api } = setup({ albums: [{ id: 11, family_id: 1, name: 'a', is_default: true, created_at: '' }] });
  const photo = (id: number, albumId: number) => ({
    id,
    album_id: albumId,
    family_id: 1,
    file_name: 'p.jpg',
    file_type: 'image' as const,
    file_size: 10,
    hash_value: 'a'.repeat(32),
    object_key: `families/1/${'a'.repeat(32)}.jpg`,
    creator_id: 1,
    upload_time: '',
    created_at: '',
    url: '',
    thumbnail_url: '',
    url_expires_at: '',
    uploaded_by: { id: 1, nickname: null, avatar_url: null },
  });
  fake.photos.push(photo(1, 11), photo(2, 12));
  fake.objects.set(photo(1, 11).object_key, 10);
  await api.deletePhoto(1);
  expect(fake.objects.has(photo(1, 11).object_key)).toBe(true);
  await api.deletePhoto(1);
  await api.deletePhoto(2);
  expect(fake.photos).toEqual([]);
  expect(fake.objects.size).toBe(0);
});

test('a delete the API refuses for another reason is reported', async () => {
  const failing = createFamilyApi((async () => {
    throw new ApiRequestError(503, 'storage_unavailable', 'down');
  }) as never);
  await expect(failing.deletePhoto(1)).rejects.toMatchObject({ code: 'storage_unavailable' });
});
