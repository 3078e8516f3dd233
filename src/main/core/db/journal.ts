/**
 * Write-ahead journal of committed transactions.
 *
 * File layout: an 8-byte header `BWJRNL01`, then records `[u32 length][u32 crc32][payload]`, little-endian.
 * The payload is UTF-8 JSON `{ seq, at, stmts: [[sql, params], ...] }`. A record is acknowledged only after
 * it is written and fdatasync'd, so a record cut short by a crash was never acknowledged and is dropped on
 * open. A bad record followed by good ones is corruption, reported as such, never silently skipped.
 */
import {
  closeSync,
  existsSync,
  fdatasyncSync,
  fstatSync,
  ftruncateSync,
  openSync,
  readFileSync,
  writeSync,
} from 'node:fs';
import type { Params } from './engine';

const MAGIC = Buffer.from('BWJRNL01', 'ascii');

export interface JournalRecord {
  seq: number;
  at: string;
  stmts: [string, Params][];
}

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

export const crc32 = (buf: Uint8Array): number => {
  let c = 0xffffffff;
  for (let i = 0; i < buf.length; i++) c = CRC_TABLE[(c ^ buf[i]!) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
};

export interface JournalReadResult {
  records: JournalRecord[];
  /** Byte offset after the last good record. */
  goodEnd: number;
  /** A torn record at the end (a crash during write): harmless, never acknowledged. */
  tornTail: boolean;
  /** Set when a damaged record is followed by more data: real corruption. */
  corruptAt: number | null;
}

export const readJournal = (path: string): JournalReadResult => {
  if (!existsSync(path)) return { records: [], goodEnd: 0, tornTail: false, corruptAt: null };
  const buf = readFileSync(path);
  if (buf.length < MAGIC.length)
    return { records: [], goodEnd: 0, tornTail: buf.length > 0, corruptAt: null };
  if (!buf.subarray(0, MAGIC.length).equals(MAGIC)) {
    return { records: [], goodEnd: 0, tornTail: false, corruptAt: 0 };
  }
  const records: JournalRecord[] = [];
  let off = MAGIC.length;
  while (off < buf.length) {
    const bad = (): JournalReadResult => {
      // A damaged record that runs to the end of the file is a torn write; anything after it is corruption.
      const len = off + 8 <= buf.length ? buf.readUInt32LE(off) : 0;
      const tail = off + 8 + len >= buf.length;
      return { records, goodEnd: off, tornTail: tail, corruptAt: tail ? null : off };
    };
    if (off + 8 > buf.length) return bad();
    const len = buf.readUInt32LE(off);
    const crc = buf.readUInt32LE(off + 4);
    if (off + 8 + len > buf.length) return bad();
    const payload = buf.subarray(off + 8, off + 8 + len);
    if (crc32(payload) !== crc) return bad();
    let rec: JournalRecord;
    try {
      rec = JSON.parse(payload.toString('utf8')) as JournalRecord;
    } catch {
      return bad();
    }
    records.push(rec);
    off += 8 + len;
  }
  return { records, goodEnd: off, tornTail: false, corruptAt: null };
};

/** An open journal file that appends durable records. */
export class JournalWriter {
  private fd: number;

  constructor(path: string, truncateTo?: number) {
    this.fd = openSync(path, existsSync(path) ? 'r+' : 'w+');
    const size = fstatSync(this.fd).size;
    if (size < MAGIC.length) {
      ftruncateSync(this.fd, 0);
      writeSync(this.fd, MAGIC, 0, MAGIC.length, 0);
      fdatasyncSync(this.fd);
    } else if (truncateTo !== undefined && truncateTo < size) {
      ftruncateSync(this.fd, Math.max(truncateTo, MAGIC.length));
      fdatasyncSync(this.fd);
    }
    this.size = fstatSync(this.fd).size;
  }

  size: number;

  append(rec: JournalRecord): void {
    const payload = Buffer.from(JSON.stringify(rec), 'utf8');
    const out = Buffer.allocUnsafe(8 + payload.length);
    out.writeUInt32LE(payload.length, 0);
    out.writeUInt32LE(crc32(payload), 4);
    payload.copy(out, 8);
    let written = 0;
    while (written < out.length)
      written += writeSync(this.fd, out, written, out.length - written, this.size + written);
    fdatasyncSync(this.fd);
    this.size += out.length;
  }

  close(): void {
    closeSync(this.fd);
  }
}
