export type Params = Record<string, any>;
export type Handler = (params: Params) => unknown;
/** Handlers by wire method name, `Domain.method`. */
export type Handlers = Record<string, Handler>;

/** A method the host knows but cannot answer faithfully (layout, screenshots, …). */
export function notModelledError(method: string, what: string): Error {
  return new Error(`${method}: ${what} is not modelled by the headless automator host; check it in WeChat DevTools (npm run e2e:devtools)`);
}

/**
 * The wire value of a result: JSON, as it crosses the socket; `undefined` becomes `{}` (the
 * client destructures every result).
 */
export function toWire(value: unknown): Record<string, unknown> {
  if (value === undefined) return {};
  return JSON.parse(JSON.stringify(value)) as Record<string, unknown>;
}

/**
 * Routes a request to its handler. A method with no handler is an error that names it, never a
 * silent success: a spec that needs it learns so at once.
 */
export function createDispatcher(handlers: Handlers) {
  return async (method: string, params: Params | undefined): Promise<Record<string, unknown>> => {
    const handler = Object.prototype.hasOwnProperty.call(handlers, method) ? handlers[method] : undefined;
    if (!handler) throw new Error(`${method} is not supported by the headless automator host`);
    return toWire(await handler(params ?? {}));
  };
}

export type Dispatch = ReturnType<typeof createDispatcher>;
