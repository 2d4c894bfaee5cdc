import type { FamilyView } from '../../typings/api';
import { buildPageTree, type PageTree } from '../../testkit/buildPageTree';
import { createFakeCloud, type FakeCloud } from '../../testkit/createFakeCloud';
import type { FakeInvite } from '../../testkit/fakeFamilyRoutes';
import { renderPage, text, type RenderedNode } from '../../testkit/simulatePage';

const PAGE = 'pages/join/index';
const mine: FamilyView = { id: 1, name: '我的家庭', role: 'owner' };
const invite = (overrides: Partial<FakeInvite> = {}): FakeInvite => ({ code: 'ABCD234567', family: { id: 9, name: '张家' }, inviter: '张妈妈', ...overrides });

let tree: PageTree;
beforeAll(() => {
  tree = buildPageTree();
});
afterAll(() => tree.remove());

/** Opens the page as a share card does: the card's query is `onLoad`'s argument. */
async function open(cloud: FakeCloud, query: Record<string, string>) {
  const reLaunch = jest.fn();
  Object.assign(wx, cloud.wx, { reLaunch });
  const page = renderPage(tree, PAGE);
  await page.instance.onLoad(query);
  return { page, reLaunch };
}

const joinButton = (page: RenderedNode) => page.querySelector('.join-button');

test('a card logs the recipient in, shows the family and who invited, and joins on one tap; then the album opens on that family', async () => {
  const cloud = createFakeCloud({ families: [mine], invites: [invite()] });
  const { page, reLaunch } = await open(cloud, { code: 'ABCD234567' });

  expect(cloud.requests.slice(0, 2)).toEqual(['POST /auth/login', 'GET /invites/ABCD234567']);
  expect(text(page.querySelector('.family-name'))).toBe('张家');
  expect(text(page.querySelector('.inviter'))).toContain('张妈妈');
  expect(text(joinButton(page))).toBe('加入');
  expect(cloud.requests).not.toContain('POST /families/join');

  await page.instance.join();
  expect(cloud.api.calls.find((c) => c.path === '/families/join')?.data).toEqual({ code: 'ABCD234567' });
  expect(cloud.api.families.map((f) => [f.id, f.role])).toEqual([
    [1, 'owner'],
    [9, 'member'],
  ]);
  expect(reLaunch).toHaveBeenCalledWith({ url: '/pages/albumUploader/index?familyId=9' });
});

test.each([
  ['expired', invite({ state: 'expired' }), 'ABCD234567', '已过期'],
  ['used up', invite({ state: 'used_up' }), 'ABCD234567', '已经被使用'],
  ['unknown', invite(), 'NOSUCHCODE', '不存在'],
])('an %s code says so in plain Chinese and changes nothing', async (_, known, code, says) => {
  const cloud = createFakeCloud({ families: [mine], invites: [known] });
  const { page, reLaunch } = await open(cloud, { code });

  expect(text(page.querySelector('.message'))).toContain(says);
  expect(joinButton(page)).toBeUndefined();
  await page.instance.join();
  expect(cloud.requests).not.toContain('POST /families/join');
  expect(cloud.api.families).toEqual([mine]);
  expect(reLaunch).not.toHaveBeenCalled();
});

test('a code for a family the person is already in just opens it', async () => {
  const cloud = createFakeCloud({ families: [mine, { id: 9, name: '张家', role: 'member' }], invites: [invite({ state: 'used_up' })] });
  const { page, reLaunch } = await open(cloud, { code: 'ABCD234567' });

  expect(reLaunch).toHaveBeenCalledWith({ url: '/pages/albumUploader/index?familyId=9' });
  expect(cloud.requests).not.toContain('POST /families/join');
  expect(joinButton(page)).toBeUndefined();
});

test('a card without a code asks for a new one and calls nothing', async () => {
  const cloud = createFakeCloud({ families: [mine] });
  const { page } = await open(cloud, {});
  expect(text(page.querySelector('.message'))).toContain('重新发送');
  expect(cloud.requests).toEqual([]);
});

test('then the album opens on the joined family: the uploader takes familyId from its query', async () => {
  const cloud = createFakeCloud({
    families: [mine, { id: 9, name: '张家', role: 'member' }],
    albums: [
      { id: 11, family_id: 1, name: '家庭相册', is_default: true, created_at: '' },
      { id: 91, family_id: 9, name: '张家相册', is_default: true, created_at: '' },
    ],
  });
  Object.assign(wx, cloud.wx);
  const page = renderPage(tree, 'pages/albumUploader/index');
  await page.instance.onLoad({ familyId: '9' });
  expect(text(page.querySelector('.family-picker .picker-value'))).toBe('张家');
  expect(page.data.albumId).toBe(91);
  expect(cloud.requests).toContain('GET /albums/91/photos');
});
