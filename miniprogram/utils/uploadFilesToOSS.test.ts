import { createHash } from 'node:crypto';
import { createCancelToken } from './cancelToken';
import { ApiRequestError } from './sendWxRequest';
import { deferred, flush } from '../../testkit/deferred';
import { createFakeAlbumApi } from '../../testkit/fakeAlbumApi';
import { createFakeWx, type FakeUploadCall, type FakeWxOptions } from '../../testkit/fakeWx';
import type { BatchProgress, SelectedFile, UploadResult } from './types';
import { MULTIPART_THRESHOLD_BYTES } from './multipartUpload';
import type { RequestAPI } from './request';
import { uploadFilesToOSS, type UploadOptions } from './uploadFilesToOSS';

const md5 = (text: string) => createHash('md5').update(text).digest('hex');
const POLICY_EXPIRED = '<Error><Code>AccessDenied</Code><Message>Invalid according to Policy: Policy expired.</Message></Error>';

function file(n: number, overrides: Partial<SelectedFile> = {}): SelectedFile {
  // Sizes fall with n, so the largest-first upload order is the selection order unless a test says otherwise.
  return { path: `http://tmp/f${n}.jpg`, name: `IMG_${n}.jpg`, size: 100_000 - n, sizeKb: 1, time: Date.UTC(2024, 0, 15), type: 'image', hash: md5(`file ${n}`), ...overrides };
}

function setup(options: { wx?: FakeWxOptions; manualUploads?: boolean } = {}) {
  let clock = Date.UTC(2024, 0, 15, 8, 30);
  const api = createFakeAlbumApi({ now: () => clock });
  const fake = createFakeWx({ onUpload: options.manualUploads ? undefined : api.onUpload, ...options.wx });
  const sleeps: number[] = [];
  const progress: BatchProgress[] = [];
  const deps = {
    wx: fake.wx,
    requestAPI: api.requestAPI,
    now: () => clock,
    random: () => 0.5,
    sleep: async (ms: number) => {
      sleeps.push(ms);
      clock += ms;
    },
  };
  const run = (files: SelectedFile[], extra: Partial<UploadOptions> = {}) =>
    uploadFilesToOSS(files, { familyId: 7, albumId: 3, onProgress: (p) => progress.push(p), ...extra }, deps);
  return { api, fake, sleeps, progress, deps, run, tick: (ms: number) => (clock += ms) };
}

/** Progress as the page sees it: never backwards, ending at 100 with every file settled. */
function expectSaneProgress(progress: BatchProgress[]) {
  const problems: string[] = [];
  progress.forEach((p, k) => {
    if (k === 0) return;
    const before = progress[k - 1];
    if (p.percent < before.percent) problems.push(`total ${before.percent} → ${p.percent}`);
    p.files.forEach((f, i) => f.percent < before.files[i].percent && problems.push(`file ${i} ${before.files[i].percent} → ${f.percent}`));
  });
  expect(problems).toEqual([]);
  expect(progress[progress.length - 1].percent).toBe(100);
}

const statuses = (results: UploadResult[]) => results.map((r) => (r.status === 'failed' ? `failed:${r.code}` : r.status));

test('known hashes are instant and never uploaded; one hash check, one commit; results in selection order', async () => {
  const { api, fake, run, progress } = setup();
  const files = [file(1), file(2), file(3)];
  api.known.set(files[1].hash, `families/7/${files[1].hash}.jpg`);
  const results = await run(files);

  expect(statuses(results)).toEqual(['uploaded', 'instant', 'uploaded']);
  expect(results.map((r) => r.file.path)).toEqual(files.map((f) => f.path));
  expect(fake.uploads.map((u) => u.formData.key)).toEqual([`families/7/${files[0].hash}.jpg`, `families/7/${files[2].hash}.jpg`]);
  expect(api.hashChecks).toEqual([{ family_id: 7, hashes: files.map((f) => f.hash) }]);
  expect(api.policies).toHaveLength(1);
  expect(api.commits).toHaveLength(1);
  expect(api.commits[0].data).toEqual(
    files.map((f) => ({
      album_id: 3,
      family_id: 7,
      file_name: f.name,
      object_key: `families/7/${f.hash}.jpg`,
      file_type: 'image',
      file_size: f.size,
      upload_time: '2024-01-15T00:00:00.000Z',
      hash_value: f.hash,
    })),
  );
  for (const r of results) if (r.status !== 'failed') expect(r.photo.hash_value).toBe(r.file.hash);
  expectSaneProgress(progress);
  expect(progress[progress.length - 1].files.map((f) => f.state)).toEqual(['uploaded', 'instant', 'uploaded']);
});

test('batches: one hash check per 1000 hashes, one commit per 100 files', async () => {
  const { api, fake, run } = setup();
  const files = Array.from({ length: 1250 }, (_, i) => file(i));
  for (const f of files.slice(0, 200)) api.known.set(f.hash, `families/7/${f.hash}.jpg`);
  const results = await run(files, { concurrency: 8 });
  expect(api.hashChecks.map((c) => c.hashes.length)).toEqual([1000, 250]);
  expect(api.commits.map((c) => c.data.length)).toEqual([...Array(12).fill(100), 50]);
  expect(fake.uploads).toHaveLength(1050);
  expect(fake.maxUploadsInFlight).toBeLessThanOrEqual(8);
  expect(results.filter((r) => r.status === 'instant')).toHaveLength(200);
  expect(results.filter((r) => r.status === 'uploaded')).toHaveLength(1050);
  expect(results.map((r) => r.file.hash)).toEqual(files.map((f) => f.hash));
});

test('the pool: never more than `concurrency` uploads in flight; results in order when they finish out of order', async () => {
  const { fake, api, run } = setup({ manualUploads: true });
  const files = Array.from({ length: 9 }, (_, i) => file(i));
  const done = run(files, { concurrency: 3 });
  const finished = new Set<FakeUploadCall>();
  const finishOne = async (pick: (open: FakeUploadCall[]) => FakeUploadCall) => {
    await flush(50);
    const open = fake.uploads.filter((u) => !finished.has(u));
    expect(open.length).toBeLessThanOrEqual(3);
    const call = pick(open);
    finished.add(call);
    api.objects.set(call.formData.key, 1);
    call.respond(200);
  };
  for (let k = 0; k < files.length; k++) await finishOne((open) => open[open.length - 1]);
  const results = await done;
  expect(fake.maxUploadsInFlight).toBe(3);
  expect(statuses(results)).toEqual(Array(9).fill('uploaded'));
  expect(results.map((r) => r.file.name)).toEqual(files.map((f) => f.name));
  // The last-started upload was always finished first: the order really was scrambled.
  expect(fake.uploads.map((u) => u.filePath)).not.toEqual([...finished].map((u) => u.filePath));
});

test('retryable failures retry with backoff (fake sleep); 4xx fail at once; attempts are capped', async () => {
  const { api, fake, run, sleeps } = setup();
  const [flaky, refused, down] = [file(1), file(2), file(3)];
  api.script.upload = (call, attempt) => {
    if (call.filePath === flaky.path && attempt <= 2) return call.respond(503, '<Error><Code>ServiceUnavailable</Code></Error>'), true;
    if (call.filePath === refused.path) return call.respond(400, '<Error><Code>EntityTooLarge</Code><Message>too big</Message></Error>'), true;
    if (call.filePath === down.path) return call.fail('uploadFile:fail net::ERR_CONNECTION_RESET'), true;
    return false;
  };
  const results = await run([flaky, refused, down], { concurrency: 1, maxAttempts: 3 });
  expect(statuses(results)).toEqual(['uploaded', 'failed:EntityTooLarge', 'failed:network_error']);
  const attemptsOf = (f: SelectedFile) => fake.uploads.filter((u) => u.filePath === f.path).length;
  expect([attemptsOf(flaky), attemptsOf(refused), attemptsOf(down)]).toEqual([3, 1, 3]);
  // Equal jitter with random 0.5: 300·2^(n-1) · 0.75.
  expect(sleeps).toEqual([225, 450, 225, 450]);
  expect(results[1]).toMatchObject({ reason: 'too big' });
  expect(api.commits[0].data.map((d) => d.hash_value)).toEqual([flaky.hash]);
});

test('an expired policy is refreshed once and the upload retried with the new one, without a backoff', async () => {
  const { api, fake, run, sleeps } = setup();
  const [a, b] = [file(1), file(2)];
  api.script.upload = (call) => {
    if (call.formData.policy === 'policy-p1') return call.respond(403, POLICY_EXPIRED), true;
    if (call.filePath === b.path) return call.respond(403, POLICY_EXPIRED), true;
    return false;
  };
  const results = await run([a, b], { concurrency: 1 });
  expect(statuses(results)).toEqual(['uploaded', 'failed:AccessDenied']);
  expect(api.policies.map((p) => p.policy)).toEqual(['policy-p1', 'policy-p2', 'policy-p3']);
  expect(fake.uploads.map((u) => [u.filePath, u.formData.policy])).toEqual([
    [a.path, 'policy-p1'],
    [a.path, 'policy-p2'],
    [b.path, 'policy-p2'],
    [b.path, 'policy-p3'],
  ]);
  expect(sleeps).toEqual([]);
});

test('cancel: uploads in flight are aborted, waiting ones never start, no commit, every result "cancelled"', async () => {
  const { fake, api, run, progress } = setup({ manualUploads: true });
  const token = createCancelToken();
  const files = Array.from({ length: 6 }, (_, i) => file(i));
  const done = run(files, { concurrency: 2, cancel: token });
  await flush(50);
  expect(fake.uploads).toHaveLength(2);
  token.cancel();
  const results = await done;
  expect(fake.uploads.map((u) => u.aborted)).toEqual([true, true]);
  expect(fake.uploads).toHaveLength(2);
  expect(fake.uploadsInFlight).toBe(0);
  expect(api.commits).toEqual([]);
  expect(statuses(results)).toEqual(Array(6).fill('failed:cancelled'));
  expect(progress[progress.length - 1].files.every((f) => f.state === 'cancelled')).toBe(true);
  expectSaneProgress(progress);
});

test('duplicate bytes in one selection are uploaded once and recorded once; each file gets its result', async () => {
  const { api, fake, run } = setup();
  const twin = file(1);
  const files = [twin, file(2), { ...twin, path: 'http://tmp/copy.jpg', name: 'copy.jpg' }];
  const results = await run(files);
  expect(fake.uploads.map((u) => u.filePath)).toEqual([twin.path, files[1].path]);
  expect(api.hashChecks[0].hashes).toEqual([twin.hash, files[1].hash]);
  expect(api.commits[0].data.map((d) => d.hash_value)).toEqual([twin.hash, files[1].hash]);
  expect(statuses(results)).toEqual(['uploaded', 'uploaded', 'uploaded']);
  expect(results[2].file.name).toBe('copy.jpg');
  expect(results[0].status === 'uploaded' && results[2].status === 'uploaded' && results[0].photo.id === results[2].photo.id).toBe(true);
});

test('a commit failure fails that file with the server code; a 409 from OSS counts as uploaded', async () => {
  const { api, run } = setup();
  const [a, b, c] = [file(1), file(2), file(3)];
  api.objects.set(`families/7/${c.hash}.jpg`, 1); // already in the bucket, not yet recorded
  api.script.refuse = new Map([[b.hash, { code: 'hash_mismatch', message: 'the uploaded bytes do not match hash_value; upload the file again' }]]);
  const results = await run([a, b, c]);
  expect(statuses(results)).toEqual(['uploaded', 'failed:hash_mismatch', 'uploaded']);
  expect(results[1]).toMatchObject({ reason: expect.stringContaining('do not match') });
});

test('object_rejected (the server deleted an object whose headers were not ours): uploaded again and recorded, once', async () => {
  const { api, fake, run, progress } = setup();
  // a: a new upload someone overwrote the headers of; b: 秒传 of such an object; c: rejected every time.
  const [a, b, c] = [file(1), file(2), file(3)];
  const key = (f: SelectedFile) => `families/7/${f.hash}.jpg`;
  api.known.set(b.hash, key(b));
  api.objects.set(key(b), 1);
  api.tampered.add(key(b));
  api.script.upload = (call, attempt) => {
    if (call.filePath === b.path || (call.filePath === a.path && attempt > 1)) return false;
    api.objects.set(call.formData.key, 1);
    api.tampered.add(call.formData.key);
    call.respond(200);
    return true;
  };
  const results = await run([a, b, c]);

  expect(statuses(results)).toEqual(['uploaded', 'uploaded', 'failed:object_rejected']);
  const uploadsOf = (f: SelectedFile) => fake.uploads.filter((u) => u.filePath === f.path).length;
  expect([uploadsOf(a), uploadsOf(b), uploadsOf(c)]).toEqual([2, 1, 2]);
  expect(api.commits.map((commit) => commit.data.map((item) => item.hash_value))).toEqual([
    [a.hash, b.hash, c.hash],
    [a.hash, b.hash, c.hash],
  ]);
  expect([...api.known.keys()].sort()).toEqual([a.hash, b.hash].sort());
  expectSaneProgress(progress);
});

test('the hash check and the commit retry on retryable errors; without any check answer everything is uploaded', async () => {
  const { api, fake, run, sleeps } = setup();
  const files = [file(1), file(2)];
  api.known.set(files[0].hash, `families/7/${files[0].hash}.jpg`);
  api.script.hashCheck = () => new ApiRequestError(503, 'unavailable', 'down');
  api.script.commit = (n) => (n === 1 ? new ApiRequestError(0, 'network_error', 'reset') : undefined);
  const results = await run(files, { maxAttempts: 2 });
  expect(api.hashChecks).toHaveLength(2);
  expect(fake.uploads).toHaveLength(2);
  expect(api.commits).toHaveLength(2);
  expect(sleeps).toEqual([225, 225]);
  // Uploaded, not instant: we never learnt the family had it.
  expect(statuses(results)).toEqual(['uploaded', 'uploaded']);
});

test('a commit that fails for good fails its files only, with the code', async () => {
  const { api, run } = setup();
  api.script.commit = () => new ApiRequestError(400, 'invalid_request', 'data: bad');
  const results = await run([file(1)]);
  expect(statuses(results)).toEqual(['failed:invalid_request']);
  expect(api.commits).toHaveLength(1);
});

test('files without a hash are hashed first (state "hashing"); a file that cannot be read fails alone', async () => {
  const contents: Record<string, Buffer> = { 'http://tmp/a.jpg': Buffer.from('alpha'), 'http://tmp/b.mp4': Buffer.from('bravo!') };
  const { api, run, progress } = setup({
    wx: {
      readRange: (path, pos, len) => {
        const b = contents[path];
        return b && (b.buffer.slice(b.byteOffset + pos, b.byteOffset + pos + len) as ArrayBuffer);
      },
    },
  });
  const files = [
    file(1, { path: 'http://tmp/a.jpg', size: 5, hash: '' }),
    file(2, { path: 'http://tmp/missing.jpg', size: 5, hash: '' }),
    file(3, { path: 'http://tmp/b.mp4', name: 'VID_1.mp4', size: 6, hash: '', type: 'video' }),
  ];
  const results = await run(files);
  expect(statuses(results)).toEqual(['uploaded', 'failed:hash_failed', 'uploaded']);
  expect(results[0].file.hash).toBe(createHash('md5').update('alpha').digest('hex'));
  expect(files[0].hash).toBe(''); // the caller's objects are not mutated
  expect(api.commits[0].data.map((d) => [d.object_key, d.file_type])).toEqual([
    [`families/7/${results[0].file.hash}.jpg`, 'image'],
    [`families/7/${results[2].file.hash}.mp4`, 'video'],
  ]);
  expect(progress.some((p) => p.files.every((f) => f.state === 'hashing'))).toBe(true);
  expectSaneProgress(progress);
});

test('Android progress quirks (jump to 100, progress after success, expected 0) never move the bar backwards', async () => {
  const { api, fake, run, progress, tick } = setup({ manualUploads: true });
  const files = [file(1, { size: 1000 }), file(2, { size: 3000 })];
  const done = run(files, { concurrency: 2 });
  await flush(50);
  const [a, b] = files.map((f) => fake.uploads.find((u) => u.filePath === f.path)!);
  tick(200);
  a.progress({ progress: 100, totalBytesSent: 1200, totalBytesExpectedToSend: 1200 });
  tick(200);
  b.progress({ progress: 30, totalBytesSent: 0, totalBytesExpectedToSend: 0 });
  tick(200);
  b.progress({ progress: 10, totalBytesSent: 400, totalBytesExpectedToSend: 4000 });
  api.objects.set(a.formData.key, 1);
  a.respond(200);
  await flush(50);
  tick(200);
  a.progress({ progress: 100, totalBytesSent: 1200, totalBytesExpectedToSend: 1200 });
  tick(200);
  b.progress({ progress: 200, totalBytesSent: 9000, totalBytesExpectedToSend: 4000 });
  api.objects.set(b.formData.key, 1);
  b.respond(200);
  const results = await done;
  expect(statuses(results)).toEqual(['uploaded', 'uploaded']);
  const during = progress.filter((p) => p.files.some((f) => f.state === 'uploading'));
  expect(during.map((p) => p.files.map((f) => f.percent))).toContainEqual([99, 30]);
  expect(during.every((p) => p.files.every((f) => f.percent <= 99 || f.state === 'uploaded'))).toBe(true);
  expectSaneProgress(progress);
});

test('uploads wait for a slow policy once: concurrent uploads share one signature request', async () => {
  const { api, fake, deps } = setup();
  const gate = deferred<void>();
  const slowApi = (async (o: Parameters<typeof api.requestAPI>[0]) => {
    if (o.path === '/families/oss/signature') await gate.promise;
    return api.requestAPI(o);
  }) as typeof api.requestAPI;
  const done = uploadFilesToOSS([file(1), file(2), file(3)], { familyId: 7, albumId: 3 }, { ...deps, requestAPI: slowApi });
  await flush(50);
  gate.resolve();
  const results = await done;
  expect(api.policies).toHaveLength(1);
  expect(fake.uploads).toHaveLength(3);
  expect(statuses(results)).toEqual(['uploaded', 'uploaded', 'uploaded']);
});

test('an empty selection does nothing', async () => {
  const { api, run } = setup();
  await expect(run([])).resolves.toEqual([]);
  expect(api.calls).toEqual([]);
});

test('cancel while hashing: nothing is checked, uploaded or recorded', async () => {
  const token = createCancelToken();
  let reads = 0;
  const { api, fake, run } = setup({
    wx: {
      readRange: (_path, _pos, len) => {
        if (++reads === 2) token.cancel();
        return new ArrayBuffer(len);
      },
    },
  });
  const files = [file(1, { size: 10 * 1024 * 1024, hash: '' }), file(2, { size: 10, hash: '' }), file(3, { size: 10, hash: '' })];
  const results = await run(files, { cancel: token });
  expect(statuses(results)).toEqual(Array(3).fill('failed:cancelled'));
  expect(api.calls).toEqual([]);
  expect(fake.uploads).toEqual([]);
  expect(reads).toBeLessThanOrEqual(3);
});

test('the largest files start first, so a long video picked last does not run alone at the end', async () => {
  const { fake, run } = setup();
  // The video stays under the multipart threshold: this is the PostObject pool's order.
  const files = [file(1, { size: 2_000 }), file(2, { size: MULTIPART_THRESHOLD_BYTES - 1, type: 'video', path: 'http://tmp/v.mp4', name: 'v.mp4' }), file(3, { size: 9_000 })];
  const results = await run(files, { concurrency: 1 });
  expect(fake.uploads.map((u) => u.filePath)).toEqual([files[1].path, files[2].path, files[0].path]);
  expect(results.map((r) => r.file.path)).toEqual(files.map((f) => f.path));
});

test('a large video goes up in parts beside the photos’ PostObjects, in one pool of slots and one progress model', async () => {
  const MiB = 1024 * 1024;
  const video = file(9, { size: 10 * MiB, type: 'video', path: 'http://tmp/v.mp4', name: 'VID.mp4' });
  const photos = [file(1), file(2), file(3)];
  let putsInFlight = 0;
  let maxTogether = 0;
  const t = setup({
    wx: {
      readRange: (_path, _position, length) => new ArrayBuffer(Math.min(length, 4 * MiB)),
      onRequest: (call) => {
        putsInFlight++;
        maxTogether = Math.max(maxTogether, putsInFlight + t.fake.uploadsInFlight);
        // OSS answers each part after the current job (and a while later), so photos and parts overlap.
        setTimeout(() => {
          t.tick(200);
          putsInFlight--;
          call.respond(200, '');
        }, 0);
      },
    },
  });
  const { api, fake, deps, progress } = t;
  const multipartCalls: string[] = [];
  const photo = { id: 99, album_id: 3, family_id: 7, file_name: 'VID.mp4', file_type: 'video', file_size: video.size, hash_value: video.hash, object_key: `families/7/${video.hash}.mp4` };
  // The fake album API knows no multipart routes: these answer them as the server does.
  const requestAPI = (async (request: { method: string; path: string; data?: unknown }) => {
    if (!request.path.startsWith('/uploads/multipart')) return api.requestAPI(request as Parameters<RequestAPI>[0]);
    multipartCalls.push(`${request.method} ${request.path}`);
    if (request.path === '/uploads/multipart') return { upload_id: 'u', key: photo.object_key, part_size: 4 * MiB, part_count: 3, expires_at: '2099-01-01T00:00:00Z' };
    if (request.path.endsWith('/parts')) {
      const numbers = (request.data as { part_numbers: number[] }).part_numbers;
      return { parts: numbers.map((n) => ({ part_number: n, url: `https://oss.test/v?partNumber=${n}`, expires_at: '2099-01-01T00:00:00Z' })) };
    }
    if (request.path.endsWith('/complete')) return { photo };
    return { parts: [] };
  }) as RequestAPI;

  const results = await uploadFilesToOSS([photos[0], video, photos[1], photos[2]], { familyId: 7, albumId: 3, concurrency: 2, onProgress: (p) => progress.push(p) }, { ...deps, requestAPI });

  expect(statuses(results)).toEqual(['uploaded', 'uploaded', 'uploaded', 'uploaded']);
  expect(results[1]).toMatchObject({ status: 'uploaded', photo: { id: 99, object_key: photo.object_key } });
  expect(fake.uploads.map((u) => u.filePath).sort()).toEqual(photos.map((f) => f.path).sort());
  expect(fake.requests.map((r) => r.method)).toEqual(['PUT', 'PUT', 'PUT']);
  expect(multipartCalls).toEqual(['POST /uploads/multipart', 'GET /uploads/multipart/u', 'POST /uploads/multipart/u/parts', 'POST /uploads/multipart/u/complete']);
  // The video is recorded by its completion; the photos by one commit.
  expect(api.commits).toHaveLength(1);
  expect(api.commits[0].data.map((d) => d.hash_value)).not.toContain(video.hash);
  // Parts and photos share the two slots.
  expect(maxTogether).toBeLessThanOrEqual(2);
  expect(fake.openDescriptors).toBe(0);
  expectSaneProgress(progress);
  expect(progress.some((p) => p.files[1].bytesSent > 0 && p.files[1].bytesSent < video.size)).toBe(true);
});

test('parts go before waiting photos, and the next large video sends while the previous one completes', async () => {
  const MiB = 1024 * 1024;
  const videos = [file(8, { size: 10 * MiB, type: 'video', path: 'http://tmp/a.mp4', name: 'A.mp4' }), file(9, { size: 9 * MiB, type: 'video', path: 'http://tmp/b.mp4', name: 'B.mp4' })];
  const photos = [file(1), file(2), file(3)];
  const started: string[] = [];
  const firstCompletion = deferred<void>();
  const t = setup({
    manualUploads: true,
    wx: {
      readRange: (_path, _position, length) => new ArrayBuffer(Math.min(length, 4 * MiB)),
      onRequest: (call) => {
        const url = new URL(call.url);
        started.push(`${url.pathname.slice(1)}#${url.searchParams.get('partNumber')}`);
        // B sending while A completes is what releases A's completion (it would wait forever if B waited for it).
        if (url.pathname === '/b' && url.searchParams.get('partNumber') === '1') firstCompletion.resolve();
        setTimeout(() => call.respond(200, ''), 0);
      },
      onUpload: (call) => {
        started.push(call.filePath.replace('http://tmp/', ''));
        t.api.onUpload(call);
      },
    },
  });
  const uploadIds = new Map(videos.map((v, i) => [v.hash, ['a', 'b'][i]]));
  const requestAPI = (async (request: { method: string; path: string; data?: { hash?: string; part_numbers?: number[] } }) => {
    if (!request.path.startsWith('/uploads/multipart')) return t.api.requestAPI(request as Parameters<RequestAPI>[0]);
    const id = request.path === '/uploads/multipart' ? uploadIds.get(request.data!.hash!)! : request.path.split('/')[3];
    const video = videos[id === 'a' ? 0 : 1];
    if (request.path === '/uploads/multipart') return { upload_id: id, key: `families/7/${video.hash}.mp4`, part_size: 4 * MiB, part_count: 3, expires_at: '2099-01-01T00:00:00Z' };
    if (request.path.endsWith('/parts')) return { parts: request.data!.part_numbers!.map((n) => ({ part_number: n, url: `https://oss.test/${id}?partNumber=${n}`, expires_at: '2099-01-01T00:00:00Z' })) };
    if (request.path.endsWith('/complete')) {
      if (id === 'a') {
        await firstCompletion.promise;
        started.push('a completed');
      }
      return { photo: { id: id === 'a' ? 91 : 92, album_id: 3, family_id: 7, file_name: video.name, file_type: 'video', file_size: video.size, hash_value: video.hash, object_key: `families/7/${video.hash}.mp4` } };
    }
    return { parts: [] };
  }) as RequestAPI;

  const results = await uploadFilesToOSS([...photos, ...videos], { familyId: 7, albumId: 3, concurrency: 2 }, { ...t.deps, requestAPI });

  expect(statuses(results)).toEqual(['uploaded', 'uploaded', 'uploaded', 'uploaded', 'uploaded']);
  // Two photos took the free slots while the videos asked the API (three calls before a first part);
  // the third, queued long before any part, waited behind them: parts go first.
  expect(started.slice(0, 2).sort()).toEqual(['f1.jpg', 'f2.jpg']);
  expect(started.indexOf('f3.jpg')).toBeGreaterThan(started.indexOf('a#1'));
  // A's parts, then B's — B's sent while A's completion was still out.
  expect(started.filter((e) => e.includes('#'))).toEqual(['a#1', 'a#2', 'a#3', 'b#1', 'b#2', 'b#3']);
  expect(started.indexOf('b#1')).toBeLessThan(started.indexOf('a completed'));
});
