import { Router } from 'express';
import { ROUTES, type HealthResponse } from '../../../typings';
import { createCachedProbes } from '../health/createCachedProbes';
import type { AppDeps } from './AppDeps';

const PROBE_TIMEOUT_MS = 3000;
/** How old an answer of /healthz may be: a load balancer polling every second sees at most this lag. */
const HEALTH_MAX_AGE_MS = 5000;

export function healthRoutes(deps: AppDeps): Router {
  const router = Router();
  const probe = createCachedProbes(
    {
      // Reading is not enough: a store that cannot write fails every upload commit.
      store: async () => {
        await deps.store.ping();
        await deps.store.probeWrite();
      },
      storage: () => deps.ossClient.ping(),
      sts: () => deps.probes.sts(),
      wechat: () => deps.probes.wechat(),
    },
    { now: deps.now, maxAgeMs: HEALTH_MAX_AGE_MS, timeoutMs: PROBE_TIMEOUT_MS },
  );
  router.get(ROUTES.health, async (_req, res) => {
    const { store, storage, sts, wechat } = await probe();
    const body: HealthResponse = {
      ok: store && storage && sts && wechat,
      mode: deps.config.cloud,
      store: { kind: deps.store.kind, ok: store },
      storage: { bucket: deps.config.oss.bucket, ok: storage },
      sts: { ok: sts },
      wechat: { ok: wechat },
    };
    res.set('Cache-Control', 'no-store');
    res.status(body.ok ? 200 : 503).json(body);
  });
  return router;
}
