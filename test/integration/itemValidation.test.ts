/**
 * Per-item validation of `POST /photos` that matches both stores: a value either store would refuse
 * (or silently change) fails that item with `invalid_item`; the good items of the batch are
 * recorded all the same, on SQLite and on PostgreSQL. Over real HTTP.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { CommitPhotosResponse, OssUploadConfig } from '../../typings';
import { loginAs } from '../../testkit/apiClient';
import { postObject } from '../../testkit/postObject';
import { Stack, startStack, storeKinds } from '../../testkit/startStack';

const md5 = (bytes: Buffer) => createHash('md5').update(bytes).digest('hex');

describe.each(storeKinds())('commit item validation (%s)', (kind) => {
  let stack: Stack;
  let user: Awaited<ReturnType<typeof loginAs>>;
  let family: { id: number };
  let album: { id: number };
  let config: OssUploadConfig;

  beforeAll(async () => {
    stack = await startStack(kind);
    user = await loginAs(stack.api.url, 'alice');
    ({ family, album } = (await user.client.post('/families', { name: 'family' })).body);
    config = (await user.client.get<OssUploadConfig>(`/families/oss/signature?family_id=${family.id}&album_id=${album.id}`)).body;
  });
  afterAll(() => stack.close());

  /** A freshly uploaded object and the item that records it. */
  const uploaded = async (overrides: Record<string, unknown> = {}) => {
    const bytes = randomBytes(100);
    const key = `families/${family.id}/${md5(bytes)}.jpg`;
    expect((await postObject(config, key, bytes)).status).toBe(200);
    return { album_id: album.id, family_id: family.id, file_name: 'IMG_0001.jpg', object_key: key, file_type: 'image', file_size: bytes.length, hash_value: md5(bytes), ...overrides };
  };

  const refused: [string, Record<string, unknown>][] = [
    ['year 0', { upload_time: '0000-01-01T00:00:00Z' }],
    ['year 1 that is year 0 in UTC', { upload_time: '0001-01-01T00:00:00+14:00' }],
    ['year 9999 that is year 10000 in UTC', { upload_time: '9999-12-31T23:59:59-14:00' }],
    ['February 30th', { upload_time: '2026-02-30T00:00:00Z' }],
    ['hour 24', { upload_time: '2026-01-01T24:00:00Z' }],
    ['a leap second', { upload_time: '2026-06-30T23:59:60Z' }],
    ['a date without a time', { upload_time: '2026-01-01' }],
    ['a NUL in the file name', { file_name: 'a\u0000b.jpg' }],
    ['a lone surrogate in the file name', { file_name: 'a\ud800b.jpg' }],
    ['a 256-character file name', { file_name: `${'x'.repeat(252)}.jpg` }],
    ['a size beyond 2^53', { file_size: 2 ** 53 }],
    ['a size of 1e300', { file_size: 1e300 }],
    ['an album id beyond bigint', { album_id: 2 ** 63 }],
  ];

  test('each value a store would refuse fails its own item; the good ones in the batch are recorded', async () => {
    const good = await uploaded({ upload_time: '2026-11-29T08:00:00.000Z' });
    const bad = await Promise.all(refused.map(([, change]) => uploaded(change)));
    const answer = await user.client.post<CommitPhotosResponse>('/photos', { data: [...bad, good] });

    expect(answer.status).toBe(200);
    expect(answer.body.failed.map((f) => [refused[f.index]?.[0], f.code])).toEqual(refused.map(([name]) => [name, 'invalid_item']));
    expect(answer.body.photos).toEqual([expect.objectContaining({ hash_value: good.hash_value, upload_time: '2026-11-29T08:00:00.000Z' })]);
    expect(await stack.store.findObjects(family.id, bad.map((b) => b.hash_value))).toEqual([]);
  });

  test('the extremes both stores hold are recorded and read back exactly', async () => {
    const items = [
      await uploaded({ upload_time: '0001-01-01T00:00:00.000Z' }),
      await uploaded({ upload_time: '9999-12-31T23:59:59.999Z' }),
      await uploaded({ upload_time: '2026-01-01T08:00:00+08:00' }),
      await uploaded({ file_name: `${'长'.repeat(251)}.jpg` }),
      await uploaded({ file_name: '👨‍👩‍👧 全家福.jpg' }),
    ];
    const answer = await user.client.post<CommitPhotosResponse>('/photos', { data: items });
    expect(answer.status).toBe(200);
    expect(answer.body.failed).toEqual([]);
    expect(answer.body.photos.map((p) => [p.upload_time, p.file_name])).toEqual([
      ['0001-01-01T00:00:00.000Z', 'IMG_0001.jpg'],
      ['9999-12-31T23:59:59.999Z', 'IMG_0001.jpg'],
      ['2026-01-01T00:00:00.000Z', 'IMG_0001.jpg'],
      [expect.any(String), `${'长'.repeat(251)}.jpg`],
      [expect.any(String), '👨‍👩‍👧 全家福.jpg'],
    ]);
    const listed = await user.client.get(`/albums/${album.id}/photos?limit=100`);
    const byHash = new Map(listed.body.photos.map((p: { hash_value: string }) => [p.hash_value, p]));
    for (const photo of answer.body.photos) expect(byHash.get(photo.hash_value)).toMatchObject({ upload_time: photo.upload_time, file_name: photo.file_name });
  });
});
