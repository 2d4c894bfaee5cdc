/**
 * Test support for the OSS emulator: an emulator on 127.0.0.1 over a fresh temp folder, and
 * signed PostObject forms built with the project's signer (conditions as given, V4 ones added).
 */
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildPostPolicy, OssCredentials, PolicyCondition, signPolicyText } from '../oss-signer';
import { createOssEmulator, OssEmulator, OssEmulatorOptions } from '../localcloud/oss/createOssEmulator';

export const TEST_REGION = 'cn-hangzhou';
export const TEST_BUCKET = 'family-album';
export const TEST_SECOND_BUCKET = 'second-bucket';
export const TEST_ACCESS_KEY: OssCredentials = { accessKeyId: 'LTAI-local-test', accessKeySecret: 'local-test-secret' };
export const TEST_STS_SECRET = 'local-cloud-sts-secret';

export interface TestOssEmulator {
  emulator: OssEmulator;
  url: string;
  port: number;
  dataDir: string;
  /** Files in the bucket's temp folder: none should survive a finished request. */
  tempFiles(bucket?: string): Promise<string[]>;
  close(): Promise<void>;
}

export async function startTestOssEmulator(overrides: Partial<OssEmulatorOptions> = {}): Promise<TestOssEmulator> {
  const dataDir = await mkdtemp(join(tmpdir(), 'oss-emulator-'));
  const emulator = createOssEmulator({
    dataDir,
    region: TEST_REGION,
    buckets: [TEST_BUCKET, TEST_SECOND_BUCKET],
    accessKeys: { [TEST_ACCESS_KEY.accessKeyId]: TEST_ACCESS_KEY.accessKeySecret },
    stsSharedSecret: TEST_STS_SECRET,
    ...overrides,
  });
  const { url, port } = await emulator.listen(0);
  return {
    emulator,
    url,
    port,
    dataDir,
    tempFiles: (bucket = TEST_BUCKET) => readdir(join(dataDir, bucket, '.tmp')),
    async close() {
      await emulator.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

export interface SignedFormInput {
  credentials?: OssCredentials;
  region?: string;
  at?: Date;
  expiresAt?: Date;
  conditions?: PolicyCondition[];
  key: string;
  /** Other form fields, sent before the V4 ones. */
  fields?: Record<string, string>;
}

/** The fields of a signed PostObject form, in sending order (`file` is left to the caller, last). */
export function signedPostFields(input: SignedFormInput): Array<[string, string]> {
  const credentials = input.credentials ?? TEST_ACCESS_KEY;
  const region = input.region ?? TEST_REGION;
  const at = input.at ?? new Date();
  const policy = buildPostPolicy({
    credentials,
    region,
    at,
    expiresAt: input.expiresAt ?? new Date(at.getTime() + 10 * 60 * 1000),
    conditions: input.conditions ?? [{ bucket: TEST_BUCKET }, ['content-length-range', 0, 10 * 1024 * 1024]],
  });
  const signed = signPolicyText(JSON.stringify(policy), credentials, region, at);
  return [['key', input.key], ...Object.entries(input.fields ?? {}), ...Object.entries(signed).filter((e): e is [string, string] => e[1] !== undefined)];
}

/** A FormData from fields in order, then the file part last. */
export function postForm(fields: Array<[string, string]>, file?: { bytes: Uint8Array; type?: string; name?: string }): FormData {
  const form = new FormData();
  for (const [name, value] of fields) form.append(name, value);
  if (file) form.append('file', new Blob([file.bytes], { type: file.type ?? 'application/octet-stream' }), file.name ?? 'upload.bin');
  return form;
}
