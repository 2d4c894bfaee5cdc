import http from 'node:http';
import type { Readable } from 'node:stream';
import busboy from 'busboy';
import express from 'express';
import { ApiError, notFound } from '../server/src/ApiError';
import { errorHandler } from '../server/src/http/errorHandler';
import { currentUser, requireSession } from '../server/src/http/requireSession';
import { signRequestHeaders } from '../oss-signer';
import { objectUrl } from '../server/src/ossClient/bucketUrl';
import type { Store } from '../server/src/store/Store';
import type { CredentialCache } from '../server/src/sts/cachedCredentials';
import { MEDIA_TYPES, objectKeyFor } from '../typings';

export interface RelayDeps {
  store: Store;
  credentials: CredentialCache;
  oss: { bucket: string; region: string; endpoint: string };
  now: () => Date;
  maxFileSizeBytes: number;
}

interface RelayFields {
  family_id?: string;
  hash?: string;
  ext?: string;
  size?: string;
}

/**
 * BENCH ONLY — never mounted by the product's createApp. The design the article argues against:
 * the phone posts the file (multipart, as wx.uploadFile sends it) to our server, which streams it
 * on to OSS with a V4-signed PUT. It does no more than a careful relay must (session, membership,
 * streaming without buffering the file), so the bench charges it only what relaying costs.
 */
export function createRelayApp(deps: RelayDeps): express.Express {
  const app = express();
  const agent = new http.Agent({ keepAlive: true });
  app.disable('x-powered-by');
  app.post('/relay/upload', requireSession((tokenHash) => deps.store.findSession(tokenHash, deps.now())), async (req, res) => {
    const userId = currentUser(res).id;
    const stored = await new Promise<{ key: string; etag: string }>((resolve, reject) => {
      const fields: RelayFields = {};
      let sawFile = false;
      const form = busboy({ headers: req.headers, limits: { files: 1, fields: 10, fileSize: deps.maxFileSizeBytes } });
      form.on('field', (name, value) => {
        if (name === 'family_id' || name === 'hash' || name === 'ext' || name === 'size') fields[name] = value;
      });
      form.on('file', (_name, file) => {
        sawFile = true;
        forward(fields, file, userId).then(resolve, (err: unknown) => {
          file.resume();
          reject(err);
        });
      });
      form.on('error', reject);
      form.on('close', () => {
        if (!sawFile) reject(new ApiError(400, 'invalid_request', 'no file part'));
      });
      req.pipe(form);
    });
    res.json({ object_key: stored.key, etag: stored.etag });
  });
  app.use(errorHandler);

  async function forward(fields: RelayFields, file: Readable, userId: number): Promise<{ key: string; etag: string }> {
    const familyId = Number(fields.family_id);
    const size = Number(fields.size);
    const ext = fields.ext ?? '';
    const hash = fields.hash ?? '';
    if (!/^[0-9a-f]{32}$/.test(hash) || !(ext in MEDIA_TYPES) || !Number.isInteger(size) || size < 1 || size > deps.maxFileSizeBytes) {
      throw new ApiError(400, 'invalid_request', 'family_id, hash, ext and size must come before the file');
    }
    if (!(Number.isInteger(familyId) && familyId > 0 && (await deps.store.getRole(familyId, userId)))) throw notFound('family');
    const key = objectKeyFor(familyId, hash, ext);
    const credentials = await deps.credentials.get();
    const headers = signRequestHeaders({
      method: 'PUT',
      bucket: deps.oss.bucket,
      key,
      headers: { 'content-type': MEDIA_TYPES[ext].contentType },
      credentials,
      region: deps.oss.region,
      at: deps.now(),
    });
    return new Promise((resolve, reject) => {
      const put = http.request(objectUrl(deps.oss.endpoint, deps.oss.bucket, key), { method: 'PUT', agent, headers: { ...headers, 'content-length': size } }, (answer) => {
        const chunks: Buffer[] = [];
        answer.on('data', (c: Buffer) => chunks.push(c));
        answer.on('end', () => {
          if (answer.statusCode === 200) resolve({ key, etag: String(answer.headers.etag ?? '').replace(/"/g, '') });
          else reject(new ApiError(502, 'storage_unavailable', `OSS PUT answered ${answer.statusCode}: ${Buffer.concat(chunks).toString('utf8').slice(0, 200)}`));
        });
        answer.on('error', reject);
      });
      put.on('error', reject);
      file.on('error', reject);
      file.pipe(put);
    });
  }

  return app;
}
