import { randomBytes } from 'node:crypto';
import { mkdir, open } from 'node:fs/promises';
import path from 'node:path';
import type { SelectedFile } from '../miniprogram/utils/types';

export interface AlbumSpec {
  photos: { count: number; minBytes: number; maxBytes: number };
  videos: { count: number; bytes: number };
}

/** A small seeded PRNG (mulberry32): the same photo sizes on every run, so runs compare. */
function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

async function writeMedia(filePath: string, bytes: number, magic: Buffer): Promise<void> {
  const file = await open(filePath, 'w');
  try {
    await file.write(magic);
    const block = 8 * 1024 * 1024;
    for (let written = magic.length; written < bytes; written += block) await file.write(randomBytes(Math.min(block, bytes - written)));
  } finally {
    await file.close();
  }
}

/**
 * Writes an album to `dir`: photos of seeded sizes in the range, then the videos (last, as when
 * they are picked after the photos), random bytes behind a JPEG/MP4 signature.
 */
export async function writeAlbum(dir: string, spec: AlbumSpec, seed = 20_26): Promise<SelectedFile[]> {
  await mkdir(dir, { recursive: true });
  const random = seededRandom(seed);
  const files: SelectedFile[] = [];
  const add = async (name: string, size: number, type: 'image' | 'video', magic: Buffer) => {
    const filePath = path.join(dir, name);
    await writeMedia(filePath, size, magic);
    files.push({ path: filePath, name, size, sizeKb: Math.round(size / 1024), time: Date.UTC(2026, 10, 29, 8, 0, files.length), type, hash: '' });
  };
  for (let i = 1; i <= spec.photos.count; i++) {
    const size = Math.round(spec.photos.minBytes + random() * (spec.photos.maxBytes - spec.photos.minBytes));
    await add(`IMG_${String(i).padStart(4, '0')}.jpg`, size, 'image', Buffer.from([0xff, 0xd8, 0xff, 0xe0]));
  }
  for (let i = 1; i <= spec.videos.count; i++) {
    await add(`VID_${String(i).padStart(4, '0')}.mp4`, spec.videos.bytes, 'video', Buffer.from('\0\0\0\x18ftypmp42', 'latin1'));
  }
  return files;
}

/** A fresh pick of the same files: no hashes yet, as the page hands them over. */
export const freshSelection = (files: readonly SelectedFile[]): SelectedFile[] => files.map((f) => ({ ...f, hash: '' }));
