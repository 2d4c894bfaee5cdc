import { invalidArgument } from './ossError';

/** What an object carries besides its bytes, as it is answered on GET/HEAD. */
export interface ObjectProperties {
  contentType: string;
  /** `x-oss-meta-*` names (lower-case, prefix included) → values. */
  userMeta: Record<string, string>;
  /** Standard headers OSS keeps with the object. */
  headers: Record<string, string>;
}

export const DEFAULT_CONTENT_TYPE = 'application/octet-stream';
export const KEPT_HEADERS = ['cache-control', 'content-disposition', 'content-encoding', 'expires'] as const;
const META_PREFIX = 'x-oss-meta-';

/**
 * Header values go back out byte for byte: node:http reads header bytes as latin1, so values are
 * kept in that form. Control characters would break the response, so they are refused up front.
 */
function checkHeaderValue(name: string, value: string): string {
  if (/[^\t\x20-\x7e\x80-\xff]/.test(value)) throw invalidArgument(`The value of ${name} contains characters not allowed in a header.`);
  return value;
}

/** Form fields arrive as UTF-8 text; store their bytes the way a header carries them. */
function utf8AsHeader(value: string): string {
  return Buffer.from(value, 'utf8').toString('latin1');
}

function collect(source: Iterable<[string, string]>, declaredType: string, convert: (v: string) => string): ObjectProperties {
  const props: ObjectProperties = { contentType: declaredType, userMeta: {}, headers: {} };
  for (const [rawName, rawValue] of source) {
    const name = rawName.toLowerCase();
    if (name.startsWith(META_PREFIX) && name.length > META_PREFIX.length) {
      props.userMeta[name] = checkHeaderValue(name, convert(rawValue));
    } else if ((KEPT_HEADERS as readonly string[]).includes(name)) {
      props.headers[name] = checkHeaderValue(name, convert(rawValue));
    }
  }
  props.contentType = checkHeaderValue('Content-Type', props.contentType);
  return props;
}

/** The Content-Type a PostObject gives its object: the `Content-Type` field, else `x-oss-content-type`, else the file part's type. */
export function postObjectContentType(fields: ReadonlyMap<string, string>, filePartType: string): string {
  return fields.get('content-type') || fields.get('x-oss-content-type') || filePartType || DEFAULT_CONTENT_TYPE;
}

export function propertiesFromForm(fields: ReadonlyMap<string, string>, contentType: string): ObjectProperties {
  return collect(fields.entries(), utf8AsHeader(contentType), utf8AsHeader);
}

/** For PUT: node:http headers, lower-case names; a missing Content-Type becomes application/octet-stream. */
export function propertiesFromHeaders(headers: Record<string, string>): ObjectProperties {
  return collect(Object.entries(headers), headers['content-type'] || DEFAULT_CONTENT_TYPE, (v) => v);
}
