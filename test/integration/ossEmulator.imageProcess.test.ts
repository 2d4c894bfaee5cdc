/**
 * x-oss-process in the local cloud, fetched as a phone fetches thumbnails: presigned by the
 * official SDK (ali-oss signatureUrlV4), answered with real rendered images (sharp), and OSS's
 * errors for what OSS would refuse or the emulator does not render.
 */
import sharp from 'sharp';
import { startTestOssEmulator, TEST_ACCESS_KEY, TEST_BUCKET, TestOssEmulator } from '../../testkit/startTestOssEmulator';

interface AliOssClient {
  put(name: string, content: Buffer, options?: { mime?: string }): Promise<unknown>;
  signatureUrlV4(method: string, expiresSec: number, request: { queries?: Record<string, string> }, objectName: string): Promise<string>;
}
// eslint-disable-next-line @typescript-eslint/no-require-imports
const OSS: new (options: object) => AliOssClient = require('ali-oss');

let oss: TestOssEmulator;
let client: AliOssClient;
let photo: Buffer;
beforeAll(async () => {
  oss = await startTestOssEmulator();
  jest.spyOn(console, 'warn').mockImplementation(() => undefined);
  client = new OSS({ region: 'oss-cn-hangzhou', ...TEST_ACCESS_KEY, bucket: TEST_BUCKET, endpoint: oss.url, authorizationV4: true });
  // A photo as a phone takes it: 4000×3000 with fine detail, a few megabytes.
  const { data, info } = await sharp({ create: { width: 1000, height: 750, channels: 3, background: '#808080', noise: { type: 'gaussian', mean: 128, sigma: 60 } } })
    .raw()
    .toBuffer({ resolveWithObject: true });
  photo = await sharp(data, { raw: info }).resize(4000, 3000).jpeg({ quality: 95 }).toBuffer();
  await client.put('families/1/photo.jpg', photo, { mime: 'image/jpeg' });
  await client.put('families/1/clip.mp4', Buffer.from('not really a video, but stored as one'), { mime: 'video/mp4' });
  await client.put('families/1/notes.jpg', Buffer.from('text, not an image'), { mime: 'image/jpeg' });
});
afterAll(async () => {
  jest.restoreAllMocks();
  await oss.close();
});

const fetchProcessed = async (key: string, process: string) => {
  const res = await fetch(await client.signatureUrlV4('GET', 600, { queries: { 'x-oss-process': process } }, key));
  return { status: res.status, contentType: res.headers.get('content-type'), body: Buffer.from(await res.arrayBuffer()) };
};

test("the album's thumbnail of a photo is a 360×360 JPEG, a small fraction of the original", async () => {
  const thumb = await fetchProcessed('families/1/photo.jpg', 'image/resize,m_fill,w_360,h_360/quality,q_80/format,jpg');
  expect(thumb.status).toBe(200);
  expect(thumb.contentType).toBe('image/jpeg');
  expect(await sharp(thumb.body).metadata()).toMatchObject({ format: 'jpeg', width: 360, height: 360 });
  expect(thumb.body.length).toBeLessThan(photo.length / 20);
});

test.each([
  ['image/resize,w_400', 400, 300, 'jpeg'],
  ['image/resize,h_300', 400, 300, 'jpeg'],
  ['image/resize,m_lfit,w_400,h_400', 400, 300, 'jpeg'],
  ['image/resize,m_mfit,w_400,h_400', 533, 400, 'jpeg'],
  ['image/resize,m_pad,w_400,h_400', 400, 400, 'jpeg'],
  ['image/resize,m_fixed,w_100,h_400', 100, 400, 'jpeg'],
  ['image/resize,l_800', 800, 600, 'jpeg'],
  ['image/resize,p_10', 400, 300, 'jpeg'],
  ['image/resize,w_8000', 4000, 3000, 'jpeg'], // limit_1: never enlarged
  ['image/resize,w_100/format,png', 100, 75, 'png'],
  ['image/resize,w_100/format,webp', 100, 75, 'webp'],
])('%s renders %d×%d %s', async (process, width, height, format) => {
  const answer = await fetchProcessed('families/1/photo.jpg', process);
  expect(answer.status).toBe(200);
  const meta = await sharp(answer.body).metadata();
  expect({ width: meta.width, height: meta.height, format: meta.format }).toEqual({ width, height, format });
});

test('a video poster is a placeholder image of the asked size (no video decoder in the local cloud)', async () => {
  const poster = await fetchProcessed('families/1/clip.mp4', 'video/snapshot,t_1000,f_jpg,w_360,h_360,m_fast');
  expect(poster.status).toBe(200);
  expect(poster.contentType).toBe('image/jpeg');
  expect(await sharp(poster.body).metadata()).toMatchObject({ format: 'jpeg', width: 360, height: 360 });
});

test.each([
  ['families/1/photo.jpg', 'image/resize,w_0', 400, 'InvalidArgument'],
  ['families/1/photo.jpg', 'image/resize,w_100,m_abc', 400, 'InvalidArgument'],
  ['families/1/photo.jpg', 'image/resize', 400, 'MissingArgument'],
  ['families/1/photo.jpg', 'image/rotate,90', 501, 'NotImplemented'],
  ['families/1/notes.jpg', 'image/resize,w_100', 400, 'InvalidArgument'],
  ['families/1/photo.jpg', 'video/snapshot,t_1000,f_jpg', 400, 'InvalidArgument'],
  ['families/1/missing.jpg', 'image/resize,w_100', 404, 'NoSuchKey'],
])('%s with %s answers %d %s in OSS XML', async (key, process, status, code) => {
  const answer = await fetchProcessed(key, process);
  expect(answer.status).toBe(status);
  expect(answer.contentType).toBe('application/xml');
  expect(answer.body.toString('utf8')).toContain(`<Code>${code}</Code>`);
});
