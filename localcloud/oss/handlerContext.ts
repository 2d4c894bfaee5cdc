import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Readable } from 'node:stream';
import type { QueryParams } from '../../oss-signer';
import type { ObjectStore } from './createObjectStore';
import type { MultipartStore } from './multipart/createMultipartStore';
import type { SecretResolver } from './createSecretResolver';
import type { PostFormLimits } from './readPostObjectForm';

/** Counters a test or benchmark reads to see what reached the emulator. */
export interface OssEmulatorStats {
  requests: number;
  /** Objects committed to the store (successful PUT/PostObject). */
  objectsWritten: number;
  /** File bytes received in PUT, PostObject and UploadPart bodies, stored or not. */
  bytesReceived: number;
  /** PostObject requests received, whatever their outcome. */
  postObjects: number;
  /** PUT object requests received, whatever their outcome. */
  puts: number;
  /** UploadPart requests received, whatever their outcome. */
  uploadParts: number;
  /** Upload connections a fault cut (`cutRate`, `linkDownAfterBytes`). */
  uploadsCut: number;
}

/** What every handler shares: the store, the clock, the credentials, the counters. */
export interface HandlerContext {
  store: ObjectStore;
  multipart: MultipartStore;
  region: string;
  now: () => Date;
  secretFor: SecretResolver;
  formLimits: PostFormLimits;
  stats: OssEmulatorStats;
}

/** One request, already addressed. `body` is the request body behind the fault gate. */
export interface HandlerRequest {
  req: IncomingMessage;
  res: ServerResponse;
  body: Readable;
  bucket: string;
  key: string;
  query: QueryParams;
  /** Lower-case names; repeated headers joined with ",". */
  headers: Record<string, string>;
}
