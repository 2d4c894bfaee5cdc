import { createHash, randomBytes } from 'node:crypto';
import { signRequestHeaders } from '../oss-signer';
import { objectUrl } from '../server/src/ossClient/bucketUrl';
import type { Stack } from '../testkit/startStack';
import { mapWithConcurrency } from '../server/src/mapWithConcurrency';

export interface BenchObject {
  key: string;
  hash: string;
  size: number;
}

/** Random objects of `sizeBytes` put straight into the stack's OSS (V4-signed PUT), at their content-addressed keys. */
export async function putRandomObjects(stack: Stack, familyId: number, count: number, sizeBytes: number, concurrency = 16): Promise<BenchObject[]> {
  const { bucket, region, endpoint } = stack.config.oss;
  const credentials = await stack.api.deps.credentials.get();
  return mapWithConcurrency(Array.from({ length: count }), concurrency, async () => {
    const bytes = randomBytes(sizeBytes);
    const hash = createHash('md5').update(bytes).digest('hex');
    const key = `families/${familyId}/${hash}.jpg`;
    const headers = signRequestHeaders({ method: 'PUT', bucket, key, headers: { 'content-type': 'image/jpeg' }, credentials, region, at: new Date() });
    const answer = await fetch(objectUrl(endpoint, bucket, key), { method: 'PUT', headers, body: bytes });
    if (answer.status !== 200) throw new Error(`PUT ${key} answered ${answer.status}: ${await answer.text()}`);
    await answer.arrayBuffer();
    return { key, hash, size: sizeBytes };
  });
}

export const randomMd5 = (): string => randomBytes(16).toString('hex');
