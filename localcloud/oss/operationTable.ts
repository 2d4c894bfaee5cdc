import { authorizeRequest } from './handleObjectRequest';
import type { HandlerContext, HandlerRequest } from './handlerContext';
import type { OperationSpec } from './resolveOperation';

/** An entry of the emulator's operation table: what selects it (see resolveOperation) and its handler. */
export interface OssOperation extends OperationSpec {
  handle(ctx: HandlerContext, request: HandlerRequest): Promise<void>;
}

/** Runs after the V4 header or presigned signature has been checked for this method. */
export const signed =
  (method: string, run: (ctx: HandlerContext, request: HandlerRequest) => Promise<void>) =>
  (ctx: HandlerContext, request: HandlerRequest): Promise<void> => {
    authorizeRequest(ctx, request, method);
    return run(ctx, request);
  };
