import autocannon from 'autocannon';
import { loginAs } from '../testkit/apiClient';
import { startApiProcess } from './apiProcess';
import { figure } from './figures';
import type { BenchContext, SectionResult } from './section';

async function load(url: string, connections: number, durationSec: number, headers: Record<string, string> = {}) {
  const result = await autocannon({ url, connections, duration: durationSec, headers });
  return {
    requestsPerSec: result.requests.average,
    requests: result.requests.total,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
  };
}

/**
 * Part 4. The API runs in its own process with an Express 5 hello-world app beside it; autocannon
 * loads each from this process. The credential cache starts cold, so the first burst of 64
 * concurrent signature requests also tests that they share one AssumeRole.
 */
export async function signatureThroughput(ctx: BenchContext): Promise<SectionResult> {
  const { connections, durationSec, targetRatio } = ctx.settings.throughput;
  const warmupSec = ctx.settings.mode === 'smoke' ? 0 : 2;
  const stack = await ctx.startStack('sqlite');
  try {
    const api = await startApiProcess(stack, ctx.env, ctx.apiNodeArgs);
    try {
      const assumeRoleBefore = stack.cloud.sts.stats().assumeRoleCalls;
      const user = await loginAs(api.urls.api, 'bench-throughput');
      const created = await user.client.post('/families', { name: 'Throughput family' });
      if (created.status !== 201) throw new Error(`POST /families answered ${created.status}`);
      const signatureUrl = `${api.urls.api}/families/oss/signature?family_id=${created.body.family.id}&album_id=${created.body.album.id}`;
      const auth = { authorization: `Bearer ${user.token}` };

      let warmupSignatures = 0;
      if (warmupSec > 0) {
        warmupSignatures = (await load(signatureUrl, connections, warmupSec, auth)).requests;
        await load(api.urls.hello, connections, warmupSec);
      }
      // The API process's own CPU per request tells whether it (not the load generator) was the bottleneck.
      const measured = async (url: string, headers?: Record<string, string>) => {
        const before = await api.stats();
        const result = await load(url, connections, durationSec, headers);
        const after = await api.stats();
        const cpuSec = (after.cpuMicros - before.cpuMicros) / 1e6;
        return { ...result, apiCpuBusy: cpuSec / durationSec, apiCpuMicrosPerRequest: (cpuSec * 1e6) / Math.max(1, result.requests) };
      };
      ctx.log(`  hello-world: ${connections} connections for ${durationSec} s`);
      const hello = await measured(api.urls.hello);
      ctx.log(`  signature: ${connections} connections for ${durationSec} s`);
      const signature = await measured(signatureUrl, auth);
      const assumeRoleCalls = stack.cloud.sts.stats().assumeRoleCalls - assumeRoleBefore;
      const apiStats = await api.stats();
      const clean = signature.non2xx === 0 && signature.errors === 0;

      return {
        method: `autocannon (${connections} connections, ${durationSec} s each, ${warmupSec} s warm-up each) from the bench process against the API in a child process (SQLite); the hello-world route is an Express 5 app in that same child. One user of one family: the API reuses the session lookup, the membership and the family's signed policy for 5 s, as it does for every family in production, so most requests are answered from those.`,
        details: { hello, signature, assumeRoleCalls, credentialFetches: apiStats.credentialFetches },
        figures: [
          figure({
            section: 'throughput',
            id: 'throughput.signature.requestsPerSec',
            label: 'signature requests/s',
            unit: 'req/s',
            value: signature.requestsPerSec,
            baseline: { label: 'Express hello-world', value: hello.requestsPerSec },
            target: { text: `≥ ${targetRatio}× hello-world, no errors`, met: ({ ratio }) => ratio >= targetRatio && clean },
            note: clean ? undefined : `${signature.non2xx} non-2xx answers, ${signature.errors} errors`,
          }),
          figure({
            section: 'throughput',
            id: 'throughput.signature.p99',
            label: 'signature p99 latency',
            unit: 'ms',
            value: signature.p99Ms,
            baseline: { label: 'hello-world p99', value: hello.p99Ms },
          }),
          figure({
            section: 'throughput',
            id: 'throughput.signature.cpuPerRequest',
            label: 'API CPU per signature request',
            unit: 'µs',
            value: signature.apiCpuMicrosPerRequest,
            baseline: { label: 'per hello-world request', value: hello.apiCpuMicrosPerRequest },
            note: 'CPU of the API process ÷ requests served: independent of what else the machine runs',
          }),
          figure({
            section: 'throughput',
            id: 'throughput.signature.assumeRoleCalls',
            label: 'AssumeRole calls during the run',
            unit: 'calls',
            value: assumeRoleCalls,
            baseline: { label: 'signatures served', value: signature.requests + warmupSignatures, unit: 'req' },
            target: { text: '1 call', met: ({ value }) => value === 1 },
          }),
        ],
      };
    } finally {
      await api.close();
    }
  } finally {
    await stack.close();
  }
}
