import { stsErrors, type StsError } from './stsErrors';

export interface AssumeRoleParams {
  roleArn: string;
  roleSessionName: string;
  durationSec: number;
  policy?: string;
}

export interface AssumeRoleRules {
  /** Accepted role ARNs: a list, a pattern, or undefined for any well-formed ARN. */
  roleArns?: readonly string[] | RegExp;
  maxDurationSec: number;
}

export const MIN_DURATION_SEC = 900;
export const DEFAULT_DURATION_SEC = 3600;
export const MAX_POLICY_CHARS = 2048;

const ROLE_ARN = /^acs:ram::\d+:role\/[A-Za-z0-9._@-]{1,64}$/;
const ROLE_SESSION_NAME = /^[A-Za-z0-9.@_-]{2,64}$/;

/** AssumeRole's parameters as the service checks them, in its order. */
export function validateAssumeRole(params: ReadonlyMap<string, string>, rules: AssumeRoleRules): { ok: true; value: AssumeRoleParams } | { ok: false; error: StsError } {
  const fail = (error: StsError) => ({ ok: false as const, error });

  const roleArn = params.get('RoleArn');
  if (!roleArn) return fail(stsErrors.missingRoleArn());
  if (!ROLE_ARN.test(roleArn)) return fail(stsErrors.invalidRoleArn());
  if (!roleAccepted(roleArn, rules.roleArns)) return fail(stsErrors.roleNotFound(roleArn));

  const roleSessionName = params.get('RoleSessionName');
  if (!roleSessionName) return fail(stsErrors.missingRoleSessionName());
  if (!ROLE_SESSION_NAME.test(roleSessionName)) return fail(stsErrors.invalidRoleSessionName());

  const durationText = params.get('DurationSeconds');
  let durationSec = DEFAULT_DURATION_SEC;
  if (durationText !== undefined) {
    durationSec = /^\d{1,9}$/.test(durationText) ? Number(durationText) : NaN;
    if (!(durationSec >= MIN_DURATION_SEC && durationSec <= rules.maxDurationSec)) {
      return fail(stsErrors.invalidDurationSeconds(rules.maxDurationSec));
    }
  }

  const policy = params.get('Policy');
  if (policy !== undefined) {
    if (policy.length > MAX_POLICY_CHARS) return fail(stsErrors.policyTooLarge(MAX_POLICY_CHARS));
    if (!isPolicyDocument(policy)) return fail(stsErrors.policyGrammar());
  }
  return { ok: true, value: { roleArn, roleSessionName, durationSec, policy } };
}

function roleAccepted(roleArn: string, accepted: AssumeRoleRules['roleArns']): boolean {
  if (accepted === undefined) return true;
  if (accepted instanceof RegExp) {
    accepted.lastIndex = 0; // a /g pattern would otherwise remember the previous match
    return accepted.test(roleArn);
  }
  // RAM role names are case-insensitive, and so are the ARNs built from them.
  return accepted.some((arn) => arn.toLowerCase() === roleArn.toLowerCase());
}

const stringOrStrings = (v: unknown) =>
  (typeof v === 'string' && v !== '') || (Array.isArray(v) && v.length > 0 && v.every((s) => typeof s === 'string' && s !== ''));

/**
 * The RAM policy grammar, to the depth a session policy needs: `Version` "1" and a non-empty
 * `Statement` list whose entries have an Allow/Deny `Effect`, an `Action` (or `NotAction`) and
 * a `Resource` (or `NotResource`), and optionally a `Condition` object.
 */
export function isPolicyDocument(text: string): boolean {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    return false;
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) return false;
  const { Version, Statement } = doc as Record<string, unknown>;
  if (Version !== '1' || !Array.isArray(Statement) || Statement.length === 0) return false;
  return Statement.every((s: unknown) => {
    if (typeof s !== 'object' || s === null || Array.isArray(s)) return false;
    const st = s as Record<string, unknown>;
    const action = 'Action' in st ? st.Action : st.NotAction;
    const resource = 'Resource' in st ? st.Resource : st.NotResource;
    const condition = st.Condition;
    return (
      (st.Effect === 'Allow' || st.Effect === 'Deny') &&
      stringOrStrings(action) &&
      stringOrStrings(resource) &&
      (condition === undefined || (typeof condition === 'object' && condition !== null && !Array.isArray(condition)))
    );
  });
}
