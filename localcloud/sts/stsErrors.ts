/**
 * The errors Alibaba Cloud STS (through its POP gateway) answers, with their HTTP status and
 * message text as seen in the wild: the SDK throws them with `code` = Code and `statusCode`.
 * Messages may carry a detail after the documented text, as the real ones do.
 */
export interface StsError {
  status: number;
  code: string;
  message: string;
}

const error = (status: number, code: string, message: string): StsError => ({ status, code, message });

export const stsErrors = {
  incompleteSignature: (detail: string) =>
    error(400, 'IncompleteSignature', `The request signature does not conform to Aliyun standards. ${detail}`),
  signatureDoesNotMatch: (detail: string) =>
    error(400, 'SignatureDoesNotMatch', `Specified signature does not match our calculation. ${detail}`),
  accessKeyNotFound: () => error(404, 'InvalidAccessKeyId.NotFound', 'Specified access key is not found.'),
  timestampFormat: () => error(400, 'InvalidTimeStamp.Format', 'Specified time stamp or date value is not well formatted.'),
  timestampExpired: (detail: string) => error(400, 'InvalidTimeStamp.Expired', `Specified time stamp or date value is expired. ${detail}`),
  nonceUsed: () => error(400, 'SignatureNonceUsed', 'Specified signature nonce was used already.'),
  actionNotFound: () => error(404, 'InvalidAction.NotFound', 'Specified api is not found, please check your url and method.'),
  invalidVersion: () => error(400, 'InvalidVersion', 'Specified parameter Version is not valid.'),
  unsupportedMethod: () => error(400, 'UnsupportedHTTPMethod', 'Specified HTTP method is not supported.'),
  malformedQuery: () => error(400, 'InvalidParameter', 'The query string is not well formed.'),
  /** A request line or headers node:http could not read (too long: 431, too slow: 408). */
  malformedRequest: (status: number) => error(status, 'InvalidParameter', 'The request is not well-formed HTTP/1.1.'),
  bodyTooLarge: () => error(413, 'RequestEntityTooLarge', 'The request body is too large.'),
  missingRoleArn: () => error(400, 'MissingRoleArn', 'RoleArn is mandatory for this action.'),
  invalidRoleArn: () => error(400, 'InvalidParameter.RoleArn', 'The parameter RoleArn is wrongly formed.'),
  roleNotFound: (roleArn: string) => error(404, 'EntityNotExist.Role', `The role not exists: ${roleArn}.`),
  missingRoleSessionName: () => error(400, 'MissingRoleSessionName', 'RoleSessionName is mandatory for this action.'),
  invalidRoleSessionName: () => error(400, 'InvalidParameter.RoleSessionName', 'The parameter RoleSessionName is wrongly formed.'),
  invalidDurationSeconds: (maxDurationSec: number) =>
    error(400, 'InvalidParameter.DurationSeconds', `The Min/Max value of DurationSeconds is 15min/${formatHours(maxDurationSec)}.`),
  policyTooLarge: (maxChars: number) => error(400, 'InvalidParameter.PolicySize', `The size of Policy must be smaller than ${maxChars} bytes.`),
  policyGrammar: () => error(400, 'InvalidParameter.PolicyGrammar', 'The parameter Policy has not passed grammar check.'),
};

function formatHours(seconds: number): string {
  return seconds % 3600 === 0 ? `${seconds / 3600}hr` : `${seconds}s`;
}
