/**
 * A small synchronous zlib (RFC 1950) encoder: LZ77 with hash chains, then one final deflate block with
 * the fixed Huffman codes of RFC 1951 §3.2.6. Fixed codes cost a little ratio against dynamic ones, but
 * the code stays tiny, which matters more for an agent every page downloads.
 */

const windowSize = 32768;
const minMatch = 3;
const maxMatch = 258;
const hashBits = 15;
const maxChain = 128;

// Base values and extra-bit counts of the length (257..285) and distance (0..29) codes, RFC 1951 §3.2.5.
const lengthBase = [
  3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195,
  227, 258,
];
const distanceBase = [
  1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097,
  6145, 8193, 12289, 16385, 24577,
];

function lastBelowOrEqual(table: readonly number[], value: number): number {
  let index = table.length - 1;
  while ((table[index] as number) > value) index--;
  return index;
}

class BitWriter {
  bytes: number[] = [];
  private bitBuffer = 0;
  private bitCount = 0;

  /** Writes `count` bits of `value`, least significant first (how deflate packs everything but codes). */
  bits(value: number, count: number): void {
    this.bitBuffer |= value << this.bitCount;
    this.bitCount += count;
    while (this.bitCount >= 8) {
      this.bytes.push(this.bitBuffer & 255);
      this.bitBuffer >>>= 8;
      this.bitCount -= 8;
    }
  }

  /** Huffman codes go most significant bit first, so they are reversed before packing. */
  code(code: number, length: number): void {
    let reversed = 0;
    for (let i = 0; i < length; i++) reversed |= ((code >> i) & 1) << (length - 1 - i);
    this.bits(reversed, length);
  }

  flush(): void {
    if (this.bitCount > 0) this.bits(0, 8 - this.bitCount);
  }
}

function writeLiteralOrLength(out: BitWriter, symbol: number): void {
  if (symbol < 144) out.code(0x30 + symbol, 8);
  else if (symbol < 256) out.code(0x190 + symbol - 144, 9);
  else if (symbol < 280) out.code(symbol - 256, 7);
  else out.code(0xc0 + symbol - 280, 8);
}

function writeMatch(out: BitWriter, length: number, distance: number): void {
  const lengthCode = lastBelowOrEqual(lengthBase, length);
  writeLiteralOrLength(out, 257 + lengthCode);
  out.bits(
    length - (lengthBase[lengthCode] as number),
    lengthCode < 8 || lengthCode > 27 ? 0 : (lengthCode >> 2) - 1,
  );
  const distanceCode = lastBelowOrEqual(distanceBase, distance);
  out.code(distanceCode, 5);
  out.bits(distance - (distanceBase[distanceCode] as number), distanceCode < 4 ? 0 : (distanceCode >> 1) - 1);
}

export function adler32(data: Uint8Array): number {
  let a = 1;
  let b = 0;
  for (let i = 0; i < data.length; ) {
    // 5552 bytes is the most that can be summed before b may pass 2^32 (zlib's NMAX).
    const end = Math.min(i + 5552, data.length);
    for (; i < end; i++) {
      a += data[i] as number;
      b += a;
    }
    a %= 65521;
    b %= 65521;
  }
  return ((b << 16) | a) >>> 0;
}

/** Compresses `data` into a zlib stream (header 0x78 0x9c, one fixed-Huffman block, Adler-32). */
export function zlibDeflate(data: Uint8Array): Uint8Array {
  const out = new BitWriter();
  out.bytes.push(0x78, 0x9c);
  out.bits(1, 1); // BFINAL
  out.bits(1, 2); // BTYPE 01: fixed Huffman codes
  const head = new Int32Array(1 << hashBits).fill(-1);
  const previous = new Int32Array(windowSize);
  const length = data.length;
  const hashAt = (i: number): number =>
    (((data[i] as number) << 10) ^ ((data[i + 1] as number) << 5) ^ (data[i + 2] as number)) &
    ((1 << hashBits) - 1);
  const insert = (i: number): void => {
    if (i + minMatch > length) return;
    const h = hashAt(i);
    previous[i & (windowSize - 1)] = head[h] as number;
    head[h] = i;
  };

  let i = 0;
  while (i < length) {
    let bestLength = 0;
    let bestDistance = 0;
    if (i + minMatch <= length) {
      let candidate = head[hashAt(i)] as number;
      const limit = Math.min(maxMatch, length - i);
      for (let chain = maxChain; candidate >= 0 && i - candidate <= windowSize && chain > 0; chain--) {
        if (data[candidate + bestLength] === data[i + bestLength]) {
          let matched = 0;
          while (matched < limit && data[candidate + matched] === data[i + matched]) matched++;
          if (matched > bestLength) {
            bestLength = matched;
            bestDistance = i - candidate;
            if (matched === limit) break;
          }
        }
        const next = previous[candidate & (windowSize - 1)] as number;
        if (next >= candidate) break;
        candidate = next;
      }
    }
    if (bestLength >= minMatch) {
      writeMatch(out, bestLength, bestDistance);
      for (const end = i + bestLength; i < end; i++) insert(i);
    } else {
      writeLiteralOrLength(out, data[i] as number);
      insert(i);
      i++;
    }
  }
  writeLiteralOrLength(out, 256);
  out.flush();
  const checksum = adler32(data);
  out.bytes.push(checksum >>> 24, (checksum >>> 16) & 255, (checksum >>> 8) & 255, checksum & 255);
  return new Uint8Array(out.bytes);
}
