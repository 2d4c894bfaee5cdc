/**
 * Multipart uploads through the API over real HTTP, with parts PUT straight to the local OSS at
 * the presigned URLs the API hands out, as a phone sends them: start, resume, 秒传, complete with
 * OSS's own MD5 as the only evidence, lies refused, membership, concurrent twins, stale uploads.
 */
import { createHash, randomBytes } from 'node:crypto';
import { MULTIPART, type MultipartUploadView, type SignPartsResponse } from '../../typings';
import { ApiClient, loginAs } from '../../testkit/apiClient';
import { Stack, startStack, storeKinds } from '../../testkit/startStack';

const MiB = 1024 * 1024;
const md5 = (bytes: Buffer) => createHash('md5').update(bytes).digest('hex');
/** A video-like file of 4 MiB parts: 4 + 4 + 2 MiB. */
const video = () => Buffer.concat([Buffer.from('\x00\x00\x00\x18ftypmp42'), randomBytes(10 * MiB - 12)]);

describe.each(storeKinds())('multipart uploads through the API (%s)', (kind) => {
  let stack: Stack;
  let clockOffsetMs = 0;
  let alice: Awaited<ReturnType<typeof loginAs>>;
  let bob: Awaited<ReturnType<typeof loginAs>>;
  let mallory: Awaited<ReturnType<typeof loginAs>>;
  let family: { id: number };
  let album: { id: number };
  let secondAlbum: { id: number };

  beforeAll(async () => {
    stack = await startStack(kind, { now: () => new Date(Date.now() + clockOffsetMs) });
    [alice, bob, mallory] = await Promise.all(['alice', 'bob', 'mallory'].map((name) => loginAs(stack.api.url, name)));
    const created = await alice.client.post('/families', { name: '张家' });
    [family, album] = [created.body.family, created.body.album];
    secondAlbum = (await alice.client.post(`/families/${family.id}/albums`, { name: '旅行' })).body.album;
    const invite = await alice.client.post(`/families/${family.id}/invites`, {});
    expect((await bob.client.post('/families/join', { code: invite.body.code })).status).toBe(200);
    await mallory.client.post('/families', { name: 'Mallory' });
  });
  afterAll(() => stack.close());

  const start = (client: ApiClient, bytes: Buffer, overrides: Record<string, unknown> = {}) =>
    client.post('/uploads/multipart', { family_id: family.id, album_id: album.id, hash: md5(bytes), size: bytes.length, file_name: 'VID_0001.mp4', file_type: 'video', ...overrides });

  const partBytes = (bytes: Buffer, upload: MultipartUploadView, n: number) => bytes.subarray((n - 1) * upload.part_size, n * upload.part_size);

  /** Signs and PUTs the given parts as a phone does: the URL alone, no credentials. */
  async function sendParts(client: ApiClient, upload: MultipartUploadView, bytes: Buffer, numbers: number[]) {
    const signed = await client.post<SignPartsResponse>(`/uploads/multipart/${upload.upload_id}/parts`, { part_numbers: numbers });
    expect(signed.status).toBe(200);
    expect(signed.headers.get('cache-control')).toBe('no-store');
    for (const part of signed.body.parts) {
      const answer = await fetch(part.url, { method: 'PUT', body: partBytes(bytes, upload, part.part_number), headers: { 'content-type': MULTIPART.partContentType } });
      expect(answer.status).toBe(200);
    }
  }
  const allParts = (upload: MultipartUploadView) => Array.from({ length: upload.part_count }, (_, i) => i + 1);
  const complete = (client: ApiClient, upload: MultipartUploadView, albumId = album.id) =>
    client.post(`/uploads/multipart/${upload.upload_id}/complete`, { album_id: albumId, file_name: 'VID_0001.mp4', upload_time: '2026-11-30T10:00:00.000Z' });

  test('start, send every part at its presigned URL, complete: the photo is recorded and serves the same bytes', async () => {
    const bytes = video();
    const started = await start(alice.client, bytes);
    expect(started.status).toBe(201);
    const upload = started.body as MultipartUploadView;
    expect(upload).toMatchObject({ key: `families/${family.id}/${md5(bytes)}.mp4`, part_size: 4 * MiB, part_count: 3 });
    await sendParts(alice.client, upload, bytes, allParts(upload));

    const done = await complete(alice.client, upload);
    expect(done.status).toBe(200);
    expect(done.body.photo).toMatchObject({ album_id: album.id, hash_value: md5(bytes), file_size: bytes.length, file_type: 'video', creator_id: alice.user.id, object_key: upload.key });

    const listing = await alice.client.get(`/albums/${album.id}/photos`);
    const listed = listing.body.photos.find((p: { hash_value: string }) => p.hash_value === md5(bytes));
    const served = Buffer.from(await (await fetch(listed.url)).arrayBuffer());
    expect(md5(served)).toBe(md5(bytes));

    // 秒传: the family now holds it, so starting again sends nothing.
    const again = await start(bob.client, bytes, { album_id: secondAlbum.id });
    expect(again.status).toBe(200);
    expect(again.body).toEqual({ existing: { hash: md5(bytes), object_key: upload.key, file_size: bytes.length } });
    // The upload is finished: its id names nothing any more.
    expect((await alice.client.get(`/uploads/multipart/${upload.upload_id}`)).status).toBe(404);
  });

  test('a restart resumes: the same upload comes back, OSS lists what it holds, only the rest is sent', async () => {
    const bytes = video();
    const first = (await start(alice.client, bytes)).body as MultipartUploadView;
    await sendParts(alice.client, first, bytes, [2]);

    const resumed = await start(alice.client, bytes);
    expect(resumed.status).toBe(200);
    expect(resumed.body).toEqual(first);
    const held = await alice.client.get(`/uploads/multipart/${first.upload_id}`);
    expect(held.status).toBe(200);
    expect(held.body.parts).toEqual([{ part_number: 2, etag: md5(partBytes(bytes, first, 2)).toUpperCase(), size: 4 * MiB }]);

    const early = await complete(alice.client, first);
    expect(early.status).toBe(409);
    expect(early.body.error).toMatchObject({ code: 'upload_incomplete', details: { missing_parts: [1, 3] } });

    await sendParts(alice.client, first, bytes, [1, 3]);
    expect((await complete(alice.client, first)).status).toBe(200);
  });

  test('a client that lies about the hash gets nothing recorded, and the junk is gone from OSS', async () => {
    const claimed = video();
    const sent = video();
    const upload = (await start(alice.client, claimed)).body as MultipartUploadView;
    await sendParts(alice.client, upload, sent, allParts(upload));

    const refused = await complete(alice.client, upload);
    expect(refused.status).toBe(422);
    expect(refused.body.error.code).toBe('hash_mismatch');
    expect(await stack.store.findObjects(family.id, [md5(claimed)])).toEqual([]);
    expect(await stack.api.deps.ossClient.headObject(upload.key)).toBeUndefined();
    // The honest upload of the claimed file then lands clean.
    const honest = (await start(alice.client, claimed)).body as MultipartUploadView;
    expect(honest.upload_id).not.toBe(upload.upload_id);
    await sendParts(alice.client, honest, claimed, allParts(honest));
    expect((await complete(alice.client, honest)).status).toBe(200);
  });

  test('abort drops the parts; the id then names nothing', async () => {
    const bytes = video();
    const upload = (await start(alice.client, bytes)).body as MultipartUploadView;
    await sendParts(alice.client, upload, bytes, [1]);
    expect((await bob.client.call('DELETE', `/uploads/multipart/${upload.upload_id}`)).status).toBe(404); // neither its starter nor the owner
    expect((await alice.client.call('DELETE', `/uploads/multipart/${upload.upload_id}`)).status).toBe(204);
    expect((await alice.client.get(`/uploads/multipart/${upload.upload_id}`)).status).toBe(404);
    expect((await start(alice.client, bytes)).status).toBe(201);
  });

  test("another family's member gets 404 for every route, and nothing changes", async () => {
    const bytes = video();
    const upload = (await start(alice.client, bytes)).body as MultipartUploadView;
    const id = upload.upload_id;
    expect((await mallory.client.post(`/uploads/multipart/${id}/parts`, { part_numbers: [1] })).status).toBe(404);
    expect((await mallory.client.get(`/uploads/multipart/${id}`)).status).toBe(404);
    expect((await mallory.client.post(`/uploads/multipart/${id}/complete`, { album_id: album.id, file_name: 'x.mp4' })).status).toBe(404);
    expect((await mallory.client.call('DELETE', `/uploads/multipart/${id}`)).status).toBe(404);
    expect((await start(mallory.client, bytes)).status).toBe(404);
    expect((await alice.client.get(`/uploads/multipart/${id}`)).status).toBe(200);
  });

  test.each([
    [{ size: 0 }, 'size'],
    [{ hash: 'NOT-A-HASH' }, 'hash'],
    [{ file_type: 'image' }, 'file_type'],
    [{ file_name: '' }, 'file_name'],
    [{ size: 6 * 1024 ** 3 }, 'size'],
  ])('a bad start %j is a 400 naming %s', async (overrides, field) => {
    const answer = await start(alice.client, video(), overrides);
    expect(answer.status).toBe(400);
    expect(answer.body.error.message).toMatch(new RegExp(`^${field}`));
  });

  test('part numbers outside the upload, or too many at once, are refused', async () => {
    const upload = (await start(alice.client, video())).body as MultipartUploadView;
    const sign = (part_numbers: unknown) => alice.client.post(`/uploads/multipart/${upload.upload_id}/parts`, { part_numbers });
    expect((await sign([4])).status).toBe(400);
    expect((await sign([0])).status).toBe(400);
    expect((await sign(Array.from({ length: 101 }, (_, i) => i + 1))).status).toBe(400);
  });

  /** What a phone does when its completion lost a race: start again (秒传 now) and commit the known object. */
  async function finishAfterRace(client: ApiClient, answer: { status: number }, bytes: Buffer, albumId: number) {
    if (answer.status === 200) return;
    expect(answer.status).toBe(404);
    const again = await start(client, bytes, { album_id: albumId });
    expect(again.body.existing.hash).toBe(md5(bytes));
    const item = { album_id: albumId, family_id: family.id, file_name: 'VID_0001.mp4', file_type: 'video', file_size: bytes.length, hash_value: md5(bytes) };
    expect((await client.post('/photos', { data: [item] })).body.photos).toHaveLength(1);
  }
  const photosWith = async (albumId: number, bytes: Buffer) => (await stack.store.listPhotos(albumId, { limit: 1000 })).filter((p) => p.hash === md5(bytes));

  test.each([
    ['different albums', true, 1, 1],
    ['the same album', false, 1, 0],
  ])('two members sending the same video at once, to %s: one upload, one object', async (_, separate, inFirst, inSecond) => {
    const bytes = video();
    const bobsAlbum = separate ? secondAlbum.id : album.id;
    const [a, b] = await Promise.all([start(alice.client, bytes), start(bob.client, bytes, { album_id: bobsAlbum })]);
    expect([a.status, b.status].sort()).toEqual([200, 201]);
    expect(a.body.upload_id).toBe(b.body.upload_id);
    const upload = a.body as MultipartUploadView;
    await Promise.all([sendParts(alice.client, upload, bytes, allParts(upload)), sendParts(bob.client, upload, bytes, allParts(upload))]);

    const [doneA, doneB] = await Promise.all([complete(alice.client, upload), complete(bob.client, upload, bobsAlbum)]);
    expect([doneA, doneB].some((d) => d.status === 200)).toBe(true);
    await finishAfterRace(alice.client, doneA, bytes, album.id);
    await finishAfterRace(bob.client, doneB, bytes, bobsAlbum);

    expect(await stack.store.findObjects(family.id, [md5(bytes)])).toHaveLength(1);
    expect(await photosWith(album.id, bytes)).toHaveLength(inFirst);
    expect(await photosWith(secondAlbum.id, bytes)).toHaveLength(inSecond);
  });

  test('uploads left unfinished for a day are aborted by the server', async () => {
    const bytes = video();
    const upload = (await start(alice.client, bytes)).body as MultipartUploadView;
    await sendParts(alice.client, upload, bytes, [1]);
    expect(new Date(upload.expires_at).getTime() - Date.now()).toBeGreaterThan(23 * 3600 * 1000);
    clockOffsetMs = 25 * 3600 * 1000;
    try {
      expect(await stack.api.deps.multipartUploads.abortStale()).toBeGreaterThanOrEqual(1);
      expect((await alice.client.get(`/uploads/multipart/${upload.upload_id}`)).status).toBe(404);
    } finally {
      clockOffsetMs = 0;
    }
  });
});

test('the multipart routes spend one per-user budget; past it, 429 with Retry-After', async () => {
  const stack = await startStack('sqlite', { env: { RATE_LIMIT_MULTIPART_PER_USER: '3' } });
  try {
    const [carol, dave] = await Promise.all([loginAs(stack.api.url, 'carol'), loginAs(stack.api.url, 'dave')]);
    const created = (await carol.client.post('/families', { name: 'Carol' })).body;
    const bytes = video();
    const body = { family_id: created.family.id, album_id: created.album.id, hash: md5(bytes), size: bytes.length, file_name: 'VID.mp4', file_type: 'video' };
    const upload = (await carol.client.post('/uploads/multipart', body)).body as MultipartUploadView;
    expect((await carol.client.get(`/uploads/multipart/${upload.upload_id}`)).status).toBe(200);
    expect((await carol.client.post(`/uploads/multipart/${upload.upload_id}/parts`, { part_numbers: [1] })).status).toBe(200);
    const refused = await carol.client.post(`/uploads/multipart/${upload.upload_id}/complete`, { album_id: created.album.id, file_name: 'VID.mp4' });
    expect(refused.status).toBe(429);
    expect(refused.body.error.code).toBe('rate_limited');
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    // The budget is the caller's own: another member of another family is not refused.
    expect((await dave.client.get(`/uploads/multipart/${upload.upload_id}`)).status).toBe(404);
  } finally {
    await stack.close();
  }
});
