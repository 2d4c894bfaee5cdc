/**
 * Members of one family committing overlapping new photos at once, in different orders, must all
 * succeed: on PostgreSQL, rows inserted in input order deadlocked and a whole batch got a 500.
 * Over real HTTP, on every store.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { CommitPhotosResponse, OssUploadConfig } from '../../typings';
import { loginAs } from '../../testkit/apiClient';
import { postObject } from '../../testkit/postObject';
import { Stack, startStack, storeKinds } from '../../testkit/startStack';

const md5 = (bytes: Buffer) => createHash('md5').update(bytes).digest('hex');

/** A seeded generator (mulberry32), so a failing order can be replayed. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function shuffled<T>(items: readonly T[], next: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i -= 1) {
    const j = Math.floor(next() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

const COMMITS = 16;
const ITEMS_PER_COMMIT = 100;
const POOL = 140;
const MEMBERS = 4;

describe.each(storeKinds())('concurrent commits (%s)', (kind) => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await startStack(kind);
  });
  afterAll(() => stack.close());

  test(`${COMMITS} concurrent ${ITEMS_PER_COMMIT}-item commits of shuffled overlapping hashes all succeed, each photo once`, async () => {
    const owner = await loginAs(stack.api.url, 'owner');
    const { family, album } = (await owner.client.post('/families', { name: 'family' })).body;
    const other = (await owner.client.post(`/families/${family.id}/albums`, { name: 'other' })).body.album;
    const code = (await owner.client.post(`/families/${family.id}/invites`, { max_uses: MEMBERS })).body.code;
    const members = [owner];
    for (let i = 1; i < MEMBERS; i += 1) {
      const member = await loginAs(stack.api.url, `member-${i}`);
      expect((await member.client.post('/families/join', { code })).status).toBe(200);
      members.push(member);
    }

    const config = (await owner.client.get<OssUploadConfig>(`/families/oss/signature?family_id=${family.id}&album_id=${album.id}`)).body;
    const pool = Array.from({ length: POOL }, () => randomBytes(64));
    for (const bytes of pool) {
      expect((await postObject(config, `families/${family.id}/${md5(bytes)}.jpg`, bytes)).status).toBe(200);
    }

    const next = random(20261201);
    const batches = Array.from({ length: COMMITS }, () =>
      shuffled(pool, next)
        .slice(0, ITEMS_PER_COMMIT)
        .map((bytes) => ({
          album_id: next() < 0.5 ? album.id : other.id,
          family_id: family.id,
          file_name: 'IMG.jpg',
          object_key: `families/${family.id}/${md5(bytes)}.jpg`,
          file_type: 'image',
          file_size: bytes.length,
          hash_value: md5(bytes),
        })),
    );
    const answers = await Promise.all(batches.map((data, i) => members[i % MEMBERS].client.post<CommitPhotosResponse>('/photos', { data })));

    expect(answers.map((a) => a.status)).toEqual(Array(COMMITS).fill(200));
    expect(answers.flatMap((a) => a.body.failed)).toEqual([]);
    // Every commit answers one photo per item, and one (album, hash) is one photo whoever recorded it.
    const idOf = new Map<string, number>();
    answers.forEach((answer, i) => {
      expect(answer.body.photos.map((p) => `${p.album_id}/${p.hash_value}`)).toEqual(batches[i].map((b) => `${b.album_id}/${b.hash_value}`));
      for (const p of answer.body.photos) {
        const key = `${p.album_id}/${p.hash_value}`;
        expect(idOf.get(key) ?? p.id).toBe(p.id);
        idOf.set(key, p.id);
      }
    });
    const listed = [...(await stack.store.listPhotos(album.id, { limit: 1000 })), ...(await stack.store.listPhotos(other.id, { limit: 1000 }))];
    expect(listed).toHaveLength(idOf.size);
    expect(new Set(listed.map((p) => p.id))).toEqual(new Set(idOf.values()));
    expect(await stack.store.findObjects(family.id, pool.map(md5))).toHaveLength(POOL);
  }, 120_000);
});
