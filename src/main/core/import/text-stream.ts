/**
 * Byte chunks -> text, strictly. A fatal TextDecoder in streaming mode does the work; when it refuses a chunk,
 * we find the first bad byte ourselves so the caller can report where it is (the decoder does not say).
 */

/** Thrown when the input is not UTF-8. `validText` is the text decoded before the bad byte. */
export class Utf8Error extends Error {
  constructor(
    readonly validText: string,
    /** Absolute byte offset of the first invalid byte in the stream. */
    readonly byteOffset: number,
    readonly badByte: number | null,
  ) {
    super(
      badByte === null
        ? `the file ends in the middle of a UTF-8 character (byte ${byteOffset})`
        : `invalid UTF-8 byte 0x${badByte.toString(16).padStart(2, '0')} at byte ${byteOffset}`,
    );
    this.name = 'Utf8Error';
  }
}

/** Offset of the first byte that does not belong to valid UTF-8 (or -1), considering `final`. */
export const findInvalidUtf8 = (b: Uint8Array, final: boolean): number => {
  let i = 0;
  const n = b.length;
  while (i < n) {
    const c = b[i]!;
    if (c < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let min: number;
    if (c >= 0xc2 && c <= 0xdf) {
      need = 1;
      min = 0x80;
    } else if (c >= 0xe0 && c <= 0xef) {
      need = 2;
      min = 0x800;
    } else if (c >= 0xf0 && c <= 0xf4) {
      need = 3;
      min = 0x10000;
    } else return i;
    const b1 = b[i + 1];
    if (b1 !== undefined) {
      const lo = c === 0xe0 ? 0xa0 : c === 0xf0 ? 0x90 : 0x80;
      const hi = c === 0xed ? 0x9f : c === 0xf4 ? 0x8f : 0xbf;
      if (b1 < lo || b1 > hi) return i;
    }
    if (i + need >= n) {
      // The sequence runs past the end of the buffer: fine mid-stream if what is there is well formed.
      for (let k = 1; i + k < n; k++) if ((b[i + k]! & 0xc0) !== 0x80) return i;
      return final ? i : -1;
    }
    let cp = c & (need === 1 ? 0x1f : need === 2 ? 0x0f : 0x07);
    for (let k = 1; k <= need; k++) {
      const cc = b[i + k]!;
      if ((cc & 0xc0) !== 0x80) return i;
      cp = (cp << 6) | (cc & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return i;
    i += need + 1;
  }
  return -1;
};

/** Length of an incomplete UTF-8 sequence at the end of `b` (0-3). */
const incompleteTail = (b: Uint8Array): number => {
  const n = b.length;
  for (let k = 1; k <= 3 && k <= n; k++) {
    const c = b[n - k]!;
    if ((c & 0xc0) === 0x80) continue; // continuation byte: look further back
    const len = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc0 ? 2 : 1;
    return len > k ? k : 0;
  }
  return 0;
};

export class Utf8Stream {
  private readonly decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
  private carry: Uint8Array = new Uint8Array(0);
  private offset = 0;

  /** Decodes the next chunk; throws Utf8Error at the first invalid byte. */
  decode(chunk: Uint8Array): string {
    let text: string;
    try {
      text = this.decoder.decode(chunk, { stream: true });
    } catch {
      throw this.locate(chunk, false);
    }
    const tail = incompleteTail(chunk);
    this.carry =
      tail > 0 ? (chunk.length >= tail ? chunk.slice(chunk.length - tail) : chunk) : new Uint8Array(0);
    this.offset += chunk.length;
    return text;
  }

  end(): string {
    try {
      return this.decoder.decode();
    } catch {
      throw this.locate(new Uint8Array(0), true);
    }
  }

  private locate(chunk: Uint8Array, final: boolean): Utf8Error {
    const all = new Uint8Array(this.carry.length + chunk.length);
    all.set(this.carry, 0);
    all.set(chunk, this.carry.length);
    let bad = findInvalidUtf8(all, final);
    if (bad < 0) bad = all.length;
    const validText = new TextDecoder('utf-8', { ignoreBOM: true }).decode(all.subarray(0, bad));
    const abs = this.offset - this.carry.length + bad;
    return new Utf8Error(validText, abs, bad < all.length ? all[bad]! : null);
  }
}
