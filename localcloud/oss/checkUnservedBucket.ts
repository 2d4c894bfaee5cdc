import type { QueryParams } from '../../oss-signer';
import { noSuchBucket } from './ossError';
import type { RequestTarget } from './resolveTarget';
import type { SecretResolver } from './createSecretResolver';
import { verifyRequestAuth } from './verifyRequestAuth';

export interface UnservedBucketInput {
  method: string;
  target: RequestTarget;
  query: QueryParams;
  headers: Record<string, string>;
  region: string;
  now: Date;
  secretFor: SecretResolver;
}

/**
 * NoSuchBucket for a path-style request (`/<bucket>/<key>` on an address) to a bucket not served
 * here, which the default-bucket reading would otherwise answer with a misleading
 * SignatureDoesNotMatch. A V4 signature covers the bucket, so the request meant the unserved bucket
 * when its signature holds for that reading and not for the default one. A PostObject form posted to
 * `/<bucket>` names its bucket by path alone (its signature covers only the policy).
 */
export function checkUnservedBucket(input: UnservedBucketInput): void {
  const alternative = input.target.unservedPathStyle;
  if (!alternative) return;
  if (input.method === 'POST') {
    if (alternative.key === '') throw noSuchBucket(alternative.bucket);
    return;
  }
  const verifies = (bucket: string, key: string): boolean => {
    try {
      verifyRequestAuth({ ...input, bucket, key });
      return true;
    } catch {
      return false;
    }
  };
  if (!verifies(input.target.bucket, input.target.key) && verifies(alternative.bucket, alternative.key)) throw noSuchBucket(alternative.bucket);
}
