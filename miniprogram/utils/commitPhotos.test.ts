import type { CommitPhotosRequest, CommitPhotosResponse } from '../../typings/api';
import { chunk, checkHashes } from './checkHashes';
import { commitName, commitPhotos, photoMetaFor } from './commitPhotos';
import { describeError } from './describeError';
import type { RequestAPI } from './request';
import { ApiRequestError } from './sendWxRequest';
import { photoFixture } from '../../testkit/fixtures';
import type { SelectedFile } from './types';

const retry = { maxAttempts: 3, random: () => 0, sleep: async () => undefined };
const hash = (n: number) => n.toString(16).padStart(32, '0');

test('chunk', () => {
  expect(chunk([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4], [5]]);
  expect(chunk([], 2)).toEqual([]);
});

test("commitName keeps what the API accepts: 1–255 UTF-16 units, no control characters, no split surrogate, the extension kept", () => {
  expect(commitName('  a\u0001b.jpg ', 'fallback.jpg')).toBe('ab.jpg');
  expect(commitName('\u0000\u0002 ', 'fallback.jpg')).toBe('fallback.jpg');
  const long = `${'家'.repeat(300)}.jpeg`;
  const short = commitName(long, 'x');
  expect(short).toHaveLength(255);
  expect(short.endsWith('.jpeg')).toBe(true);
  expect(commitName('x'.repeat(300), 'f')).toBe('x'.repeat(255));
  expect(commitName('x'.repeat(255), 'f')).toBe('x'.repeat(255));
  // 😀 is two UTF-16 units: 127 of them fit, and no half of one is left at the end.
  const emoji = commitName('😀'.repeat(200), 'f');
  expect(emoji).toBe('😀'.repeat(127));
});

test('photoMetaFor uses the article\'s names, bytes and an ISO upload time', () => {
  const file: SelectedFile = { path: 'p', name: 'a.mov', size: 12, sizeKb: 1, time: Date.UTC(2024, 0, 15), type: 'video', hash: hash(1) };
  expect(photoMetaFor(file, { familyId: 7, albumId: 3 }, `families/7/${hash(1)}.mov`, 'mov')).toEqual({
    album_id: 3,
    family_id: 7,
    file_name: 'a.mov',
    object_key: `families/7/${hash(1)}.mov`,
    file_type: 'video',
    file_size: 12,
    upload_time: '2024-01-15T00:00:00.000Z',
    hash_value: hash(1),
  });
  expect(photoMetaFor({ ...file, time: NaN }, { familyId: 7, albumId: 3 }, 'k', 'mov')).not.toHaveProperty('upload_time');
});

test('commitPhotos maps failed by index and photos by hash, 100 per request; a request that fails for good fails its items only', async () => {
  const items = Array.from({ length: 205 }, (_, i) => photoMetaFor({ path: 'p', name: `f${i}.jpg`, size: 1, sizeKb: 1, time: 0, type: 'image', hash: hash(i) }, { familyId: 7, albumId: 3 }, `families/7/${hash(i)}.jpg`, 'jpg'));
  const bodies: CommitPhotosRequest[] = [];
  const requestAPI = (async (o: { data?: unknown }) => {
    const body = o.data as CommitPhotosRequest;
    bodies.push(body);
    if (bodies.length === 3) throw new ApiRequestError(400, 'invalid_request', 'nope');
    // Photos come back in any order; index 1 of each request is refused; index 2 is silently missing.
    const answer: CommitPhotosResponse = {
      photos: body.data.filter((_, i) => i !== 1 && i !== 2).map((d, i) => photoFixture(i, d.hash_value)).reverse(),
      failed: [{ index: 1, code: 'size_mismatch', message: 'the object holds 2 bytes, not 1' }],
    };
    return answer;
  }) as RequestAPI;
  const outcomes = await commitPhotos(items, { requestAPI, retry });
  expect(bodies.map((b) => b.data.length)).toEqual([100, 100, 5]);
  expect(outcomes).toHaveLength(205);
  expect(outcomes[0]).toMatchObject({ ok: true, photo: { hash_value: hash(0) } });
  expect(outcomes[1]).toEqual({ ok: false, code: 'size_mismatch', reason: 'the object holds 2 bytes, not 1' });
  expect(outcomes[2]).toMatchObject({ ok: false, code: 'not_recorded' });
  expect(outcomes[150]).toMatchObject({ ok: true, photo: { hash_value: hash(150) } });
  expect(outcomes.slice(200).every((o) => !o.ok && o.code === 'invalid_request')).toBe(true);
});

test('checkHashes asks about distinct hashes only, 1000 per request', async () => {
  const asked: string[][] = [];
  const requestAPI = (async (o: { data?: unknown }) => {
    const { hashes } = o.data as { hashes: string[] };
    asked.push(hashes);
    return { existing: hashes.filter((h) => parseInt(h, 16) % 2 === 0).map((h) => ({ hash: h, object_key: `k/${h}`, file_size: 1 })) };
  }) as RequestAPI;
  const hashes = Array.from({ length: 2001 }, (_, i) => hash(i));
  const known = await checkHashes([...hashes, hash(0), hash(1)], { requestAPI, familyId: 7, retry });
  expect(asked.map((a) => a.length)).toEqual([1000, 1000, 1]);
  expect(known.size).toBe(1001);
  expect(known.get(hash(2))).toEqual({ hash: hash(2), object_key: `k/${hash(2)}`, file_size: 1 });
});

test('describeError', () => {
  expect(describeError(new ApiRequestError(404, 'not_found', 'album not found'))).toEqual({ code: 'not_found', reason: 'album not found' });
  expect(describeError(new Error('x'))).toEqual({ code: 'unknown_error', reason: 'x' });
  expect(describeError('boom')).toEqual({ code: 'unknown_error', reason: 'boom' });
});
