import type { AlbumPhotoView, FamilyView } from '../../typings/api';
import { buildPageTree, type PageTree } from '../../testkit/buildPageTree';
import { createFakeCloud, type FakeCloud } from '../../testkit/createFakeCloud';
import { renderPage, texts, waitFor, type RenderedNode } from '../../testkit/simulatePage';

const PAGE = 'pages/album/index';
const md5 = (n: number) => n.toString(16).padStart(32, '0');
const photo = (id: number, by: { id: number; nickname: string | null }, type: 'image' | 'video' = 'image'): AlbumPhotoView => {
  const key = `families/9/${md5(id)}.${type === 'video' ? 'mp4' : 'jpg'}`;
  return {
    id,
    album_id: 91,
    family_id: 9,
    file_name: `p${id}`,
    file_type: type,
    file_size: 10,
    hash_value: md5(id),
    object_key: key,
    creator_id: by.id,
    upload_time: '',
    created_at: '',
    url: `https://oss.test/${key}`,
    thumbnail_url: `https://oss.test/${key}?thumb`,
    url_expires_at: '',
    uploaded_by: { ...by, avatar_url: null },
  };
};
const ME = { id: 1, nickname: '小明' };
const MOM = { id: 7, nickname: '张妈妈' };

let tree: PageTree;
beforeAll(() => {
  tree = buildPageTree();
});
afterAll(() => tree.remove());

async function open(cloud: FakeCloud, confirm: boolean[] = []) {
  const previewMedia = jest.fn();
  const showModal = jest.fn((o: Record<string, any>) => setTimeout(() => o.success({ confirm: confirm.shift() ?? false }), 0));
  Object.assign(wx, cloud.wx, { previewMedia, showModal, setNavigationBarTitle: jest.fn() });
  const page = renderPage(tree, PAGE);
  await page.instance.onLoad({ familyId: '9', albumId: '91' });
  return { page, previewMedia, showModal };
}

const cloudAs = (role: FamilyView['role']) =>
  createFakeCloud({
    families: [{ id: 9, name: '张家', role }],
    albums: [{ id: 91, family_id: 9, name: '家庭相册', is_default: true, created_at: '' }],
    photos: [photo(1, MOM), photo(2, ME, 'video'), photo(3, ME)],
    me: { id: 1, nickname: '小明', avatar_key: null },
  });
const uploaders = (page: RenderedNode) => texts(page.querySelectorAll('.photo-uploader'));

test('each photo shows who uploaded it; a tap previews every loaded photo and video', async () => {
  const { page, previewMedia } = await open(cloudAs('member'));
  expect(uploaders(page)).toEqual(['我', '我', '张妈妈']);
  page.querySelectorAll('.photo')[1].dispatchEvent('tap');
  await waitFor(() => previewMedia.mock.calls.length > 0, 'the preview');
  expect(previewMedia).toHaveBeenCalledWith({
    current: 1,
    sources: [
      { url: photo(3, ME).url, type: 'image' },
      { url: photo(2, ME, 'video').url, type: 'video', poster: photo(2, ME, 'video').thumbnail_url },
      { url: photo(1, MOM).url, type: 'image' },
    ],
  });
});

test("a member deletes their own photo after confirming, never someone else's", async () => {
  const cloud = cloudAs('member');
  const { page, showModal } = await open(cloud, [false, true]);

  await page.instance.deletePhoto({ currentTarget: { dataset: { index: 0 } } });
  expect(cloud.requests.filter((r) => r.startsWith('DELETE'))).toEqual([]);
  await page.instance.deletePhoto({ currentTarget: { dataset: { index: 0 } } });
  expect(cloud.requests.filter((r) => r.startsWith('DELETE'))).toEqual(['DELETE /photos/3']);
  expect(uploaders(page)).toEqual(['我', '张妈妈']);

  await page.instance.deletePhoto({ currentTarget: { dataset: { index: 1 } } });
  expect(showModal).toHaveBeenCalledTimes(2);
  expect(cloud.requests.filter((r) => r.startsWith('DELETE'))).toHaveLength(1);
  expect(texts(page.querySelectorAll('.error'))).toEqual(['只能删除自己上传的照片']);
});

test('the owner may delete anyone’s photo', async () => {
  const cloud = cloudAs('owner');
  const { page } = await open(cloud, [true]);
  await page.instance.deletePhoto({ currentTarget: { dataset: { index: 2 } } });
  expect(cloud.requests).toContain('DELETE /photos/1');
  expect(cloud.photos.map((p) => p.id).sort()).toEqual([2, 3]);
});
