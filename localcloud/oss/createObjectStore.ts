import { createHash, randomUUID } from 'node:crypto';
import type { ReadStream } from 'node:fs';
import { mkdir, open, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createKeyedLock } from './createKeyedLock';
import type { ObjectProperties } from './objectProperties';
import { fileAlreadyExists } from './ossError';
import type { Readable } from 'node:stream';
import { copyToTempFile, CreateWriteStream, StagedFile, streamToTempFile, StreamToTempOptions, TempFile } from './streamToTempFile';

export interface StoredObject extends ObjectProperties {
  key: string;
  sizeBytes: number;
  /** Without quotes: the upper-case hex MD5 of a simple upload, `<hex>-<parts>` of a multipart one. */
  etag: string;
  /** `x-oss-hash-crc64ecma`; absent on objects stored before the emulator kept it, as in OSS. */
  crc64?: string;
  /** `x-oss-object-type`; absent means Normal (a PUT or PostObject). */
  objectType?: 'Multipart';
  lastModified: string;
  /** The data file beside the metadata; a new one per write, so readers never see half an object. */
  dataFile: string;
}

export interface ObjectStore {
  /** Creates the bucket folders and removes temp files a crash left behind. */
  prepare(): Promise<void>;
  /** Streams a body into the bucket's temp folder (see streamToTempFile), ready for `commit`. */
  receive(bucket: string, body: Readable, options?: Omit<StreamToTempOptions, 'createWriteStream'>): Promise<TempFile>;
  /** Bytes whose size and CRC are known (a completed upload's parts) to a temp file, not hashed again. */
  receiveKnown(bucket: string, body: Readable, known: Omit<StagedFile, 'path'>): Promise<StagedFile>;
  /** The ETag is the MD5 for a simple upload, the multipart ETag (with `objectType`) for a completed one. */
  commit(bucket: string, key: string, temp: StagedFile, props: ObjectProperties, options: CommitOptions): Promise<StoredObject>;
  head(bucket: string, key: string): Promise<StoredObject | undefined>;
  /** The object with a stream over `[start, end]` (inclusive), or undefined when missing. */
  openRead(bucket: string, key: string, range?: { start: number; end: number }): Promise<{ object: StoredObject; stream: ReadStream } | undefined>;
  remove(bucket: string, key: string): Promise<void>;
  /** Every object of the bucket, sorted by key. */
  list(bucket: string): Promise<StoredObject[]>;
}

export interface CommitOptions {
  forbidOverwrite: boolean;
  now: Date;
  etag: string;
  objectType?: 'Multipart';
}

const isMissing = (err: unknown): boolean => (err as NodeJS.ErrnoException)?.code === 'ENOENT';

/**
 * Objects on disk under `<dataDir>/<bucket>/`: keys are arbitrary strings, so files are named by
 * the SHA-256 of the key (nothing a key holds can reach outside the folder). Each object is a data
 * file plus a JSON sidecar; a write renames a finished temp file into place, then swaps the sidecar
 * with another rename, so an object is either the old one or the new one, never a mix.
 */
export function createObjectStore(dataDir: string, buckets: readonly string[], io: { createWriteStream?: CreateWriteStream } = {}): ObjectStore {
  const lock = createKeyedLock();
  const bucketDir = (bucket: string): string => {
    if (!buckets.includes(bucket)) throw new Error(`Bucket ${bucket} is not served here`);
    return join(dataDir, bucket);
  };
  const tempDir = (bucket: string): string => join(bucketDir(bucket), '.tmp');
  const locate = (bucket: string, key: string) => {
    const hash = createHash('sha256').update(key, 'utf8').digest('hex');
    const dir = join(bucketDir(bucket), 'objects', hash.slice(0, 2));
    return { dir, hash, metaPath: join(dir, `${hash}.json`) };
  };

  async function readMeta(metaPath: string, key?: string): Promise<StoredObject | undefined> {
    try {
      const object = JSON.parse(await readFile(metaPath, 'utf8')) as StoredObject;
      return key === undefined || object.key === key ? object : undefined;
    } catch (err) {
      if (isMissing(err) || err instanceof SyntaxError) return undefined;
      throw err;
    }
  }

  const store: ObjectStore = {
    async prepare() {
      for (const bucket of buckets) {
        await rm(tempDir(bucket), { recursive: true, force: true });
        await mkdir(tempDir(bucket), { recursive: true });
        await mkdir(join(bucketDir(bucket), 'objects'), { recursive: true });
      }
    },

    receive(bucket, body, options = {}) {
      return streamToTempFile(body, tempDir(bucket), { ...options, createWriteStream: io.createWriteStream });
    },

    receiveKnown(bucket, body, known) {
      return copyToTempFile(body, known, tempDir(bucket), io.createWriteStream);
    },

    commit(bucket, key, temp, props, options) {
      const { dir, hash, metaPath } = locate(bucket, key);
      return lock(metaPath, async () => {
        try {
          const previous = await readMeta(metaPath, key);
          if (options.forbidOverwrite && previous) throw fileAlreadyExists(key);
          await mkdir(dir, { recursive: true });
          const id = randomUUID();
          const object: StoredObject = {
            key,
            sizeBytes: temp.sizeBytes,
            etag: options.etag,
            ...(options.objectType ? { objectType: options.objectType } : {}),
            crc64: temp.crc64,
            lastModified: options.now.toISOString(),
            ...props,
            dataFile: `${hash}.${id}.data`,
          };
          await rename(temp.path, join(dir, object.dataFile));
          const metaTemp = join(tempDir(bucket), `${id}.json`);
          try {
            await writeFile(metaTemp, JSON.stringify(object));
            await rename(metaTemp, metaPath);
          } catch (err) {
            await rm(join(dir, object.dataFile), { force: true });
            await rm(metaTemp, { force: true });
            throw err;
          }
          if (previous && previous.dataFile !== object.dataFile) await rm(join(dir, previous.dataFile), { force: true });
          return object;
        } finally {
          await rm(temp.path, { force: true });
        }
      });
    },

    head(bucket, key) {
      return readMeta(locate(bucket, key).metaPath, key);
    },

    async openRead(bucket, key, range) {
      const { dir, metaPath } = locate(bucket, key);
      // A concurrent overwrite may delete the data file between reading the sidecar and opening it: look again once.
      for (let attempt = 0; attempt < 2; attempt += 1) {
        const object = await readMeta(metaPath, key);
        if (!object) return undefined;
        try {
          const handle = await open(join(dir, object.dataFile), 'r');
          // Up to 1 MiB a read, bounded by the object: a large GET costs the emulator's one thread a
          // third less than at 64 KiB, and a small one allocates only its own size.
          const bounds = range ?? (object.sizeBytes > 0 ? { start: 0, end: object.sizeBytes - 1 } : {});
          return { object, stream: handle.createReadStream({ ...bounds, highWaterMark: 1024 * 1024 }) };
        } catch (err) {
          if (!isMissing(err)) throw err;
        }
      }
      return undefined;
    },

    remove(bucket, key) {
      const { dir, metaPath } = locate(bucket, key);
      return lock(metaPath, async () => {
        const object = await readMeta(metaPath, key);
        if (!object) return;
        await rm(metaPath, { force: true });
        await rm(join(dir, object.dataFile), { force: true });
      });
    },

    async list(bucket) {
      const root = join(bucketDir(bucket), 'objects');
      const objects: StoredObject[] = [];
      for (const sub of await readdir(root).catch(() => [] as string[])) {
        for (const name of await readdir(join(root, sub)).catch(() => [] as string[])) {
          if (!name.endsWith('.json')) continue;
          const object = await readMeta(join(root, sub, name));
          if (object) objects.push(object);
        }
      }
      // OSS lists in UTF-8 byte order.
      return objects.sort((a, b) => Buffer.compare(Buffer.from(a.key, 'utf8'), Buffer.from(b.key, 'utf8')));
    },
  };
  return store;
}
