import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import type { NewPhoto } from '../server/src/store/Store';
import { loginAs } from '../testkit/apiClient';
import type { Stack, StoreKind } from '../testkit/startStack';
import { Figure, figure, skippedFigure } from './figures';
import { putRandomObjects, randomMd5 } from './ossObjects';
import type { BenchContext, SectionResult } from './section';
import { mapWithConcurrency } from '../server/src/mapWithConcurrency';
import { percentile, timeMs } from './stats';

/** `count` distinct picks from `pool`. */
function sample<T>(pool: readonly T[], count: number): T[] {
  const picked = new Set<number>();
  while (picked.size < Math.min(count, pool.length)) picked.add(Math.floor(Math.random() * pool.length));
  return [...picked].map((i) => pool[i]);
}

const photoRow = (albumId: number, creatorId: number, hash: string, familyId: number, size: number, now: Date): NewPhoto => ({
  albumId,
  hash,
  objectKey: `families/${familyId}/${hash}.jpg`,
  fileName: `IMG_${hash.slice(0, 8)}.jpg`,
  fileType: 'image',
  fileSize: size,
  creatorId,
  uploadTime: now,
});

/**
 * A database in steady state has statistics: PostgreSQL's autovacuum analyzes a table within about a
 * minute of a bulk insert. The stack's schema name is its own, so it is found by the family's unique name.
 */
async function analyzePostgres(url: string, familyName: string): Promise<void> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const schemas = await client.query<{ nspname: string }>(`SELECT nspname FROM pg_namespace WHERE nspname LIKE 'api\\_test\\_%'`);
    for (const { nspname } of schemas.rows) {
      if (!/^[a-z0-9_]+$/.test(nspname)) continue;
      const found = await client.query(`SELECT 1 FROM ${nspname}.families WHERE name = $1`, [familyName]).catch(() => ({ rowCount: 0 }));
      if (found.rowCount) {
        await client.query(`ANALYZE ${nspname}.objects, ${nspname}.photos`);
        return;
      }
    }
    throw new Error(`no PostgreSQL schema holds the family "${familyName}"`);
  } finally {
    await client.end();
  }
}

async function measureStore(ctx: BenchContext, kind: StoreKind, stack: Stack) {
  const s = ctx.settings.database;
  const user = await loginAs(stack.api.url, `bench-db-${kind}`);
  const familyName = `DB family ${kind} ${randomBytes(6).toString('hex')}`;
  const created = await user.client.post('/families', { name: familyName });
  if (created.status !== 201) throw new Error(`POST /families answered ${created.status}`);
  const familyId: number = created.body.family.id;
  const albumId: number = created.body.album.id;

  // Seed: the family already holds `storedPhotos` photos, written through the store in batches.
  const seeded: string[] = [];
  const seedMs = (
    await timeMs(async () => {
      for (let done = 0; done < s.storedPhotos; done += s.seedBatch) {
        const batch = Array.from({ length: Math.min(s.seedBatch, s.storedPhotos - done) }, () => randomMd5());
        await stack.store.insertPhotos(familyId, batch.map((h) => photoRow(albumId, user.user.id, h, familyId, 3_000_000, new Date())), new Date());
        seeded.push(...batch);
      }
    })
  ).ms;
  if (kind === 'postgres' && 'url' in ctx.postgres) await analyzePostgres(ctx.postgres.url, familyName);
  ctx.log(`  ${kind}: seeded ${s.storedPhotos} photos in ${(seedMs / 1000).toFixed(1)} s`);
  // SQLite's seeding holds the event loop for seconds, past both keep-alive timeouts of the idle
  // connection to the in-process API; let their timers run before the next request, or fetch may
  // reuse the socket just as the server closes it ("fetch failed").
  await new Promise((resolve) => setTimeout(resolve, 100));

  // Hash check: `knownHashes` the family has, the rest new, as a returning user's selection would be.
  const hashLists = () => [...sample(seeded, s.knownHashes), ...Array.from({ length: s.hashesPerCheck - s.knownHashes }, randomMd5)];
  const checkRoute: number[] = [];
  const checkStore: number[] = [];
  const warmup = Math.min(20, s.checkSamples);
  for (let i = 0; i < warmup + s.checkSamples; i++) {
    const hashes = hashLists();
    const route = await timeMs(() => user.client.post('/photos/hash/check', { family_id: familyId, hashes }));
    if (route.result.status !== 200 || route.result.body.existing.length !== s.knownHashes) {
      throw new Error(`hash check answered ${route.result.status} with ${route.result.body?.existing?.length} known (expected ${s.knownHashes})`);
    }
    const floor = await timeMs(() => stack.store.findObjects(familyId, hashes));
    if (i >= warmup) {
      checkRoute.push(route.ms);
      checkStore.push(floor.ms);
    }
  }

  // Commit: each sample records `commitItems` objects just put into OSS, so every item is verified with a HEAD.
  const commitRoute: number[] = [];
  const commitFloor: number[] = [];
  const floorHeads: number[] = [];
  const floorStore: number[] = [];
  const commitWarmup = 1;
  const storage = stack.api.deps.ossClient;
  for (let i = 0; i < commitWarmup + s.commitSamples; i++) {
    const objects = await putRandomObjects(stack, familyId, s.commitItems, s.objectBytes);
    const data = objects.map((o) => ({
      album_id: albumId,
      family_id: familyId,
      file_name: `IMG_${o.hash.slice(0, 8)}.jpg`,
      object_key: o.key,
      file_type: 'image',
      file_size: o.size,
      hash_value: o.hash,
    }));
    const route = await timeMs(() => user.client.post('/photos', { data }));
    if (route.result.status !== 200 || route.result.body.photos.length !== s.commitItems || route.result.body.failed.length !== 0) {
      throw new Error(`commit answered ${route.result.status}: ${JSON.stringify(route.result.body).slice(0, 300)}`);
    }
    // The same work without HTTP, JSON and validation: the HEADs (8 at once, as the route) and one store transaction of new rows.
    const fresh = objects.map(() => randomMd5());
    const heads = await timeMs(() => mapWithConcurrency(objects, 8, (o) => storage.headObject(o.key)));
    const rows = await timeMs(() => stack.store.insertPhotos(familyId, fresh.map((h) => photoRow(albumId, user.user.id, h, familyId, s.objectBytes, new Date())), new Date()));
    if (i >= commitWarmup) {
      commitRoute.push(route.ms);
      commitFloor.push(heads.ms + rows.ms);
      floorHeads.push(heads.ms);
      floorStore.push(rows.ms);
    }
  }
  return {
    seedMs,
    check: { routeP50: percentile(checkRoute, 50), routeP99: percentile(checkRoute, 99), storeP50: percentile(checkStore, 50), storeP99: percentile(checkStore, 99), samples: checkRoute.length },
    commit: {
      routeP50: percentile(commitRoute, 50),
      routeP99: percentile(commitRoute, 99),
      floorP50: percentile(commitFloor, 50),
      floorP99: percentile(commitFloor, 99),
      /** The floor's two parts: OSS HEADs (emulator in this process) and the store transaction. */
      headsP50: percentile(floorHeads, 50),
      storeP50: percentile(floorStore, 50),
      samples: commitRoute.length,
    },
  };
}

/**
 * Part 5. The stack's API in this process (PostgreSQL runs in a fresh schema only the stack knows),
 * driven one request at a time; each route is set against the same work done straight on the store.
 */
export async function databasePaths(ctx: BenchContext): Promise<SectionResult> {
  const s = ctx.settings.database;
  const figures: Figure[] = [];
  const details: Record<string, unknown> = {};
  const checkLabel = (kind: string, p: string) => `hash check ${p} (${s.hashesPerCheck} hashes, ${kind})`;
  const commitLabel = (kind: string, p: string) => `commit ${p} (${s.commitItems} items, ${kind})`;
  for (const kind of ['sqlite', 'postgres'] as const) {
    const skip = kind === 'postgres' && !('url' in ctx.postgres) ? ctx.postgres.skipped : undefined;
    if (skip !== undefined) {
      details[kind] = { skipped: skip };
      const base = { section: 'database' as const, unit: 'ms', reason: skip };
      figures.push(
        skippedFigure({ ...base, id: `database.${kind}.hashCheck.p50`, label: checkLabel(kind, 'p50'), baselineLabel: 'store.findObjects p50' }),
        skippedFigure({ ...base, id: `database.${kind}.hashCheck.p99`, label: checkLabel(kind, 'p99'), baselineLabel: 'store.findObjects p99', targetText: `< ${s.checkP99TargetMs} ms` }),
        skippedFigure({ ...base, id: `database.${kind}.commit.p50`, label: commitLabel(kind, 'p50'), baselineLabel: 'HEADs + store.insertPhotos p50', targetText: `< ${s.commitP50TargetMs} ms` }),
        skippedFigure({ ...base, id: `database.${kind}.commit.p99`, label: commitLabel(kind, 'p99'), baselineLabel: 'HEADs + store.insertPhotos p99' }),
      );
      continue;
    }
    const stack = await ctx.startStack(kind);
    let m: Awaited<ReturnType<typeof measureStore>>;
    try {
      m = await measureStore(ctx, kind, stack);
    } finally {
      await stack.close();
    }
    details[kind] = m;
    figures.push(
      figure({ section: 'database', id: `database.${kind}.hashCheck.p50`, label: checkLabel(kind, 'p50'), unit: 'ms', value: m.check.routeP50, baseline: { label: 'store.findObjects p50', value: m.check.storeP50 } }),
      figure({
        section: 'database',
        id: `database.${kind}.hashCheck.p99`,
        label: checkLabel(kind, 'p99'),
        unit: 'ms',
        value: m.check.routeP99,
        baseline: { label: 'store.findObjects p99', value: m.check.storeP99 },
        target: { text: `< ${s.checkP99TargetMs} ms`, met: ({ value }) => value < s.checkP99TargetMs },
      }),
      figure({
        section: 'database',
        id: `database.${kind}.commit.p50`,
        label: commitLabel(kind, 'p50'),
        unit: 'ms',
        value: m.commit.routeP50,
        baseline: { label: 'HEADs + store.insertPhotos p50', value: m.commit.floorP50 },
        target: { text: `< ${s.commitP50TargetMs} ms`, met: ({ value }) => value < s.commitP50TargetMs },
      }),
      figure({ section: 'database', id: `database.${kind}.commit.p99`, label: commitLabel(kind, 'p99'), unit: 'ms', value: m.commit.routeP99, baseline: { label: 'HEADs + store.insertPhotos p99', value: m.commit.floorP99 } }),
    );
  }
  return {
    method: `${s.storedPhotos} photos seeded in the one family through store.insertPhotos (batches of ${s.seedBatch}), then ANALYZE on PostgreSQL (what autovacuum does within a minute; SQLite has no automatic statistics); ${s.checkSamples} sequential hash checks (${s.knownHashes} of ${s.hashesPerCheck} hashes known) and ${s.commitSamples} commits of ${s.commitItems} freshly uploaded objects, each after warm-up, against the stack's in-process API; baselines are the same work on the store (and OSS HEADs) without HTTP.`,
    details,
    figures,
  };
}
