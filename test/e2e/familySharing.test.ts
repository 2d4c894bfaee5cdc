/**
 * Issue 13's family sharing end to end, through the unmodified miniprogram-automator client, the
 * real API and local cloud: Alice invites by share card, Bob opens it, joins and uploads, Alice
 * sees his photos under his nickname and deletes one of hers, Bob leaves and loses the family.
 */
import type { ListFamiliesResponse } from '../../typings/api';
import { apiClient, loginAs } from '../../testkit/apiClient';
import { eventually } from './support/eventually';
import { logInAs } from './support/logInAs';
import { pickNext, stageMedia, type ChosenMedia } from './support/mediaFiles';
import type { MiniProgram } from './support/openMiniProgram';
import { useSharedApp } from './support/useSharedApp';

type Page = NonNullable<Awaited<ReturnType<MiniProgram['currentPage']>>>;

const ALICE = 'e2e-family-alice';
const BOB = 'e2e-family-bob';

jest.setTimeout(90_000);

const app = useSharedApp(['chooseMedia', 'login', 'showModal']);

async function open(url: string, ready: (page: Page) => Promise<boolean>): Promise<Page> {
  const page = await app.miniProgram.reLaunch(url);
  if (!page) throw new Error(`reLaunch ${url} opened no page`);
  await eventually(async () => (await ready(page)) || undefined, `${url} to load`);
  return page;
}

const uploaderReady = async (page: Page) => (await page.data('albumId')) > 0 && !(await page.data('loadingPhotos'));

async function texts(page: Page, selector: string): Promise<string[]> {
  return Promise.all((await page.$$(selector)).map((el: { text(): Promise<string> }) => el.text()));
}

/** Picks `files` on the uploader, uploads them and waits for the summary. */
async function uploadOnUploader(page: Page, files: ChosenMedia[]): Promise<void> {
  await pickNext(app.miniProgram, files);
  await (await page.$('.choose-media'))!.tap();
  await eventually(async () => (await page.$$('.file-item')).length === files.length || undefined, 'the picked files');
  await (await page.$('.upload-button'))!.tap();
  await eventually(async () => (await page.data('summary')) ?? undefined, 'the upload to finish', { timeoutMs: 60_000 });
  expect(await (await page.$('.summary'))!.text()).toBe(`上传 ${files.length} 个，秒传 0 个，失败 0 个`);
}

test('Alice invites by card; Bob joins and uploads; Alice sees his nickname and deletes hers; Bob leaves and loses the family', async () => {
  // Alice opens the app (her family is made for her) and uploads one photo of her own.
  await logInAs(app.miniProgram, app.cloud.apiUrl, ALICE);
  let page = await open('/pages/albumUploader/index', uploaderReady);
  const familyId: number = await page.data('familyId');
  const albumId: number = await page.data('albumId');
  await uploadOnUploader(page, await stageMedia(app.miniProgram, [{ name: 'e2e-alice.jpg', size: 200_000, seed: 101 }]));

  // 邀请家人, then the card the share button would send.
  page = await open(`/pages/family/index?familyId=${familyId}`, async (p) => (await p.data('loaded')) && (await p.$$('.invite-button')).length === 1);
  const familyName: string = await page.data('familyName');
  await (await page.$('.invite-button'))!.tap();
  await eventually(async () => (await page.$$('.share-button')).length === 1 || undefined, 'the share button');
  const card = (await page.callMethod('onShareAppMessage', { from: 'button' })) as { path: string };
  expect(card.path).toMatch(/^\/pages\/join\/index\?code=[A-Z0-9]+$/);

  // Bob opens the card: he sees the family's name, joins, and the uploader opens on it.
  await logInAs(app.miniProgram, app.cloud.apiUrl, BOB);
  page = await open(card.path, async (p) => (await p.data('state')) === 'ready');
  expect(await (await page.$('.family-name'))!.text()).toBe(familyName);
  await (await page.$('.join-button'))!.tap();
  page = await eventually(async () => {
    const current = await app.miniProgram.currentPage();
    return current?.path === 'pages/albumUploader/index' && (await uploaderReady(current)) ? current : undefined;
  }, 'the uploader on the joined family');
  expect(await page.data('familyId')).toBe(familyId);

  // Bob names himself on the profile page, then uploads two photos to the family's album.
  const profile = await open('/pages/profile/index', async (p) => (await p.data('userId')) > 0);
  await profile.callMethod('saveNickname', { detail: { value: { nickname: '小明' } } });
  expect(await profile.data('notice')).toBe('昵称已保存');
  page = await open(`/pages/albumUploader/index?familyId=${familyId}`, uploaderReady);
  expect(await page.data('albumId')).toBe(albumId);
  await uploadOnUploader(page, await stageMedia(app.miniProgram, [
    { name: 'e2e-bob-1.jpg', size: 210_000, seed: 201 },
    { name: 'e2e-bob-2.jpg', size: 220_000, seed: 202 },
  ]));

  // Alice's album shows them under Bob's nickname; she deletes her own, after confirming.
  await logInAs(app.miniProgram, app.cloud.apiUrl, ALICE);
  page = await open(`/pages/album/index?familyId=${familyId}&albumId=${albumId}`, async (p) => (await p.$$('.photo')).length === 3);
  expect((await texts(page, '.photo-uploader')).sort()).toEqual(['小明', '小明', '我']);
  const mine = (await texts(page, '.photo-uploader')).indexOf('我');
  await app.miniProgram.mockWxMethod('showModal', { confirm: true, cancel: false });
  await page.callMethod('deletePhoto', { currentTarget: { dataset: { index: mine } } });
  await eventually(async () => (await page.$$('.photo')).length === 2 || undefined, 'the deleted photo gone');
  expect(await texts(page, '.photo-uploader')).toEqual(['小明', '小明']);

  // Bob removes himself: his next listing of the album is a 404, and the family is gone from his picker.
  await logInAs(app.miniProgram, app.cloud.apiUrl, BOB);
  page = await open(`/pages/family/index?familyId=${familyId}`, async (p) => (await p.$$('.leave-button')).length === 1);
  await (await page.$('.leave-button'))!.tap();
  page = await eventually(async () => {
    const current = await app.miniProgram.currentPage();
    return current?.path === 'pages/albumUploader/index' && (await uploaderReady(current)) ? current : undefined;
  }, 'the uploader after leaving');
  await app.miniProgram.restoreWxMethod('showModal');
  expect(await page.data('familyId')).not.toBe(familyId);
  expect(await page.data('familyNames')).toHaveLength(1);

  const bob = await loginAs(app.cloud.apiUrl, BOB);
  expect((await apiClient(app.cloud.apiUrl, bob.token).get(`/albums/${albumId}/photos`)).status).toBe(404);
  const { body } = await apiClient(app.cloud.apiUrl, bob.token).get<ListFamiliesResponse>('/families');
  expect(body.families.map((f) => f.id)).not.toContain(familyId);
});
