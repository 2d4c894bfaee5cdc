import { ACS3_ALGORITHM } from './acs3Signature';

export interface Acs3Authorization {
  accessKeyId: string;
  /** Lower-case header names, in the order given. */
  signedHeaders: string[];
  /** Lower-case hex. */
  signature: string;
}

export type ParsedAuthorization = { ok: true; value: Acs3Authorization } | { ok: false; problem: string };

/**
 * `ACS3-HMAC-SHA256 Credential=<AccessKeyId>,SignedHeaders=<h1;h2>,Signature=<hex>`, the form
 * `OpenApiUtil.getAuthorization` writes (the guide allows spaces after the commas).
 */
export function parseAcs3Authorization(header: string | undefined): ParsedAuthorization {
  if (!header) return { ok: false, problem: 'the Authorization header is missing' };
  const space = header.indexOf(' ');
  const algorithm = space < 0 ? header : header.slice(0, space);
  if (algorithm !== ACS3_ALGORITHM) {
    return { ok: false, problem: `the signature algorithm ${JSON.stringify(algorithm)} is not supported; use ${ACS3_ALGORITHM}` };
  }
  const fields = new Map<string, string>();
  for (const part of header.slice(space + 1).split(',')) {
    const eq = part.indexOf('=');
    if (eq < 0) return { ok: false, problem: `the Authorization field ${JSON.stringify(part.trim())} has no value` };
    const name = part.slice(0, eq).trim();
    if (fields.has(name)) return { ok: false, problem: `the Authorization field ${name} is repeated` };
    fields.set(name, part.slice(eq + 1).trim());
  }
  const accessKeyId = fields.get('Credential');
  const signedHeaders = fields.get('SignedHeaders');
  const signature = fields.get('Signature');
  if (!accessKeyId) return { ok: false, problem: 'Credential is missing from the Authorization header' };
  if (!signedHeaders) return { ok: false, problem: 'SignedHeaders is missing from the Authorization header' };
  if (!signature || !/^[0-9a-f]{64}$/.test(signature)) {
    return { ok: false, problem: 'Signature must be 64 lower-case hex digits' };
  }
  const names = signedHeaders.split(';');
  if (names.some((n) => n === '' || n !== n.toLowerCase())) {
    return { ok: false, problem: 'SignedHeaders must list lower-case header names separated by ";"' };
  }
  return { ok: true, value: { accessKeyId, signedHeaders: names, signature } };
}
