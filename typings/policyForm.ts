import type { OssUploadConfig } from './api';

/**
 * The PostObject form a phone sends with an `OssUploadConfig`: the config carries the article's
 * names, OSS wants its own (https://help.aliyun.com/zh/oss/developer-reference/postobject).
 * `file` goes last, which `wx.uploadFile` does itself.
 */
export function postObjectFormFields(config: OssUploadConfig, key: string, contentType: string): Record<string, string> {
  return {
    key,
    policy: config.policy,
    'x-oss-signature-version': config.signature_version,
    'x-oss-credential': config.credential,
    'x-oss-date': config.date,
    'x-oss-signature': config.signature,
    'x-oss-security-token': config.security_token,
    success_action_status: config.success_action_status,
    'Content-Type': contentType,
    // The policy demands it; and for a content-addressed key an existing object already holds these bytes.
    'x-oss-forbid-overwrite': 'true',
    // The policy pins it: a form that made the object public-read would be refused (HEAD never shows an ACL).
    'x-oss-object-acl': 'private',
  };
}
