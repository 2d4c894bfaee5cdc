import { accessDenied, OssError } from './ossError';
import type { ParsedCondition } from './parsePostPolicy';

/** A form field's value by lower-case name (`bucket` and `content-type` included), or undefined when absent. */
export type FieldLookup = (field: string) => string | undefined;

/**
 * The V4 form fields a policy must constrain whenever the form carries them; OSS answers
 * "Extra input fields: …" otherwise (0006-00000228). Other fields need no condition in OSS.
 */
export const V4_POLICY_FIELDS = ['x-oss-signature-version', 'x-oss-credential', 'x-oss-date', 'x-oss-security-token'] as const;

function holds(condition: Exclude<ParsedCondition, { op: 'content-length-range' }>, value: string): boolean {
  switch (condition.op) {
    case 'eq':
      return value === condition.value;
    case 'starts-with':
      return value.startsWith(condition.value);
    case 'in':
      return condition.values.includes(value);
    case 'not-in':
      return !condition.values.includes(value);
  }
}

/**
 * The first condition the form breaks, as OSS words it, or undefined when all hold. A condition on a
 * field the form lacks fails too (0006-00000226). `content-length-range` is left to the body check.
 */
export function evaluatePolicyConditions(conditions: readonly ParsedCondition[], lookup: FieldLookup): OssError | undefined {
  for (const condition of conditions) {
    if (condition.op === 'content-length-range') continue;
    const value = lookup(condition.field);
    if (value === undefined || !holds(condition, value)) {
      return accessDenied(`Invalid according to Policy: Policy Condition failed: ${condition.text}`, {}, value === undefined ? '0006-00000226' : '0006-00000227');
    }
  }
  return undefined;
}

/** The V4 fields present in the form that no condition constrains, in the order OSS lists them. */
export function uncoveredSignatureFields(conditions: readonly ParsedCondition[], presentFields: ReadonlySet<string>): string[] {
  const covered = new Set(conditions.flatMap((c) => (c.op === 'content-length-range' ? [] : [c.field])));
  return V4_POLICY_FIELDS.filter((f) => presentFields.has(f) && !covered.has(f));
}

export interface LengthRange {
  min: number;
  max: number;
}

/** The allowed body size: every content-length-range at once (their intersection), or undefined. */
export function contentLengthRange(conditions: readonly ParsedCondition[]): LengthRange | undefined {
  let range: LengthRange | undefined;
  for (const c of conditions) {
    if (c.op !== 'content-length-range') continue;
    range = range ? { min: Math.max(range.min, c.min), max: Math.min(range.max, c.max) } : { min: c.min, max: c.max };
  }
  return range;
}

export function entityTooLarge(maxBytes: number): OssError {
  return new OssError(400, 'EntityTooLarge', 'Your proposed upload exceeds the maximum allowed size.', { MaxSizeAllowed: String(maxBytes) }, '0006-00000003');
}

export function entityTooSmall(minBytes: number, sizeBytes: number): OssError {
  return new OssError(400, 'EntityTooSmall', 'Your proposed upload is smaller than the minimum allowed size.', {
    MinSizeAllowed: String(minBytes),
    ProposedSize: String(sizeBytes),
  }, '0006-00000004');
}

/** EntityTooLarge / EntityTooSmall for the actual number of body bytes, or undefined when it fits. */
export function checkContentLength(range: LengthRange | undefined, sizeBytes: number): OssError | undefined {
  if (!range) return undefined;
  if (sizeBytes > range.max) return entityTooLarge(range.max);
  if (sizeBytes < range.min) return entityTooSmall(range.min, sizeBytes);
  return undefined;
}
