import { notImplemented, OssError } from './ossError';

/**
 * One OSS operation the emulator implements, described by what selects it and what it reads. A
 * request is served only when every query parameter and every `x-oss-*` header it carries is one
 * its operation reads: OSS selects operations by sub-resource (`?acl`, `?uploadId=…`) and by
 * header (`x-oss-copy-source`), so serving a request while ignoring one of them would run a
 * different operation than the client asked for (a CopyObject as an empty PutObject, an abort of
 * a multipart upload as a DeleteObject). Adding an operation is adding an entry, not a branch.
 */
export interface OperationSpec {
  name: string;
  method: 'GET' | 'HEAD' | 'PUT' | 'POST' | 'DELETE';
  target: 'bucket' | 'object';
  /** Query parameters that select the operation (all must be present), e.g. `['partNumber', 'uploadId']`. */
  subResources?: readonly string[];
  /** Other query parameters it reads. */
  queryParams?: readonly string[];
  /** `x-oss-*` headers it reads beyond those of every signed request; a trailing `*` is a prefix. */
  ossHeaders?: readonly string[];
}

export interface RequestShape {
  method: string;
  target: 'bucket' | 'object';
  query: Readonly<Record<string, string>>;
  /** Lower-case names. */
  headers: Readonly<Record<string, string>>;
}

/** Query parameters of V4 presigned URLs (and the V1 ones, so that verification can refuse them by name). */
const AUTH_QUERY = new Set([
  'x-oss-signature-version',
  'x-oss-credential',
  'x-oss-date',
  'x-oss-expires',
  'x-oss-signature',
  'x-oss-additional-headers',
  'x-oss-security-token',
  'ossaccesskeyid',
  'expires',
  'signature',
  'security-token',
]);

/** `x-oss-*` headers any request may carry: signing, STS, and what ali-oss adds to every request. */
const COMMON_OSS_HEADERS = ['x-oss-date', 'x-oss-content-sha256', 'x-oss-security-token', 'x-oss-user-agent', 'x-oss-request-payer'];

const OSS_METHODS = new Set(['GET', 'HEAD', 'PUT', 'POST', 'DELETE']);

const accepts = (names: readonly string[], name: string): boolean =>
  names.some((n) => (n.endsWith('*') ? name.startsWith(n.slice(0, -1)) : n === name));

const methodNotAllowed = (method: string, target: RequestShape['target']): OssError =>
  new OssError(405, 'MethodNotAllowed', 'The specified method is not allowed against this resource.', {
    Method: method,
    ResourceType: target === 'bucket' ? 'Bucket' : 'Object',
  });

/**
 * The operation a request asks for, or 501 NotImplemented naming what selected an operation the
 * emulator lacks (405 for a method OSS has no operation for on that resource). Decided from the
 * request alone, before authentication or any byte of the body is read, so nothing is changed.
 */
export function resolveOperation<T extends OperationSpec>(operations: readonly T[], request: RequestShape): T {
  const queryNames = Object.keys(request.query).filter((name) => !AUTH_QUERY.has(name.toLowerCase()));
  const candidates = operations
    .filter((op) => op.method === request.method && op.target === request.target)
    .filter((op) => (op.subResources ?? []).every((name) => name in request.query))
    .sort((a, b) => (b.subResources?.length ?? 0) - (a.subResources?.length ?? 0));
  const operation = candidates[0];
  if (!operation) {
    if (OSS_METHODS.has(request.method) && (queryNames.length > 0 || request.target === 'bucket')) {
      const what = queryNames.length > 0 ? `the "${queryNames[0]}" sub-resource` : `${request.method} on a bucket`;
      throw notImplemented(`${what} (the local OSS emulator serves fixed buckets and simple objects)`);
    }
    throw methodNotAllowed(request.method, request.target);
  }
  const readable = [...(operation.subResources ?? []), ...(operation.queryParams ?? [])];
  const unknownQuery = queryNames.find((name) => !readable.includes(name));
  if (unknownQuery !== undefined) throw notImplemented(`the "${unknownQuery}" parameter of ${operation.name}`);
  const headers = [...COMMON_OSS_HEADERS, ...(operation.ossHeaders ?? [])];
  const unknownHeader = Object.keys(request.headers).find((name) => name.startsWith('x-oss-') && !accepts(headers, name));
  if (unknownHeader !== undefined) throw notImplemented(`the "${unknownHeader}" header of ${operation.name}`);
  return operation;
}
