import { createWriteStream } from 'node:fs';
import { Writable } from 'node:stream';
import type { CreateWriteStream } from '../localcloud/oss/streamToTempFile';

/**
 * A temp-file opener whose disk fills up after `limitBytes`: the first bytes really reach the file
 * (so a leftover would show), then writes fail with ENOSPC as node:fs reports it. No tmpfs needed.
 */
export function diskFullAfter(limitBytes: number): CreateWriteStream {
  return (path, options) => {
    const file = createWriteStream(path, options);
    let writtenBytes = 0;
    return new Writable({
      write(chunk: Buffer, _encoding, callback) {
        writtenBytes += chunk.length;
        if (writtenBytes > limitBytes) {
          callback(Object.assign(new Error(`ENOSPC: no space left on device, write`), { code: 'ENOSPC', errno: -28, syscall: 'write' }));
          return;
        }
        file.write(chunk, callback);
      },
      final(callback) {
        file.end(callback);
      },
      destroy(err, callback) {
        if (file.closed) return callback(err);
        file.once('close', () => callback(err));
        file.destroy();
      },
    });
  };
}
