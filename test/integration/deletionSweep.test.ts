/**
 * The sweep that finishes photo deletions a process left half done, on the real stack (API, local
 * cloud, SQLite and PostgreSQL): a "crash" is the store's mark without the route's follow-up steps.
 * The clock is the stack's own, moved forward past the grace period.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { OssUploadConfig } from '../../typings';
import { createLogger } from '../../server/src/logger';
import { DELETION_SWEEP_GRACE_MS, sweepObjectDeletions } from '../../server/src/objects/sweepObjectDeletions';
import { loginAs } from '../../testkit/apiClient';
import { freePort } from '../../testkit/freePort';
import { postObject } from '../../testkit/postObject';
import { startSecondApi } from '../../testkit/startSecondApi';
import { Stack, startStack, storeKinds } from '../../testkit/startStack';
import { jpegPhotoMeta } from '../../testkit/fixtures';

const md5 = (bytes: Buffer) => createHash('md5').update(bytes).digest('hex');
const jpeg = (size: number) => Buffer.concat([Buffer.from([0xff, 0xd8, 0xff]), randomBytes(size - 3)]);
const MINUTE = 60 * 1000;

describe.each(storeKinds())('finishing deletions left half done (%s)', (kind) => {
  let stack: Stack;
  let clockOffsetMs = 0;
  const now = () => new Date(Date.now() + clockOffsetMs);
  let alice: Awaited<ReturnType<typeof loginAs>>;
  let family: { id: number };
  let album: { id: number };

  beforeAll(async () => {
    stack = await startStack(kind, { now });
    alice = await loginAs(stack.api.url, 'alice');
    const created = (await alice.client.post('/families', { name: '张家' })).body;
    [family, album] = [created.family, created.album];
  });
  afterAll(() => stack.close());
  /** The clock only goes forward, as a real one does (budgets and caches would misread a jump back). */
  const later = (ms: number) => {
    clockOffsetMs += ms;
  };

  const keyOf = (bytes: Buffer) => `families/${family.id}/${md5(bytes)}.jpg`;
  const item = (bytes: Buffer) => jpegPhotoMeta({ familyId: family.id, albumId: album.id }, bytes);
  /** Signature, PostObject to the local OSS, commit: the OSS status and the commit's answer. */
  async function upload(bytes: Buffer) {
    const sig = await alice.client.get<OssUploadConfig>(`/families/oss/signature?family_id=${family.id}&album_id=${album.id}`);
    if (sig.status !== 200) throw new Error(`signature ${sig.status}: ${JSON.stringify(sig.body)}`);
    const posted = await postObject(sig.body, keyOf(bytes), bytes);
    const commit = await alice.client.post('/photos', { data: [item(bytes)] });
    expect(commit.status).toBe(200);
    return { ossStatus: posted.status, photos: commit.body.photos as { id: number; hash: string }[], failed: commit.body.failed as { code: string }[] };
  }
  const objectRow = async (bytes: Buffer) => (await stack.store.findObjects(family.id, [md5(bytes)]))[0];
  const inOss = async (bytes: Buffer) => (await stack.api.deps.ossClient.headObject(keyOf(bytes))) !== undefined;
  const sweep = (deleteObject = (key: string) => stack.api.deps.ossClient.deleteObject(key)) =>
    sweepObjectDeletions({ store: stack.store, deleteObject, logger: createLogger('silent'), now });
  /** Uploads a photo, then deletes it as a process that dies right after the store's transaction. */
  async function halfDeleted() {
    const bytes = jpeg(2000);
    const first = await upload(bytes);
    expect(first.ossStatus).toBe(200);
    expect(await stack.store.deletePhoto(first.photos[0].id, now())).toEqual({ deleted: true, orphanedObjectKey: keyOf(bytes) });
    return bytes;
  }

  test('a deletion left half done blocks the same bytes until the sweep, after the grace period, finishes it', async () => {
    const bytes = await halfDeleted();
    // The bug this sweep exists for: OSS still holds the object, and its row refuses every commit.
    const blocked = await upload(bytes);
    expect(blocked.ossStatus).toBe(409);
    expect(blocked.photos).toEqual([]);
    expect(blocked.failed).toEqual([expect.objectContaining({ code: 'object_missing' })]);

    later(DELETION_SWEEP_GRACE_MS - MINUTE);
    expect(await sweep()).toEqual({ finished: 0, failed: 0 });
    expect(await objectRow(bytes)).toMatchObject({ deleting: true });
    expect(await inOss(bytes)).toBe(true);

    later(2 * MINUTE);
    expect(await sweep()).toEqual({ finished: 1, failed: 0 });
    expect(await objectRow(bytes)).toBeUndefined();
    expect(await inOss(bytes)).toBe(false);
    expect(await sweep()).toEqual({ finished: 0, failed: 0 });

    // The family can have those bytes again: a fresh upload lands, is recorded and serves them.
    const again = await upload(bytes);
    expect(again.ossStatus).toBe(200);
    expect(again.failed).toEqual([]);
    expect(again.photos).toEqual([expect.objectContaining({ hash_value: md5(bytes) })]);
    expect(await objectRow(bytes)).toMatchObject({ deleting: false });
    const listed = (await alice.client.get(`/albums/${album.id}/photos`)).body.photos.find((p: { id: number }) => p.id === again.photos[0].id);
    expect(Buffer.from(await (await fetch(listed.url)).arrayBuffer()).equals(bytes)).toBe(true);
  });

  test('a row whose OSS object is already gone is forgotten too', async () => {
    const bytes = await halfDeleted();
    await stack.api.deps.ossClient.deleteObject(keyOf(bytes));
    expect(await inOss(bytes)).toBe(false);
    later(DELETION_SWEEP_GRACE_MS + MINUTE);
    expect(await sweep()).toEqual({ finished: 1, failed: 0 });
    expect(await objectRow(bytes)).toBeUndefined();
  });

  test('an OSS failure during the sweep leaves the row, and the next sweep after the grace period finishes it', async () => {
    const bytes = await halfDeleted();
    // A real failure: an OSS client of the same configuration, at a port nothing listens on.
    const dead = await startSecondApi(stack, { LOCAL_OSS_PORT: String(await freePort()) }, { now });
    try {
      later(DELETION_SWEEP_GRACE_MS + MINUTE);
      expect(await sweep((key) => dead.api.deps.ossClient.deleteObject(key))).toEqual({ finished: 0, failed: 1 });
    } finally {
      await dead.close();
    }
    expect(await objectRow(bytes)).toMatchObject({ deleting: true });
    expect(await inOss(bytes)).toBe(true);
    // The failed attempt claimed the row: it waits one more grace period, then goes.
    expect(await sweep()).toEqual({ finished: 0, failed: 0 });
    later(DELETION_SWEEP_GRACE_MS + MINUTE);
    expect(await sweep()).toEqual({ finished: 1, failed: 0 });
    expect(await objectRow(bytes)).toBeUndefined();
    expect(await inOss(bytes)).toBe(false);
  });

  test('the route answers 204 when OSS fails, keeps the row marked, and the sweep finishes it', async () => {
    const bytes = jpeg(2500);
    const { photos } = await upload(bytes);
    const dead = await startSecondApi(stack, { LOCAL_OSS_PORT: String(await freePort()) }, { now });
    try {
      const viaDeadOss = await loginAs(dead.api.url, 'alice');
      expect((await viaDeadOss.client.call('DELETE', `/photos/${photos[0].id}`)).status).toBe(204);
    } finally {
      await dead.close();
    }
    expect(await objectRow(bytes)).toMatchObject({ deleting: true });
    expect(await inOss(bytes)).toBe(true);
    later(DELETION_SWEEP_GRACE_MS + MINUTE);
    expect(await sweep()).toEqual({ finished: 1, failed: 0 });
    expect(await objectRow(bytes)).toBeUndefined();
    expect(await inOss(bytes)).toBe(false);
  });

  test('the server sweeps when it starts', async () => {
    const bytes = await halfDeleted();
    later(DELETION_SWEEP_GRACE_MS + MINUTE);
    const restarted = await startSecondApi(stack, {}, { now });
    // close() waits for the sweep started with the server.
    await restarted.close();
    expect(await objectRow(bytes)).toBeUndefined();
    expect(await inOss(bytes)).toBe(false);
  });
});
