import { createHash, randomBytes } from 'node:crypto';
import type { OssUploadConfig } from '../../typings';
import { loginAs } from '../../testkit/apiClient';
import { postObject } from '../../testkit/postObject';
import { Stack, startStack, storeKinds } from '../../testkit/startStack';
import { ObjectGoneError, type NewPhoto } from '../../server/src/store/Store';
import { jpegPhotoMeta } from '../../testkit/fixtures';

const md5 = (bytes: Buffer) => createHash('md5').update(bytes).digest('hex');
const jpeg = (size: number) => Buffer.concat([Buffer.from([0xff, 0xd8, 0xff]), randomBytes(size - 3)]);

type Person = Awaited<ReturnType<typeof loginAs>>;

describe.each(storeKinds())('deleting photos (%s)', (kind) => {
  let stack: Stack;
  let alice: Person;
  let bob: Person;
  let carol: Person;
  let family: { id: number };
  let albumA: { id: number };
  let albumB: { id: number };

  beforeAll(async () => {
    // The race below commits and signs ~130 times a minute per user: above the default budgets, which are not what it tests.
    stack = await startStack(kind, { env: { RATE_LIMIT_COMMIT_PER_USER: '1000', RATE_LIMIT_SIGNATURE_PER_USER: '1000' } });
    [alice, bob, carol] = [await loginAs(stack.api.url, 'alice'), await loginAs(stack.api.url, 'bob'), await loginAs(stack.api.url, 'carol')];
    const created = (await alice.client.post('/families', { name: '张家' })).body;
    [family, albumA] = [created.family, created.album];
    albumB = (await alice.client.post(`/families/${family.id}/albums`, { name: '精选' })).body.album;
    const code = (await alice.client.post(`/families/${family.id}/invites`, { max_uses: 2 })).body.code;
    expect((await bob.client.post('/families/join', { code })).status).toBe(200);
    expect((await carol.client.post('/families/join', { code })).status).toBe(200);
  });
  afterAll(() => stack.close());

  const keyOf = (bytes: Buffer) => `families/${family.id}/${md5(bytes)}.jpg`;
  const item = (bytes: Buffer, albumId: number) => jpegPhotoMeta({ familyId: family.id, albumId }, bytes);
  async function uploadTo(someone: Person, albumId: number, bytes = jpeg(3000)) {
    const sig = await someone.client.get<OssUploadConfig>(`/families/oss/signature?family_id=${family.id}&album_id=${albumId}`);
    expect((await postObject(sig.body, keyOf(bytes), bytes)).status).toBe(200);
    const commit = await someone.client.post('/photos', { data: [item(bytes, albumId)] });
    expect(commit.body.failed).toEqual([]);
    return { photo: commit.body.photos[0] as { id: number }, bytes };
  }
  /** 秒传, as the Mini Program does it: the key the hash check gave, no upload. */
  const instantCommit = (someone: Person, bytes: Buffer, albumId: number) => someone.client.post('/photos', { data: [item(bytes, albumId)] });
  const inOss = async (bytes: Buffer) => (await stack.api.deps.ossClient.headObject(keyOf(bytes))) !== undefined;
  const inStore = async (bytes: Buffer) => (await stack.store.findObjects(family.id, [md5(bytes)])).length === 1;
  const del = (someone: Person, photoId: number) => someone.client.call('DELETE', `/photos/${photoId}`);

  test('the uploader deletes their photo: 204, gone from the listing, the store and OSS; again is 404', async () => {
    const { photo, bytes } = await uploadTo(bob, albumA.id);
    expect((await del(bob, photo.id)).status).toBe(204);
    expect((await alice.client.get(`/albums/${albumA.id}/photos`)).body.photos.map((p: { id: number }) => p.id)).not.toContain(photo.id);
    expect(await inStore(bytes)).toBe(false);
    expect(await inOss(bytes)).toBe(false);
    const again = await del(bob, photo.id);
    expect(again.status).toBe(404);
    expect(again.body.error.code).toBe('not_found');
  });

  test('the owner deletes anyone’s photo; another member and a stranger get 404 and change nothing', async () => {
    const { photo, bytes } = await uploadTo(bob, albumA.id);
    const eve = await loginAs(stack.api.url, 'eve');
    expect((await del(carol, photo.id)).status).toBe(404);
    expect((await del(eve, photo.id)).status).toBe(404);
    expect(await inOss(bytes)).toBe(true);
    expect((await del(alice, photo.id)).status).toBe(204);
    expect(await inOss(bytes)).toBe(false);
  });

  test('an uploader removed from the family can no longer delete; bad ids are 400', async () => {
    const dave = await loginAs(stack.api.url, 'dave');
    const code = (await alice.client.post(`/families/${family.id}/invites`, {})).body.code;
    await dave.client.post('/families/join', { code });
    const { photo } = await uploadTo(dave, albumA.id);
    expect((await alice.client.call('DELETE', `/families/${family.id}/members/${dave.user.id}`)).status).toBe(204);
    expect((await del(dave, photo.id)).status).toBe(404);
    expect((await alice.client.get(`/albums/${albumA.id}/photos`)).body.photos.map((p: { id: number }) => p.id)).toContain(photo.id);
    expect((await alice.client.call('DELETE', '/photos/abc')).status).toBe(400);
    expect((await alice.client.call('DELETE', '/photos/0')).status).toBe(400);
    expect((await alice.client.call('DELETE', '/photos/99999999')).status).toBe(404);
  });

  test('one object behind two albums (秒传): deleting one photo keeps it in the store and OSS; deleting both removes it from both', async () => {
    const { photo: first, bytes } = await uploadTo(alice, albumA.id);
    const second = await instantCommit(bob, bytes, albumB.id);
    expect(second.body.failed).toEqual([]);
    expect(second.body.photos[0].object_key).toBe(keyOf(bytes));

    expect((await del(alice, first.id)).status).toBe(204);
    expect(await inStore(bytes)).toBe(true);
    expect(await inOss(bytes)).toBe(true);
    const listed = (await bob.client.get(`/albums/${albumB.id}/photos`)).body.photos.find((p: { id: number }) => p.id === second.body.photos[0].id);
    expect(Buffer.from(await (await fetch(listed.url)).arrayBuffer()).equals(bytes)).toBe(true);
    expect((await alice.client.post('/photos/hash/check', { family_id: family.id, hashes: [md5(bytes)] })).body.existing).toHaveLength(1);

    expect((await del(bob, second.body.photos[0].id)).status).toBe(204);
    expect(await inStore(bytes)).toBe(false);
    expect(await inOss(bytes)).toBe(false);
    expect((await alice.client.post('/photos/hash/check', { family_id: family.id, hashes: [md5(bytes)] })).body.existing).toEqual([]);
    // The same bytes can come back: a fresh upload and commit.
    await uploadTo(carol, albumB.id, bytes);
    expect(await inStore(bytes)).toBe(true);
  });

  test('a 秒传 commit racing the delete of the object’s last photo never leaves a photo without its object (60 runs)', async () => {
    for (let run = 0; run < 60; run++) {
      const { photo, bytes } = await uploadTo(alice, albumA.id, jpeg(1000 + run));
      // Both halves in flight at once, each started first in turn and staggered by 0–4 ms, so
      // that both orders (and the interleavings between) occur, on SQLite too.
      const stagger = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
      const [deleted, commit] =
        run % 2 === 0
          ? await Promise.all([del(alice, photo.id), stagger(run % 5).then(() => instantCommit(bob, bytes, albumB.id))])
          : await Promise.all([stagger(run % 5).then(() => del(alice, photo.id)), instantCommit(bob, bytes, albumB.id)]);
      expect(deleted.status).toBe(204);
      expect(commit.status).toBe(200);
      if (commit.body.photos.length === 1) {
        // The commit landed: the object must have stayed, in the store and in OSS.
        expect(await inStore(bytes)).toBe(true);
        expect(await inOss(bytes)).toBe(true);
        expect((await del(bob, commit.body.photos[0].id)).status).toBe(204);
      } else {
        expect(commit.body.failed).toEqual([{ index: 0, code: 'object_missing', message: expect.any(String) }]);
      }
      expect(await inStore(bytes)).toBe(false);
      expect(await inOss(bytes)).toBe(false);
    }
    // Every photo still in the family has its object, in the store and in OSS.
    for (const album of [albumA, albumB]) {
      for (const p of await stack.store.listPhotos(album.id, { limit: 1000 })) {
        const [object] = await stack.store.findObjects(family.id, [p.hash]);
        expect(object).toMatchObject({ objectKey: p.objectKey, deleting: false });
        expect(await stack.api.deps.ossClient.headObject(p.objectKey)).toBeDefined();
      }
    }
  }, 120_000);

  describe('the store under each ordering', () => {
    const newPhoto = (albumId: number, bytes: Buffer, reusesObject?: boolean): NewPhoto => ({
      albumId,
      hash: md5(bytes),
      objectKey: keyOf(bytes),
      fileName: 'x.jpg',
      fileType: 'image',
      fileSize: bytes.length,
      creatorId: alice.user.id,
      uploadTime: new Date(),
      ...(reusesObject ? { reusesObject } : {}),
    });

    test('a commit that looked the object up before the delete records nothing, 秒传 or fresh upload alike', async () => {
      const bytes = randomBytes(100);
      const [original] = await stack.store.insertPhotos(family.id, [newPhoto(albumA.id, bytes)], new Date());
      const deletion = await stack.store.deletePhoto(original.id, new Date());
      expect(deletion).toEqual({ deleted: true, orphanedObjectKey: keyOf(bytes) });
      // Marked, not yet forgotten: the OSS delete may not have happened.
      await expect(stack.store.insertPhotos(family.id, [newPhoto(albumB.id, bytes, true)], new Date())).rejects.toBeInstanceOf(ObjectGoneError);
      await expect(stack.store.insertPhotos(family.id, [newPhoto(albumB.id, bytes)], new Date())).rejects.toBeInstanceOf(ObjectGoneError);
      await stack.store.forgetDeletedObject(keyOf(bytes));
      // Forgotten: a 秒传 item cannot bring the row back; a fresh upload (HEAD after the delete) can.
      await expect(stack.store.insertPhotos(family.id, [newPhoto(albumB.id, bytes, true)], new Date())).rejects.toEqual(new ObjectGoneError([md5(bytes)]));
      expect(await stack.store.listPhotos(albumB.id, { limit: 1000 })).not.toContainEqual(expect.objectContaining({ hash: md5(bytes) }));
      const [fresh] = await stack.store.insertPhotos(family.id, [newPhoto(albumB.id, bytes)], new Date());
      expect(fresh.hash).toBe(md5(bytes));
      expect(await stack.store.deletePhoto(fresh.id, new Date())).toEqual({ deleted: true, orphanedObjectKey: keyOf(bytes) });
      expect(await stack.store.deletePhoto(fresh.id, new Date())).toEqual({ deleted: false });
      await stack.store.forgetDeletedObject(keyOf(bytes));
    });

    test('an object being deleted is offered for reuse neither by the hash check nor by a multipart start', async () => {
      const bytes = randomBytes(200);
      const [original] = await stack.store.insertPhotos(family.id, [newPhoto(albumA.id, bytes)], new Date());
      const check = () => alice.client.post('/photos/hash/check', { family_id: family.id, hashes: [md5(bytes)] });
      const start = () =>
        alice.client.post('/uploads/multipart', { family_id: family.id, album_id: albumA.id, hash: md5(bytes), size: bytes.length, file_name: 'x.jpg', file_type: 'image' });
      expect((await check()).body.existing).toHaveLength(1);
      expect((await stack.store.deletePhoto(original.id, new Date())).deleted).toBe(true);
      // Marked deleting, OSS delete not yet done: nothing may point at it now.
      expect((await check()).body.existing).toEqual([]);
      const started = await start();
      expect(started.status).toBe(201);
      expect(started.body.upload_id).toEqual(expect.any(String));
      expect((await alice.client.call('DELETE', `/uploads/multipart/${started.body.upload_id}`)).status).toBe(204);
      await stack.store.forgetDeletedObject(keyOf(bytes));
    });

    test('a commit holding the object first keeps it: the delete then sees the new photo (100 concurrent runs)', async () => {
      for (let run = 0; run < 100; run++) {
        const bytes = randomBytes(64);
        const [original] = await stack.store.insertPhotos(family.id, [newPhoto(albumA.id, bytes)], new Date());
        const deleting = () => stack.store.deletePhoto(original.id, new Date());
        const committing = () => stack.store.insertPhotos(family.id, [newPhoto(albumB.id, bytes, true)], new Date());
        // Started in either order: SQLite runs each whole; PostgreSQL interleaves them on two connections.
        let deleted: ReturnType<typeof deleting>;
        let committed: ReturnType<typeof committing>;
        if (run % 2 === 0) [deleted, committed] = [deleting(), committing()];
        else [committed, deleted] = [committing(), deleting()];
        const [deletion, commit] = await Promise.allSettled([deleted, committed]);
        if (deletion.status !== 'fulfilled' || !deletion.value.deleted) throw new Error(`delete failed: ${JSON.stringify(deletion)}`);
        if (commit.status === 'fulfilled') {
          expect(deletion.value.orphanedObjectKey).toBeUndefined();
          expect(await stack.store.findObjects(family.id, [md5(bytes)])).toEqual([expect.objectContaining({ deleting: false })]);
          expect((await stack.store.deletePhoto(commit.value[0].id, new Date())).deleted).toBe(true);
        } else {
          expect(commit.reason).toBeInstanceOf(ObjectGoneError);
          expect(deletion.value.orphanedObjectKey).toBe(keyOf(bytes));
        }
        await stack.store.forgetDeletedObject(keyOf(bytes));
        expect(await stack.store.findObjects(family.id, [md5(bytes)])).toEqual([]);
      }
    }, 120_000);
  });
});
