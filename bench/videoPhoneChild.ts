import type { CreateFamilyResponse } from '../typings/api';
import { uploadFilesToOSS } from '../miniprogram/utils/uploadFilesToOSS';
import type { SelectedFile, UploadResult } from '../miniprogram/utils/types';
import { serveChild } from './childProcess';
import { createPhone } from './phone';
import { startRssSampler } from './rssSampler';

/**
 * The phone of the large-video section in a process of its own: its memory is measurable, and
 * killing the process is an app killed mid-upload. Its wx storage lives in `storageFile`, so the
 * next phone started on the same file is the same app relaunched.
 */
export interface VideoPhoneInput {
  apiUrl: string;
  ossUrl: string;
  userName: string;
  latencyMs: number;
  storageFile: string;
  sampleMs: number;
}

/** Where the time went, in seconds from the pick: hashed (the hash check starts), parts on the wire, completion (the server's verification). */
export interface VideoPhases {
  hashed?: number;
  firstPartSent?: number;
  lastPartDone?: number;
  completeSent?: number;
  completeAnswered?: number;
}

export interface VideoUploadOutcome {
  ms: number;
  phases: VideoPhases;
  result: Pick<UploadResult, 'status'> & { code?: string; reason?: string };
  baselineRssBytes: number;
  peakRssBytes: number;
}

serveChild<VideoPhoneInput>(async (input) => {
  const phone = createPhone(input);
  const sampler = startRssSampler(input.sampleMs);
  const gc = (globalThis as { gc?: () => void }).gc;
  const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
  return {
    ready: null,
    handlers: {
      async newFamily(name: string) {
        const created = await phone.requestAPI<CreateFamilyResponse>({ method: 'POST', path: '/families', data: { name } });
        return { familyId: created.family.id, albumId: created.album.id };
      },
      /** One file picked afresh (no hash) and uploaded; the clock starts at the pick. */
      async upload(arg: { file: SelectedFile; familyId: number; albumId: number }): Promise<VideoUploadOutcome> {
        gc?.();
        await sleep(50);
        const baselineRssBytes = await sampler.reset();
        const started = performance.now();
        const phases: VideoPhases = {};
        const at = () => (performance.now() - started) / 1000;
        const request = (option: WechatMiniprogram.RequestOption) => {
          if (option.method !== 'PUT') return phone.wx.request(option);
          phases.firstPartSent ??= at();
          const done = () => void (phases.lastPartDone = at());
          return phone.wx.request({ ...option, complete: (res) => (done(), option.complete?.(res)) });
        };
        const requestAPI: typeof phone.requestAPI = async (call) => {
          if (call.path.endsWith('/hash/check')) phases.hashed ??= at();
          if (!call.path.endsWith('/complete')) return phone.requestAPI(call);
          phases.completeSent = at();
          try {
            return await phone.requestAPI(call);
          } finally {
            phases.completeAnswered = at();
          }
        };
        const [result] = await uploadFilesToOSS(
          [{ ...arg.file, hash: '' }],
          { familyId: arg.familyId, albumId: arg.albumId },
          { wx: { ...phone.wx, request } as typeof phone.wx, requestAPI: requestAPI as typeof phone.requestAPI, now: Date.now, random: Math.random, sleep },
        );
        const ms = performance.now() - started;
        const peakRssBytes = await sampler.read();
        const { status } = result;
        return { ms, phases, result: result.status === 'failed' ? { status, code: result.code, reason: result.reason } : { status }, baselineRssBytes, peakRssBytes };
      },
    },
    close: async () => {
      await sampler.stop();
      phone.close();
    },
  };
});
