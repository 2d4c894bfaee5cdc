import type { MiniProgram } from './openMiniProgram';

export interface MediaSpec {
  name: string;
  size: number;
  /** Seeds the bytes: a different seed, a different file (and MD5). */
  seed: number;
}

/** One entry of `chooseMedia`'s `tempFiles`, as a phone reports a photo. */
export interface ChosenMedia {
  tempFilePath: string;
  size: number;
  fileType: 'image';
  thumbTempFilePath: string;
  duration: number;
  height: number;
  width: number;
}

/**
 * Runs inside the Mini Program (DevTools or the host) through `miniProgram.evaluate`: writes a
 * JPEG-headed file of pseudo-random bytes to `wx.env.USER_DATA_PATH`, where the page's own file
 * system can read it (DevTools reads no other path). Source text, not a function, so coverage
 * instrumentation cannot creep into what crosses the wire.
 */
const WRITE_MEDIA_FILE = `function (name, size, seed) {
  var bytes = new Uint8Array(size);
  var x = seed >>> 0;
  for (var i = 0; i < size; i++) {
    x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
    bytes[i] = x >>> 24;
  }
  bytes[0] = 0xff; bytes[1] = 0xd8; bytes[2] = 0xff; bytes[3] = 0xe0;
  var path = wx.env.USER_DATA_PATH + '/' + name;
  wx.getFileSystemManager().writeFileSync(path, bytes.buffer);
  return path;
}`;

/** Writes real files into the Mini Program's user data folder; returns them as chooseMedia would. */
export async function stageMedia(miniProgram: MiniProgram, specs: readonly MediaSpec[]): Promise<ChosenMedia[]> {
  const files: ChosenMedia[] = [];
  for (const spec of specs) {
    const tempFilePath = (await miniProgram.evaluate(WRITE_MEDIA_FILE, spec.name, spec.size, spec.seed)) as string;
    files.push({ tempFilePath, size: spec.size, fileType: 'image', thumbTempFilePath: '', duration: 0, height: 1080, width: 1440 });
  }
  return files;
}

/** The next `wx.chooseMedia` picks these files. */
export async function pickNext(miniProgram: MiniProgram, files: readonly ChosenMedia[]): Promise<void> {
  await miniProgram.mockWxMethod('chooseMedia', { tempFiles: files, type: 'image', errMsg: 'chooseMedia:ok' });
}
