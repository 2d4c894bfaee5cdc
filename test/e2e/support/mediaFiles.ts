import type { MiniProgram } from './openMiniProgram';

export interface MediaSpec {
  name: string;
  size: number;
  /** Seeds the bytes: a different seed, a different file (and MD5). */
  seed: number;
  /** A photo (JPEG-headed, the default) or a video (MP4-headed). */
  kind?: 'image' | 'video';
}

/** One entry of `chooseMedia`'s `tempFiles`, as a phone reports a photo. */
export interface ChosenMedia {
  tempFilePath: string;
  size: number;
  fileType: 'image' | 'video';
  thumbTempFilePath: string;
  duration: number;
  height: number;
  width: number;
}

/** The first bytes of each kind: a JPEG's SOI/APP0, an MP4's `ftyp` box. */
const HEADERS = {
  image: [0xff, 0xd8, 0xff, 0xe0],
  video: [0x00, 0x00, 0x00, 0x18, 0x66, 0x74, 0x79, 0x70, 0x6d, 0x70, 0x34, 0x32],
};

/**
 * Runs inside the Mini Program (DevTools or the host) through `miniProgram.evaluate`: writes a
 * file of pseudo-random bytes after `header` to `wx.env.USER_DATA_PATH`, where the page's own file
 * system can read it (DevTools reads no other path). Source text, not a function, so coverage
 * instrumentation cannot creep into what crosses the wire. `mediaBytes` makes the same bytes here.
 */
const WRITE_MEDIA_FILE = `function (name, size, seed, header) {
  var bytes = new Uint8Array(size);
  var x = seed >>> 0;
  for (var i = 0; i < size; i++) {
    x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
    bytes[i] = x >>> 24;
  }
  for (var h = 0; h < header.length && h < size; h++) bytes[h] = header[h];
  var path = wx.env.USER_DATA_PATH + '/' + name;
  wx.getFileSystemManager().writeFileSync(path, bytes.buffer);
  return path;
}`;

/** The bytes `stageMedia` writes for `spec`, made in Node: what the app must upload and OSS must serve. */
export function mediaBytes(spec: MediaSpec): Buffer {
  const bytes = Buffer.alloc(spec.size);
  let x = spec.seed >>> 0;
  for (let i = 0; i < spec.size; i++) {
    x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
    bytes[i] = x >>> 24;
  }
  HEADERS[spec.kind ?? 'image'].slice(0, spec.size).forEach((b, h) => (bytes[h] = b));
  return bytes;
}

/** Writes real files into the Mini Program's user data folder; returns them as chooseMedia would. */
export async function stageMedia(miniProgram: MiniProgram, specs: readonly MediaSpec[]): Promise<ChosenMedia[]> {
  const files: ChosenMedia[] = [];
  for (const spec of specs) {
    const kind = spec.kind ?? 'image';
    const tempFilePath = (await miniProgram.evaluate(WRITE_MEDIA_FILE, spec.name, spec.size, spec.seed, HEADERS[kind])) as string;
    files.push({ tempFilePath, size: spec.size, fileType: kind, thumbTempFilePath: '', duration: kind === 'video' ? 30 : 0, height: 1080, width: 1440 });
  }
  return files;
}

/** The next `wx.chooseMedia` picks these files. */
export async function pickNext(miniProgram: MiniProgram, files: readonly ChosenMedia[]): Promise<void> {
  const kinds = new Set(files.map((f) => f.fileType));
  const type = kinds.size === 1 ? [...kinds][0] : 'mix';
  await miniProgram.mockWxMethod('chooseMedia', { tempFiles: files, type, errMsg: 'chooseMedia:ok' });
}
