import { LIMITS } from '@family-album/contract';
import { createFakeCloud } from '../../testkit/createFakeCloud';
import { createFamilyApi } from './familyApi';
import { uploadAvatar } from './uploadAvatar';

const MD5 = 'c'.repeat(32);

function setup(file: { path: string; size: number }) {
  const cloud = createFakeCloud({ families: [], files: [{ ...file, md5: MD5 }] });
  cloud.autoUpload();
  return { cloud, deps: { wx: cloud.wx as never, familyApi: createFamilyApi(cloud.api.requestAPI) } };
}

test('the picture goes straight to OSS under avatars/<userId>/<md5>.<ext> with the avatar policy, then PATCH /me records its key', async () => {
  const { cloud, deps } = setup({ path: 'http://tmp/avatar.PNG', size: 2000 });
  const user = await uploadAvatar('http://tmp/avatar.PNG', 1, deps);

  expect(cloud.uploads).toHaveLength(1);
  expect(cloud.uploads[0].key).toBe(`avatars/1/${MD5}.png`);
  expect(cloud.uploads[0].formData).toMatchObject({ policy: 'policy-avatar', 'Content-Type': 'image/png', 'x-oss-forbid-overwrite': 'true' });
  expect(cloud.requests.filter((r) => r !== 'POST /auth/login')).toEqual(['GET /me/avatar/signature', 'PATCH /me']);
  expect(cloud.api.calls.at(-1)?.data).toEqual({ avatar_key: `avatars/1/${MD5}.png` });
  expect(user.avatar_url).toContain(`avatars/1/${MD5}.png`);
});

test('a temp file without an image extension is sent as a JPEG', async () => {
  const { cloud, deps } = setup({ path: 'wxfile://tmp_abc', size: 10 });
  await uploadAvatar('wxfile://tmp_abc', 1, deps);
  expect(cloud.uploads[0].key).toBe(`avatars/1/${MD5}.jpg`);
  expect(cloud.uploads[0].formData['Content-Type']).toBe('image/jpeg');
});

test('a picture over the avatar limit is refused before anything is asked or sent', async () => {
  const { cloud, deps } = setup({ path: 'http://tmp/big.jpg', size: LIMITS.maxAvatarBytes + 1 });
  await expect(uploadAvatar('http://tmp/big.jpg', 1, deps)).rejects.toMatchObject({ code: 'too_large' });
  expect(cloud.uploads).toHaveLength(0);
  expect(cloud.requests).toEqual([]);
});
