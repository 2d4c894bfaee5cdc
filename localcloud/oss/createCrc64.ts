/**
 * CRC-64/ECMA-182 as OSS computes it for `x-oss-hash-crc64ecma` (the "CRC64 ECMA" of the OSS SDKs,
 * catalogued as CRC-64/XZ: polynomial 0x42F0E1EBA9EA3693 reflected, init and xorout all ones;
 * check value for "123456789" 11051210869376104954), per
 * https://help.aliyun.com/en/oss/user-guide/check-data-transmission-integrity-by-using-crc-64
 *
 * The 64-bit state is kept in two 32-bit halves (BigInt per byte would be far too slow for the
 * 1 GiB uploads the emulator streams), and eight bytes are folded per step ("slicing-by-8").
 */
export interface Crc64 {
  update(bytes: Uint8Array): void;
  /** The CRC as OSS prints it: an unsigned decimal integer. */
  digest(): string;
}

const POLY_LO = 0xd7870f42;
const POLY_HI = 0xc96c5795;

/** Table t (0…7) holds the CRC of byte n followed by t zero bytes. */
function buildTables(): { lo: Uint32Array; hi: Uint32Array } {
  const lo = new Uint32Array(8 * 256);
  const hi = new Uint32Array(8 * 256);
  for (let n = 0; n < 256; n += 1) {
    let l = n;
    let h = 0;
    for (let bit = 0; bit < 8; bit += 1) {
      const carry = l & 1;
      l = ((l >>> 1) | (h << 31)) >>> 0;
      h >>>= 1;
      if (carry) {
        l = (l ^ POLY_LO) >>> 0;
        h = (h ^ POLY_HI) >>> 0;
      }
    }
    lo[n] = l;
    hi[n] = h;
  }
  for (let t = 1; t < 8; t += 1) {
    for (let n = 0; n < 256; n += 1) {
      const pl = lo[(t - 1) * 256 + n];
      const ph = hi[(t - 1) * 256 + n];
      const i = pl & 0xff;
      lo[t * 256 + n] = (((pl >>> 8) | (ph << 24)) ^ lo[i]) >>> 0;
      hi[t * 256 + n] = ((ph >>> 8) ^ hi[i]) >>> 0;
    }
  }
  return { lo, hi };
}

let tables: { lo: Uint32Array; hi: Uint32Array } | undefined;

export function createCrc64(): Crc64 {
  tables ??= buildTables();
  const { lo: TL, hi: TH } = tables;
  let l = 0xffffffff;
  let h = 0xffffffff;
  return {
    update(bytes) {
      const n = bytes.length;
      let i = 0;
      for (; i + 8 <= n; i += 8) {
        const a = l ^ (bytes[i] | (bytes[i + 1] << 8) | (bytes[i + 2] << 16) | (bytes[i + 3] << 24));
        const b = h ^ (bytes[i + 4] | (bytes[i + 5] << 8) | (bytes[i + 6] << 16) | (bytes[i + 7] << 24));
        l =
          TL[1792 + (a & 0xff)] ^ TL[1536 + ((a >>> 8) & 0xff)] ^ TL[1280 + ((a >>> 16) & 0xff)] ^ TL[1024 + (a >>> 24)] ^
          TL[768 + (b & 0xff)] ^ TL[512 + ((b >>> 8) & 0xff)] ^ TL[256 + ((b >>> 16) & 0xff)] ^ TL[b >>> 24];
        h =
          TH[1792 + (a & 0xff)] ^ TH[1536 + ((a >>> 8) & 0xff)] ^ TH[1280 + ((a >>> 16) & 0xff)] ^ TH[1024 + (a >>> 24)] ^
          TH[768 + (b & 0xff)] ^ TH[512 + ((b >>> 8) & 0xff)] ^ TH[256 + ((b >>> 16) & 0xff)] ^ TH[b >>> 24];
      }
      for (; i < n; i += 1) {
        const index = (l ^ bytes[i]) & 0xff;
        l = ((l >>> 8) | (h << 24)) ^ TL[index];
        h = (h >>> 8) ^ TH[index];
      }
    },
    digest() {
      return ((BigInt(~h >>> 0) << 32n) | BigInt(~l >>> 0)).toString();
    },
  };
}

const MASK_64 = (1n << 64n) - 1n;
const POLY_64 = (BigInt(POLY_HI) << 32n) | BigInt(POLY_LO);
const TOP_BIT = 1n << 63n;

/** a(x)·b(x) modulo the polynomial, both in the CRC's reflected bit order (zlib's `multmodp`). */
function multiplyModPoly(a: bigint, b: bigint): bigint {
  let product = 0n;
  for (let m = TOP_BIT; m !== 0n; m >>= 1n) {
    if (a & m) {
      product ^= b;
      if ((a & (m - 1n)) === 0n) break;
    }
    b = b & 1n ? (b >> 1n) ^ POLY_64 : b >> 1n;
  }
  return product & MASK_64;
}

let powersOfX: bigint[] | undefined;

/** x^(n·2^k) modulo the polynomial (zlib's `x2nmodp`), from a table of x^(2^i). */
function xPowerModPoly(n: number, k: number): bigint {
  if (!powersOfX) {
    powersOfX = [];
    let p = TOP_BIT >> 1n; // x^1
    for (let i = 0; i < 64; i += 1) {
      powersOfX.push(p);
      p = multiplyModPoly(p, p);
    }
  }
  let p = TOP_BIT; // x^0
  for (let rest = BigInt(n); rest > 0n; rest >>= 1n, k += 1) {
    if (rest & 1n) p = multiplyModPoly(powersOfX[k % 64], p);
  }
  return p;
}

/**
 * The CRC-64 of A followed by B from the CRCs of A and B and B's length (zlib's `crc32_combine`,
 * at 64 bits): how a multipart object's CRC follows from its parts' without reading them again,
 * as OSS's own SDKs check a multipart upload's `x-oss-hash-crc64ecma`.
 */
export function combineCrc64(first: string, second: string, secondLength: number): string {
  return (multiplyModPoly(xPowerModPoly(secondLength, 3), BigInt(first)) ^ BigInt(second)).toString();
}
