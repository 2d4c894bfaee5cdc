import { randomBytes, randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { createKeyedLock } from '../createKeyedLock';
import type { ObjectProperties } from '../objectProperties';
import type { TempFile } from '../streamToTempFile';
import { noSuchUpload } from './multipartErrors';

/** An unfinished multipart upload: what the object will be once completed. */
export interface UploadRecord {
  uploadId: string;
  key: string;
  /** ISO time of InitiateMultipartUpload. */
  initiated: string;
  /** Content-Type, x-oss-meta-* and kept headers given at initiation, for the final object. */
  props: ObjectProperties;
}

export interface PartRecord {
  partNumber: number;
  /** Upper-case hex MD5 of the part, without quotes (its ETag). */
  etag: string;
  sizeBytes: number;
  /** `x-oss-hash-crc64ecma` of the part. */
  crc64: string;
  lastModified: string;
  /** The part's data file in the upload's folder; a new one per upload of the part. */
  dataFile: string;
}

export interface MultipartStore {
  /** Creates the folders; unfinished uploads stay, as they do in OSS until completed or aborted. */
  prepare(): Promise<void>;
  initiate(bucket: string, key: string, props: ObjectProperties, now: Date): Promise<UploadRecord>;
  /** The upload, or NoSuchUpload (unknown, malformed, aborted or completed id). */
  get(bucket: string, uploadId: string): Promise<UploadRecord>;
  /** Moves a received part into the upload, replacing a part of the same number. */
  putPart(bucket: string, uploadId: string, partNumber: number, temp: TempFile, now: Date): Promise<PartRecord>;
  /** The parts held, by ascending part number. */
  parts(bucket: string, uploadId: string): Promise<PartRecord[]>;
  /** The bytes of `parts`, one after another, read from disk as they are consumed. */
  readParts(bucket: string, uploadId: string, parts: readonly PartRecord[]): Readable;
  /** Every unfinished upload of the bucket, in no particular order. */
  list(bucket: string): Promise<UploadRecord[]>;
  /**
   * Runs `task` with the upload held: parts are not replaced, and the upload is not aborted or
   * completed by another request meanwhile. NoSuchUpload when it is already gone.
   */
  withUpload<T>(bucket: string, uploadId: string, task: (upload: UploadRecord) => Promise<T>): Promise<T>;
  /** Removes the upload and its parts (abort, or after completion). */
  remove(bucket: string, uploadId: string): Promise<void>;
}

/** Our upload ids: 32 upper-case hex digits as OSS's, the first 12 the initiation time, so ids sort by age. */
const UPLOAD_ID = /^[0-9A-F]{32}$/;
const UPLOAD_META = 'upload.json';
const isMissing = (err: unknown): boolean => (err as NodeJS.ErrnoException)?.code === 'ENOENT';

async function readJson<T>(path: string): Promise<T | undefined> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as T;
  } catch (err) {
    if (isMissing(err) || err instanceof SyntaxError) return undefined;
    throw err;
  }
}

/**
 * Multipart uploads on disk, beside the bucket's objects: `<dataDir>/<bucket>/multipart/<uploadId>/`
 * holds `upload.json`, one `part-<n>.json` sidecar per part and the parts' data files (received
 * by the object store, then renamed here). Sidecars are written in `multipart/.tmp` and renamed into place, so a part is the old one or the
 * new one, never half of each; a restart keeps every unfinished upload. Upload ids are checked
 * against their form before they name a folder, so no id reaches outside it.
 */
export function createMultipartStore(dataDir: string, buckets: readonly string[]): MultipartStore {
  const lock = createKeyedLock();
  const root = (bucket: string): string => {
    if (!buckets.includes(bucket)) throw new Error(`Bucket ${bucket} is not served here`);
    return join(dataDir, bucket, 'multipart');
  };
  // Sidecars are written here and renamed into place; a removed upload is renamed here first. Emptied at start.
  const tempDir = (bucket: string): string => join(root(bucket), '.tmp');
  const uploadDir = (bucket: string, uploadId: string): string => {
    if (!UPLOAD_ID.test(uploadId)) throw noSuchUpload(uploadId, '0017-00000244');
    return join(root(bucket), uploadId);
  };
  const partMeta = (dir: string, partNumber: number) => join(dir, `part-${partNumber}.json`);

  async function writeAtomically(bucket: string, path: string, value: object): Promise<void> {
    const temp = join(tempDir(bucket), `${randomUUID()}.json`);
    try {
      await writeFile(temp, JSON.stringify(value));
      await rename(temp, path);
    } catch (err) {
      await rm(temp, { force: true });
      throw err;
    }
  }

  async function load(bucket: string, uploadId: string): Promise<UploadRecord> {
    const upload = await readJson<UploadRecord>(join(uploadDir(bucket, uploadId), UPLOAD_META));
    if (!upload) throw noSuchUpload(uploadId, '0042-00000002');
    return upload;
  }

  const store: MultipartStore = {
    async prepare() {
      for (const bucket of buckets) {
        await rm(tempDir(bucket), { recursive: true, force: true });
        await mkdir(tempDir(bucket), { recursive: true });
      }
    },

    async initiate(bucket, key, props, now) {
      const uploadId = (now.getTime().toString(16).padStart(12, '0') + randomBytes(10).toString('hex')).toUpperCase();
      const upload: UploadRecord = { uploadId, key, initiated: now.toISOString(), props };
      const dir = uploadDir(bucket, uploadId);
      await mkdir(dir, { recursive: true });
      await writeAtomically(bucket, join(dir, UPLOAD_META), upload);
      return upload;
    },

    get: load,

    putPart(bucket, uploadId, partNumber, temp, now) {
      const work = store.withUpload(bucket, uploadId, async () => {
        const dir = uploadDir(bucket, uploadId);
        const previous = await readJson<PartRecord>(partMeta(dir, partNumber));
        const part: PartRecord = {
          partNumber,
          etag: temp.md5Hex.toUpperCase(),
          sizeBytes: temp.sizeBytes,
          crc64: temp.crc64,
          lastModified: now.toISOString(),
          dataFile: `${partNumber}.${randomUUID()}.data`,
        };
        await rename(temp.path, join(dir, part.dataFile));
        try {
          await writeAtomically(bucket, partMeta(dir, partNumber), part);
        } catch (err) {
          await rm(join(dir, part.dataFile), { force: true });
          throw err;
        }
        if (previous) await rm(join(dir, previous.dataFile), { force: true });
        return part;
      });
      // Whatever failed (the upload aborted or completed while the part arrived, a full disk), the temp file goes.
      return work.catch(async (err: unknown) => {
        await rm(temp.path, { force: true });
        throw err;
      });
    },

    async parts(bucket, uploadId) {
      const dir = uploadDir(bucket, uploadId);
      const names = await readdir(dir).catch((err: unknown) => {
        if (isMissing(err)) throw noSuchUpload(uploadId, '0042-00000002');
        throw err;
      });
      const parts: PartRecord[] = [];
      for (const name of names) {
        if (!/^part-\d+\.json$/.test(name)) continue;
        const part = await readJson<PartRecord>(join(dir, name));
        if (part) parts.push(part);
      }
      return parts.sort((a, b) => a.partNumber - b.partNumber);
    },

    readParts(bucket, uploadId, parts) {
      const dir = uploadDir(bucket, uploadId);
      async function* concatenated(): AsyncGenerator<Buffer> {
        // 1 MiB reads: a 1 GiB object is a thousand chunks on its way to the object file, not sixteen thousand.
        for (const part of parts) yield* createReadStream(join(dir, part.dataFile), { highWaterMark: 1024 * 1024 });
      }
      return Readable.from(concatenated(), { objectMode: false });
    },

    async list(bucket) {
      const uploads: UploadRecord[] = [];
      for (const name of await readdir(root(bucket)).catch(() => [] as string[])) {
        if (!UPLOAD_ID.test(name)) continue;
        const upload = await readJson<UploadRecord>(join(root(bucket), name, UPLOAD_META));
        if (upload) uploads.push(upload);
      }
      return uploads;
    },

    withUpload(bucket, uploadId, task) {
      const dir = uploadDir(bucket, uploadId);
      return lock(dir, async () => task(await load(bucket, uploadId)));
    },

    async remove(bucket, uploadId) {
      const dir = uploadDir(bucket, uploadId);
      // Renamed away first, so the upload is gone at once for every other request.
      const doomed = join(tempDir(bucket), `${uploadId}.${randomUUID()}.removed`);
      await rename(dir, doomed).catch((err: unknown) => {
        if (isMissing(err)) throw noSuchUpload(uploadId, '0042-00000002');
        throw err;
      });
      await rm(doomed, { recursive: true, force: true });
    },
  };
  return store;
}
