import type { NextFunction, Request, Response } from 'express';

/** The header a client that cannot send PATCH puts on a POST to mean one. */
export const METHOD_OVERRIDE_HEADER = 'x-http-method-override';

/**
 * WeChat's `wx.request` cannot send PATCH (its methods are OPTIONS, GET, HEAD, POST, PUT, DELETE,
 * TRACE, CONNECT: https://developers.weixin.qq.com/miniprogram/dev/api/network/request/wx.request.html),
 * so the Mini Program sends `PATCH /me` and `PATCH /albums/:id` as a POST with
 * `X-HTTP-Method-Override: PATCH`. Only POST → PATCH: no other method can be turned into another.
 */
export function methodOverride(req: Request, _res: Response, next: NextFunction): void {
  if (req.method === 'POST' && String(req.headers[METHOD_OVERRIDE_HEADER] ?? '').toUpperCase() === 'PATCH') req.method = 'PATCH';
  next();
}
