import { ROUTES } from '@family-album/contract';
import type { OssUploadConfig } from '../../typings/api';
import type { RequestAPI } from './request';

export interface PolicyProvider {
  /** A policy with life left in it: the cached one, or a new one (concurrent callers share one request). */
  get(): Promise<OssUploadConfig>;
  /**
   * Forgets the cached policy after OSS said it expired. Given the policy that failed, it forgets
   * only that one: when four uploads fail together, the first refresh serves the other three.
   */
  invalidate(stale?: OssUploadConfig): void;
}

/** `x-oss-date` (yyyymmddTHHMMSSZ) as epoch ms. */
export function parseOssDateMs(text: string): number | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(text);
  return m ? Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]) : undefined;
}

/**
 * When the policy expires by the phone's clock. A phone's clock can be minutes off, so the
 * lifetime is measured on the server's clock (signing date → expiry) and counted from when we
 * asked for it, which errs early, never late.
 */
export function localExpiryMs(config: OssUploadConfig, requestedAt: number): number {
  const expireAt = Date.parse(config.expire_at);
  const signedAt = parseOssDateMs(config.date);
  if (Number.isFinite(expireAt) && signedAt !== undefined && expireAt > signedAt) return requestedAt + (expireAt - signedAt);
  return Number.isFinite(expireAt) ? expireAt : requestedAt;
}

/**
 * The batch's POST policy, reused until `refreshMarginMs` (default 60 s) before it expires. The
 * margin never exceeds half the policy's life, so a short-lived policy is still reused.
 */
export function createPolicyProvider(options: { requestAPI: RequestAPI; familyId: number; albumId: number; now: () => number; refreshMarginMs?: number }): PolicyProvider {
  const refreshMarginMs = options.refreshMarginMs ?? 60_000;
  let cached: { config: OssUploadConfig; refreshAt: number } | undefined;
  let inFlight: Promise<OssUploadConfig> | undefined;

  const fetchPolicy = async (): Promise<OssUploadConfig> => {
    const requestedAt = options.now();
    const config = await options.requestAPI<OssUploadConfig>({
      method: 'GET',
      path: ROUTES.uploadSignature,
      query: { family_id: options.familyId, album_id: options.albumId },
    });
    const expiresAt = localExpiryMs(config, requestedAt);
    const margin = Math.min(refreshMarginMs, Math.max(0, (expiresAt - requestedAt) / 2));
    cached = { config, refreshAt: expiresAt - margin };
    return config;
  };

  return {
    get() {
      if (cached && options.now() < cached.refreshAt) return Promise.resolve(cached.config);
      inFlight ??= fetchPolicy().finally(() => {
        inFlight = undefined;
      });
      return inFlight;
    },
    invalidate(stale) {
      if (!stale || cached?.config === stale) cached = undefined;
    },
  };
}
