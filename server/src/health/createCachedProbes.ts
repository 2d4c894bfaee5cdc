export type Probe = () => Promise<unknown>;

/** Whether a probe settles (resolves) within `timeoutMs`. */
async function answers(probe: Probe, timeoutMs: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('timeout')), timeoutMs);
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

/**
 * One round of probes, remembered for `maxAgeMs` from the moment it started: however many callers
 * ask meanwhile, the services behind (the database, a signed OSS HEAD, STS, WeChat) see at most
 * one round per interval, and concurrent callers of a stale result share the one round in flight.
 * `/healthz` is unauthenticated: without this, every call would fan out to four services.
 */
export function createCachedProbes<K extends string>(
  probes: Record<K, Probe>,
  options: { now: () => Date; maxAgeMs: number; timeoutMs: number },
): () => Promise<Record<K, boolean>> {
  let cached: { startedMs: number; results: Record<K, boolean> } | undefined;
  let inFlight: Promise<Record<K, boolean>> | undefined;

  const round = async (): Promise<Record<K, boolean>> => {
    const startedMs = options.now().getTime();
    const names = Object.keys(probes) as K[];
    const outcomes = await Promise.all(names.map((name) => answers(probes[name], options.timeoutMs)));
    const results = Object.fromEntries(names.map((name, i) => [name, outcomes[i]])) as Record<K, boolean>;
    cached = { startedMs, results };
    return results;
  };

  return () => {
    if (cached && options.now().getTime() - cached.startedMs < options.maxAgeMs) return Promise.resolve(cached.results);
    inFlight ??= round().finally(() => {
      inFlight = undefined;
    });
    return inFlight;
  };
}
