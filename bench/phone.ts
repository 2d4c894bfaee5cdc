import { createRequestAPI, RequestAPI } from '../miniprogram/utils/request';
import { createSession, Session } from '../miniprogram/utils/session';
import type { WxApi } from '../miniprogram/utils/types';
import { createNodeWx, NodeWx } from '../testkit/nodeWx';

/**
 * The phone of parts 2–3: the Mini Program's own utils over the Node `wx`, with the link's round
 * trip added in front of every network call (API and OSS alike). Bandwidth is the OSS emulator's
 * to shape; the latency is the phone's, so the server's own HEADs to OSS (same region) don't pay it.
 */
export interface Phone {
  wx: WxApi;
  requestAPI: RequestAPI;
  session: Session;
  /** Network calls so far, per host. */
  calls(): { apiRequests: number; ossUploads: number };
  close(): void;
}

type Settled = { success?: (r: any) => void; fail?: (r: any) => void; complete?: (r: any) => void };

/** `call` started `latencyMs` later; the task handed back forwards to the real one once it exists. */
function withLatency<O extends Settled>(call: (option: O) => any, latencyMs: number, api: string): (option: O) => any {
  if (latencyMs <= 0) return call;
  return (option: O) => {
    let real: any;
    let aborted = false;
    const queued: Array<(task: any) => void> = [];
    const timer = setTimeout(() => {
      real = call(option);
      for (const replay of queued) replay(real);
    }, latencyMs);
    const forward =
      (name: string) =>
      (...args: unknown[]) => {
        if (real) return real[name]?.(...args);
        queued.push((task) => task[name]?.(...args));
      };
    return {
      abort() {
        if (real) return real.abort();
        if (aborted) return;
        aborted = true;
        clearTimeout(timer);
        const result = { errMsg: `${api}:fail abort` };
        setImmediate(() => {
          option.fail?.(result);
          option.complete?.(result);
        });
      },
      onProgressUpdate: forward('onProgressUpdate'),
      offProgressUpdate: forward('offProgressUpdate'),
      onHeadersReceived: forward('onHeadersReceived'),
      offHeadersReceived: forward('offHeadersReceived'),
      onChunkReceived: forward('onChunkReceived'),
      offChunkReceived: forward('offChunkReceived'),
    };
  };
}

export function createPhone(options: { apiUrl: string; ossUrl: string; userName: string; latencyMs: number; storageFile?: string }): Phone {
  const nodeWx: NodeWx = createNodeWx({ userName: options.userName, storageFile: options.storageFile });
  const wx = {
    request: withLatency(nodeWx.request.bind(nodeWx), options.latencyMs, 'request'),
    uploadFile: withLatency(nodeWx.uploadFile.bind(nodeWx), options.latencyMs, 'uploadFile'),
    getFileSystemManager: nodeWx.getFileSystemManager.bind(nodeWx),
    canIUse: nodeWx.canIUse.bind(nodeWx),
    getStorageSync: nodeWx.getStorageSync.bind(nodeWx),
    setStorageSync: nodeWx.setStorageSync.bind(nodeWx),
    removeStorageSync: nodeWx.removeStorageSync.bind(nodeWx),
    login: nodeWx.login.bind(nodeWx),
  } as unknown as WxApi;
  const session = createSession({ baseUrl: options.apiUrl, wx });
  const requestAPI = createRequestAPI({ baseUrl: options.apiUrl, wx, session });
  const apiHost = new URL(options.apiUrl).host;
  const ossHost = new URL(options.ossUrl).host;
  return {
    wx,
    requestAPI,
    session,
    calls: () => ({ apiRequests: nodeWx.stats.byHost[apiHost]?.requestCalls ?? 0, ossUploads: nodeWx.stats.byHost[ossHost]?.uploadCalls ?? 0 }),
    close: () => nodeWx.close(),
  };
}
