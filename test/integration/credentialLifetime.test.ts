/**
 * Every view URL and upload policy the API hands out works until the moment it promises, whatever
 * the moment in its STS credentials' life: the test owns the clock of the API and of the local
 * cloud (STS issues tokens by it, OSS checks URLs, policies and token expiry by it), walks it
 * through two whole credential lifetimes, and at each step uses what it was given one second
 * before its promised end (and sees it refused one second after).
 */
import { createHash, randomBytes } from 'node:crypto';
import sharp from 'sharp';
import type { CommitPhotosResponse, ListPhotosResponse, OssUploadConfig } from '../../typings';
import { loginAs } from '../../testkit/apiClient';
import { postObject } from '../../testkit/postObject';
import { startStack, storeKinds } from '../../testkit/startStack';
import { jpegPhotoMeta } from '../../testkit/fixtures';

const md5 = (bytes: Buffer) => createHash('md5').update(bytes).digest('hex');
const STEP_SEC = 97; // not a divisor of any lifetime: the walk meets every phase of the credentials' life

describe.each(storeKinds())('URL and policy lifetimes over the credential life (%s)', (kind) => {
  test('each URL and policy handed out works one second before its promised end, and not one second after', async () => {
    const startMs = Math.floor(Date.now() / 1000) * 1000;
    let nowMs = startMs;
    const stack = await startStack(kind, { now: () => new Date(nowMs) });
    try {
      const durationSec = stack.config.sts.durationSec;
      const user = await loginAs(stack.api.url, 'alice');
      const { family, album } = (await user.client.post('/families', { name: 'family' })).body;
      const signature = async () => {
        const answer = await user.client.get<OssUploadConfig>(`/families/oss/signature?family_id=${family.id}&album_id=${album.id}`);
        expect(answer.status).toBe(200);
        return answer.body;
      };
      // A real JPEG: the thumbnail URL is rendered by the local OSS.
      const bytes = await sharp({ create: { width: 16, height: 16, channels: 3, background: { r: 200, g: 80, b: 40 } } }).jpeg().toBuffer();
      const key = `families/${family.id}/${md5(bytes)}.jpg`;
      expect((await postObject(await signature(), key, bytes)).status).toBe(200);
      const item = jpegPhotoMeta({ familyId: family.id, albumId: album.id }, bytes);
      expect((await user.client.post<CommitPhotosResponse>('/photos', { data: [item] })).body.failed).toEqual([]);

      /** Runs `use` with the clock at `atMs`, then puts the clock back. */
      const at = async <T>(atMs: number, use: () => Promise<T>): Promise<T> => {
        const saved = nowMs;
        nowMs = atMs;
        try {
          return await use();
        } finally {
          nowMs = saved;
        }
      };
      const status = async (url: string) => (await fetch(url)).status;

      const seen = { urls: 0, policies: 0 };
      for (let t = 0; t <= 2 * durationSec; t += STEP_SEC) {
        nowMs = startMs + t * 1000;
        const listed = await user.client.get<ListPhotosResponse>(`/albums/${album.id}/photos`);
        expect(listed.status).toBe(200);
        const [photo] = listed.body.photos;
        const promisedMs = Date.parse(photo.url_expires_at);
        expect(promisedMs).toBeGreaterThan(nowMs);
        for (const url of [photo.url, photo.thumbnail_url]) {
          expect([t, await at(promisedMs - 1000, () => status(url))]).toEqual([t, 200]);
          expect([t, await at(promisedMs + 1000, () => status(url))]).toEqual([t, 403]);
          seen.urls += 1;
        }

        const config = await signature();
        const fresh = randomBytes(200);
        const upload = await at(Date.parse(config.expire_at) - 1000, () => postObject(config, `families/${family.id}/${md5(fresh)}.jpg`, fresh));
        expect([t, upload.status, upload.text]).toEqual([t, 200, '']);
        seen.policies += 1;
      }
      const steps = Math.floor((2 * durationSec) / STEP_SEC) + 1;
      expect(seen).toEqual({ urls: 2 * steps, policies: steps });
      // Two lifetimes walked: the credentials were replaced along the way.
      expect(stack.cloud.sts.stats().assumeRoleCalls).toBeGreaterThanOrEqual(2);
    } finally {
      await stack.close();
    }
  }, 120_000);
});
