import { buildPageTree, type PageTree } from '../../testkit/buildPageTree';
import { createFakeCloud, type FakeCloud } from '../../testkit/createFakeCloud';
import { attr, renderPage, text, type RenderedNode } from '../../testkit/simulatePage';

const PAGE = 'pages/profile/index';
const MD5 = 'd'.repeat(32);

let tree: PageTree;
beforeAll(() => {
  tree = buildPageTree();
});
afterAll(() => tree.remove());

async function open(cloud: FakeCloud): Promise<RenderedNode> {
  Object.assign(wx, cloud.wx);
  const page = renderPage(tree, PAGE);
  await page.instance.onLoad();
  return page;
}

test('uses WeChat’s avatar button and nickname input', async () => {
  const page = await open(createFakeCloud({ me: { id: 1, nickname: '小明', avatar_key: null } }));
  expect(attr(page.querySelector('.avatar-button'), 'openType')).toBe('chooseAvatar');
  expect(attr(page.querySelector('.nickname-input'), 'type')).toBe('nickname');
  expect(attr(page.querySelector('.nickname-input'), 'value')).toBe('小明');
});

test('a chosen avatar goes straight to OSS under the user’s avatars/ folder, then PATCH /me records it', async () => {
  const cloud = createFakeCloud({ files: [{ path: 'http://tmp/chosen.jpeg', size: 3000, md5: MD5 }] });
  cloud.autoUpload();
  const page = await open(cloud);
  await page.instance.onChooseAvatar({ detail: { avatarUrl: 'http://tmp/chosen.jpeg' } });

  expect(cloud.uploads.map((u) => u.key)).toEqual([`avatars/1/${MD5}.jpeg`]);
  expect(cloud.api.me.avatar_key).toBe(`avatars/1/${MD5}.jpeg`);
  expect(text(page.querySelector('.notice'))).toBe('头像已更新');
  expect(attr(page.querySelector('.avatar'), 'src')).toContain(`avatars/1/${MD5}.jpeg`);
});

test('the nickname is saved from the form; an empty one is refused without a call', async () => {
  const cloud = createFakeCloud();
  const page = await open(cloud);
  await page.instance.saveNickname({ detail: { value: { nickname: '  ' } } });
  expect(text(page.querySelector('.error'))).toBe('请填写昵称');
  expect(cloud.requests).not.toContain('PATCH /me');

  await page.instance.saveNickname({ detail: { value: { nickname: ' 小明 ' } } });
  expect(cloud.api.calls.find((c) => c.method === 'PATCH')).toMatchObject({ path: '/me', data: { nickname: '小明' } });
  expect(cloud.api.me.nickname).toBe('小明');
  expect(text(page.querySelector('.notice'))).toBe('昵称已保存');
});
