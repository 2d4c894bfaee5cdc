import type { AlbumView, FamilyView, MemberView } from '../../typings/api';
import { buildPageTree, type PageTree } from '../../testkit/buildPageTree';
import { createFakeCloud, type FakeCloud } from '../../testkit/createFakeCloud';
import { attr, renderPage, text, texts, waitFor, type RenderedNode } from '../../testkit/simulatePage';

const PAGE = 'pages/family/index';
const member = (userId: number, nickname: string | null, role: MemberView['role'], joined = userId): MemberView => ({
  user_id: userId,
  nickname,
  avatar_url: nickname ? `https://oss.test/avatars/${userId}/a.jpg` : null,
  role,
  joined_at: new Date(joined * 1000).toISOString(),
});
const album = (id: number, familyId: number, name: string, isDefault = false): AlbumView => ({ id, family_id: familyId, name, is_default: isDefault, created_at: '' });

let tree: PageTree;
beforeAll(() => {
  tree = buildPageTree();
});
afterAll(() => tree.remove());

/** `wx.showModal` answering as the user would: confirm or cancel, and the text typed. */
function modalAnswers(answers: Array<{ confirm: boolean; content?: string }>) {
  const shown: Array<Record<string, unknown>> = [];
  const showModal = (o: Record<string, any>) => {
    shown.push(o);
    const answer = answers.shift() ?? { confirm: false };
    setTimeout(() => o.success({ confirm: answer.confirm, cancel: !answer.confirm, content: answer.content ?? '' }), 0);
  };
  return { shown, showModal };
}

async function open(cloud: FakeCloud, familyId: number, answers: Array<{ confirm: boolean; content?: string }> = []) {
  const modal = modalAnswers(answers);
  const nav = { reLaunch: jest.fn(), navigateTo: jest.fn() };
  Object.assign(wx, cloud.wx, nav, { showModal: modal.showModal });
  const page = renderPage(tree, PAGE);
  await page.instance.onLoad({ familyId: String(familyId) });
  return { page, nav, modal };
}

const names = (page: RenderedNode) => texts(page.querySelectorAll('.member-name'));
const roles = (page: RenderedNode) => texts(page.querySelectorAll('.member-role'));

describe('as the owner', () => {
  const family: FamilyView = { id: 1, name: '张家', role: 'owner' };
  const cloudWith = () =>
    createFakeCloud({
      families: [family],
      albums: [album(11, 1, '家庭相册', true), album(12, 1, '旅行')],
      me: { id: 1, nickname: '张妈妈', avatar_key: null },
      members: { 1: [member(2, '小明', 'member', 5), member(1, '张妈妈', 'owner', 1), member(3, null, 'member', 9)] },
    });

  test('lists members with nickname, avatar and role, owner first, and the albums', async () => {
    const { page } = await open(cloudWith(), 1);
    expect(text(page.querySelector('.family-name'))).toBe('张家');
    expect(names(page)).toEqual(['张妈妈', '小明', '未设置昵称']);
    expect(roles(page)).toEqual(['主人', '成员', '成员']);
    expect(attr(page.querySelectorAll('.avatar')[1], 'src')).toBe('https://oss.test/avatars/2/a.jpg');
    expect(page.querySelectorAll('.remove-button')).toHaveLength(2);
    expect(texts(page.querySelectorAll('.album-name'))).toEqual(['家庭相册', '旅行']);
    expect(page.querySelector('.leave-button')).toBeUndefined();
  });

  test('邀请家人 creates an invite; the share card carries its code to the join page', async () => {
    const cloud = cloudWith();
    const { page } = await open(cloud, 1);
    expect(page.querySelector('.share-button')).toBeUndefined();

    page.querySelector('.invite-button')!.dispatchEvent('tap');
    const share = await waitFor(() => page.querySelector('.share-button'), 'the share button');
    expect(attr(share, 'openType')).toBe('share');
    expect(cloud.requests).toContain('POST /families/1/invites');
    const code = [...cloud.api.invites.keys()][0];

    const card = page.instance.onShareAppMessage({ from: 'button' });
    expect(card.path).toBe(`/pages/join/index?code=${code}`);
    expect(card.title).toContain('张妈妈');
    expect(card.title).toContain('张家');
  });

  test('removes a member only after confirming; their access ends and the list reloads', async () => {
    const cloud = cloudWith();
    const { page, modal } = await open(cloud, 1, [{ confirm: false }, { confirm: true }]);
    await page.instance.removeMember({ currentTarget: { dataset: { userId: 2 } } });
    expect(cloud.requests.filter((r) => r.startsWith('DELETE'))).toEqual([]);
    expect(modal.shown[0].content).toContain('小明');

    await page.instance.removeMember({ currentTarget: { dataset: { userId: 2 } } });
    expect(cloud.requests.filter((r) => r.startsWith('DELETE'))).toEqual(['DELETE /families/1/members/2']);
    expect(names(page)).toEqual(['张妈妈', '未设置昵称']);
  });

  test('creates and renames albums through a prompt', async () => {
    const cloud = cloudWith();
    const { page } = await open(cloud, 1, [{ confirm: true, content: ' 生日 ' }, { confirm: true, content: '出游' }, { confirm: false, content: '不要' }]);

    await page.instance.createAlbum();
    expect(texts(page.querySelectorAll('.album-name'))).toEqual(['家庭相册', '旅行', '生日']);

    await page.instance.renameAlbum({ currentTarget: { dataset: { index: 1 } } });
    expect(cloud.api.calls.find((c) => c.method === 'PATCH')).toMatchObject({ path: '/albums/12', data: { name: '出游' } });
    expect(texts(page.querySelectorAll('.album-name'))).toEqual(['家庭相册', '出游', '生日']);

    await page.instance.renameAlbum({ currentTarget: { dataset: { index: 0 } } });
    expect(cloud.api.calls.filter((c) => c.method === 'PATCH')).toHaveLength(1);
  });
});

describe('as a member', () => {
  const cloudWith = () =>
    createFakeCloud({
      families: [{ id: 1, name: '我的家庭', role: 'owner' }, { id: 9, name: '张家', role: 'member' }],
      albums: [album(11, 1, '家庭相册', true), album(91, 9, '家庭相册', true)],
      me: { id: 1, nickname: '小明', avatar_key: null },
      members: { 9: [member(7, '张妈妈', 'owner'), member(1, '小明', 'member')] },
    });

  test('sees the members but cannot invite or remove anyone', async () => {
    const { page } = await open(cloudWith(), 9);
    expect(names(page)).toEqual(['张妈妈', '小明']);
    expect(page.querySelector('.invite-button')).toBeUndefined();
    expect(page.querySelectorAll('.remove-button')).toHaveLength(0);
    expect(text(page.querySelector('.leave-button'))).toBe('退出家庭');
  });

  test('leaves after confirming: the family is gone from their list and the uploader reopens', async () => {
    const cloud = cloudWith();
    const { page, nav } = await open(cloud, 9, [{ confirm: true }]);
    await page.instance.leave();
    expect(cloud.requests).toContain('DELETE /families/9/members/1');
    expect(cloud.api.families.map((f) => f.id)).toEqual([1]);
    expect(nav.reLaunch).toHaveBeenCalledWith({ url: '/pages/albumUploader/index' });
  });

  test('a family they were removed from says so', async () => {
    const cloud = cloudWith();
    cloud.api.families.splice(1, 1);
    const { page } = await open(cloud, 9);
    expect(text(page.querySelector('.error'))).toBe('你已不在这个家庭里了');
    expect(page.querySelector('.leave-button')).toBeUndefined();
  });
});
