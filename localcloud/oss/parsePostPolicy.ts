import { OssError } from './ossError';

/** A policy condition in one shape, whichever way the policy wrote it. Field names are lower-case, without `$`. */
export type ParsedCondition =
  | { op: 'eq' | 'starts-with'; field: string; value: string; text: string }
  | { op: 'in' | 'not-in'; field: string; values: string[]; text: string }
  | { op: 'content-length-range'; min: number; max: number; text: string };

export interface ParsedPostPolicy {
  expiration: Date;
  conditions: ParsedCondition[];
}

const invalidPolicy = (why: string): OssError => new OssError(400, 'InvalidPolicyDocument', `Invalid Policy: ${why}`);

/** How OSS prints a condition in "Policy Condition failed: …". */
function conditionText(parts: unknown[]): string {
  return `[${parts.map((p) => JSON.stringify(p)).join(', ')}]`;
}

function fieldName(ref: unknown): string {
  if (typeof ref !== 'string' || ref.replace(/^\$/, '') === '') throw invalidPolicy(`Invalid field reference ${JSON.stringify(ref)}.`);
  // OSS's own examples write both "$key" and "key".
  return ref.replace(/^\$/, '').toLowerCase();
}

function lengthBound(value: unknown): number {
  const n = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 0) throw invalidPolicy('content-length-range bounds must be non-negative integers.');
  return n;
}

function parseCondition(item: unknown): ParsedCondition {
  if (Array.isArray(item)) {
    const [op, a, b] = item;
    const opName = typeof op === 'string' ? op.toLowerCase() : op;
    if (opName === 'content-length-range' && item.length === 3) {
      const min = lengthBound(a);
      const max = lengthBound(b);
      if (min > max) throw invalidPolicy('content-length-range minimum exceeds its maximum.');
      return { op: 'content-length-range', min, max, text: conditionText(item) };
    }
    if ((opName === 'eq' || opName === 'starts-with') && item.length === 3 && typeof b === 'string') {
      return { op: opName, field: fieldName(a), value: b, text: conditionText(item) };
    }
    if ((opName === 'in' || opName === 'not-in') && item.length === 3 && Array.isArray(b) && b.every((v) => typeof v === 'string')) {
      return { op: opName, field: fieldName(a), values: b as string[], text: conditionText(item) };
    }
    throw invalidPolicy(`Invalid condition ${JSON.stringify(item)}: expected eq, starts-with, in, not-in or content-length-range.`);
  }
  if (item !== null && typeof item === 'object') {
    const entries = Object.entries(item);
    if (entries.length !== 1) throw invalidPolicy('Invalid Simple-Condition: Simple-Conditions must have exactly one property specified.');
    const [[name, value]] = entries;
    if (typeof value !== 'string') throw invalidPolicy(`Invalid Simple-Condition: the value of "${name}" must be a string.`);
    return { op: 'eq', field: fieldName(name), value, text: conditionText(['eq', `$${name}`, value]) };
  }
  throw invalidPolicy('Each condition must be a map or a list.');
}

/** ISO 8601 UTC with `T` and `Z`, milliseconds optional, as OSS requires (0006-00000210/212). */
function parseExpiration(value: unknown): Date {
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?Z$/.test(value)) {
    throw invalidPolicy('expiration must be an ISO 8601 GMT time such as 2024-01-15T09:30:00.000Z.');
  }
  const at = new Date(value);
  if (Number.isNaN(at.getTime())) throw invalidPolicy('expiration is not a valid time.');
  return at;
}

/**
 * Decodes the `policy` form field: base64 of a JSON object with exactly `expiration` and a
 * non-empty `conditions` list (the 0006-002xx pages). Any defect is 400 InvalidPolicyDocument.
 */
export function parsePostPolicy(base64: string): ParsedPostPolicy {
  const compact = base64.replace(/\s+/g, '');
  if (compact === '' || compact.length % 4 !== 0 || !/^[A-Za-z0-9+/]+={0,2}$/.test(compact)) {
    throw invalidPolicy('the policy is not valid base64.');
  }
  let doc: unknown;
  try {
    doc = JSON.parse(Buffer.from(compact, 'base64').toString('utf8'));
  } catch {
    throw invalidPolicy('the policy is not valid JSON.');
  }
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) throw invalidPolicy('the policy must be a JSON object.');
  const unknown = Object.keys(doc).filter((k) => k !== 'expiration' && k !== 'conditions');
  if (unknown.length) throw invalidPolicy(`unsupported policy parameter "${unknown[0]}".`);
  const { expiration, conditions } = doc as { expiration?: unknown; conditions?: unknown };
  if (expiration === undefined) throw invalidPolicy('Policy missing expiration.');
  if (conditions === undefined) throw invalidPolicy('Policy missing conditions.');
  if (!Array.isArray(conditions) || conditions.length === 0) throw invalidPolicy('conditions must be a non-empty list.');
  return { expiration: parseExpiration(expiration), conditions: conditions.map(parseCondition) };
}
