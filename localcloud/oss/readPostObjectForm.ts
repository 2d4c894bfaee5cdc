import type { IncomingHttpHeaders } from 'node:http';
import { Readable } from 'node:stream';
import busboy from 'busboy';
import { invalidArgument, isOssError, malformedPostRequest } from './ossError';

export interface PostFormLimits {
  /** One field's value, bytes. */
  maxFieldBytes: number;
  /** All fields before `file` together, bytes (OSS: 8 MB, 0006-00000112). */
  maxTotalFieldBytes: number;
  maxParts: number;
}

export interface FilePart {
  stream: Readable;
  filename?: string;
  /** The part's declared type; busboy reports text/plain when it declares none. */
  mimeType: string;
}

/** Runs at the `file` part with every field read so far; must consume `part.stream` or throw. */
export type FileHandler<T> = (fields: ReadonlyMap<string, string>, part: FilePart) => Promise<T>;

/** A failure of the machine (a full disk), not of the form: not the client's fault, so never a 400. */
function isSystemError(err: unknown): err is NodeJS.ErrnoException {
  return err instanceof Error && typeof (err as NodeJS.ErrnoException).syscall === 'string';
}

/**
 * Reads a PostObject body: fields (names lower-cased, as OSS matches them case-insensitively) up to
 * the `file` part, which is streamed to `onFile`, never buffered. Anything after the file part, a
 * second file, a missing file, an oversized field or broken multipart is an error; when the form
 * fails after `onFile` succeeded, `discard` undoes its work. Settles only once `onFile` has, so
 * nothing is left half-written. On failure `body` is left unpiped for the caller to drain.
 */
export function readPostObjectForm<T>(
  body: Readable,
  headers: IncomingHttpHeaders,
  limits: PostFormLimits,
  onFile: FileHandler<T>,
  discard: (result: T) => Promise<void>,
): Promise<{ fields: ReadonlyMap<string, string>; file: T }> {
  return new Promise((resolve, reject) => {
    let parser: busboy.Busboy;
    try {
      parser = busboy({ headers, limits: { fieldSize: limits.maxFieldBytes, fieldNameSize: 256, parts: limits.maxParts } });
    } catch {
      reject(malformedPostRequest('The Content-Type must be multipart/form-data with a boundary.'));
      return;
    }
    const fields = new Map<string, string>();
    let totalFieldBytes = 0;
    let filePromise: Promise<T> | undefined;
    /** An OssError, or a system error of the disk (ENOSPC, EIO …) that the caller answers as a 5xx. */
    let failure: Error | undefined;
    let finished = false;

    const finish = async (): Promise<void> => {
      if (finished) return;
      finished = true;
      body.unpipe(parser);
      let file: T | undefined;
      let fileError: unknown;
      if (filePromise) {
        try {
          file = await filePromise;
        } catch (err) {
          fileError = err;
        }
      }
      const error = failure ?? fileError ?? (filePromise ? undefined : malformedPostRequest('The file form field is missing.'));
      if (error === undefined) {
        resolve({ fields, file: file as T });
        return;
      }
      if (file !== undefined) await discard(file).catch(() => undefined);
      reject(error);
    };

    const fail = (err: unknown): void => {
      failure ??= isOssError(err) || isSystemError(err) ? err : malformedPostRequest(err instanceof Error ? err.message : undefined);
      if (!finished) {
        body.unpipe(parser);
        parser.destroy();
        void finish();
      }
    };

    const addField = (rawName: string, value: string, truncated: boolean): void => {
      // busboy finishes parsing the chunk at hand even after destroy(): once failed, ignore the rest.
      if (failure) return;
      if (filePromise) return fail(malformedPostRequest('The file form field must be the last field.'));
      if (truncated) return fail(invalidArgument(`The form field "${rawName}" exceeds ${limits.maxFieldBytes} bytes.`));
      totalFieldBytes += Buffer.byteLength(rawName) + Buffer.byteLength(value);
      if (totalFieldBytes > limits.maxTotalFieldBytes) {
        return fail(invalidArgument(`The form fields before the file exceed ${limits.maxTotalFieldBytes} bytes.`));
      }
      const name = rawName.toLowerCase();
      // A `file` part sent without a filename is still the file (curl -F file=<text>).
      if (name === 'file') return startFile({ stream: Readable.from([Buffer.from(value, 'utf8')]), mimeType: 'application/octet-stream' });
      fields.set(name, value);
    };

    const startFile = (part: FilePart): void => {
      filePromise = onFile(fields, part);
      filePromise.catch(fail);
    };

    parser.on('field', (name, value, info) => addField(name, value, info.nameTruncated || info.valueTruncated));
    parser.on('file', (name, stream, info) => {
      // Destroying the parser fails its open part stream; that failure is already being answered.
      stream.on('error', () => undefined);
      if (failure) return void stream.resume();
      if (filePromise) {
        stream.resume();
        return fail(malformedPostRequest('Only one file field is allowed and it must be the last field.'));
      }
      if (name.toLowerCase() === 'file') return startFile({ stream, filename: info.filename, mimeType: info.mimeType });
      // Another part with a filename: OSS goes by the field name, so read it as a text field.
      const chunks: Buffer[] = [];
      let size = 0;
      stream.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size <= limits.maxFieldBytes) chunks.push(chunk);
      });
      stream.on('end', () => addField(name, Buffer.concat(chunks).toString('utf8'), size > limits.maxFieldBytes));
    });
    parser.on('partsLimit', () => fail(malformedPostRequest(`A form may have at most ${limits.maxParts} parts.`)));
    parser.on('error', fail);
    parser.on('close', () => void finish());
    // pipe() does not forward a source's failure: a cut or aborted body must still settle the form.
    body.once('error', (err) => fail(isOssError(err) ? err : malformedPostRequest('The request body ended early.')));
    body.pipe(parser);
  });
}
