import { Router } from 'express';
import { ROUTES, type HealthResponse } from '../../../typings';
import type { AppDeps } from './AppDeps';

const PROBE_TIMEOUT_MS = 3000;

async function answers(probe: () => Promise<unknown>): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('timeout')), PROBE_TIMEOUT_MS);
  });
  try {
    await Promise.race([probe(), timeout]);
    return true;
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}

export function healthRoutes(deps: AppDeps): Router {
  const router = Router();
  router.get(ROUTES.health, async (_req, res) => {
    const [store, storage, sts, wechat] = await Promise.all([
      answers(() => deps.store.ping()),
      answers(() => deps.ossClient.ping()),
      answers(() => deps.probes.sts()),
      answers(() => deps.probes.wechat()),
    ]);
    const body: HealthResponse = {
      ok: store && storage && sts && wechat,
      mode: deps.config.cloud,
      store: { kind: deps.store.kind, ok: store },
      storage: { bucket: deps.config.oss.bucket, ok: storage },
      sts: { ok: sts },
      wechat: { ok: wechat },
    };
    res.status(body.ok ? 200 : 503).json(body);
  });
  return router;
}
