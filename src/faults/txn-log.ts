// ZooKeeper's transaction log as bytes, to break it the ways disks do (pure, unit-tested). A log file
// is a 16-byte header ("ZKLG", format version, database id), then records: an 8-byte Adler-32
// checksum, a 4-byte length, the transaction, and an end-of-record byte 'B'; ZooKeeper preallocates
// the file with zeros, so the first zero length ends the log.

const MAGIC = "ZKLG";
const HEADER_BYTES = 16;

export interface LogRecord {
  /** Where the record starts (its checksum). */
  readonly offset: number;
  /** Checksum, length, transaction and end-of-record byte. */
  readonly bytes: number;
}

export interface TxnLogLayout {
  readonly records: readonly LogRecord[];
  /** Where the records end and the preallocated zeros begin. */
  readonly end: number;
}

export class TxnLogError extends Error {
  override name = "TxnLogError";
}

export function txnLogLayout(file: Buffer): TxnLogLayout {
  if (file.length < HEADER_BYTES || file.toString("latin1", 0, 4) !== MAGIC) throw new TxnLogError(`not a ZooKeeper transaction log (no "${MAGIC}" header)`);
  const records: LogRecord[] = [];
  let at = HEADER_BYTES;
  while (at + 12 <= file.length) {
    const length = file.readInt32BE(at + 8);
    if (length <= 0) break;
    const bytes = 8 + 4 + length + 1;
    if (at + bytes > file.length) break;
    records.push({ offset: at, bytes });
    at += bytes;
  }
  return { records, end: at };
}

/** The file cut inside its last record, as a crash in the middle of an append leaves it. */
export function tornTail(file: Buffer): { file: Buffer; record: number; keptBytes: number } {
  const { records } = txnLogLayout(file);
  if (records.length === 0) throw new TxnLogError("the log holds no record to tear");
  const last = records[records.length - 1];
  const keptBytes = last.offset + Math.floor(last.bytes / 2);
  return { file: Buffer.from(file.subarray(0, keptBytes)), record: records.length - 1, keptBytes };
}

/** One byte of a record's transaction flipped (bit rot): its checksum no longer matches. The middle record, by default. */
export function flippedRecord(file: Buffer, which?: number): { file: Buffer; record: number; byteAt: number } {
  const { records } = txnLogLayout(file);
  if (records.length === 0) throw new TxnLogError("the log holds no record to corrupt");
  const record = which ?? Math.floor(records.length / 2);
  const r = records[record];
  if (!r) throw new TxnLogError(`the log has ${records.length} record(s); there is no record ${record}`);
  const out = Buffer.from(file);
  // Inside the transaction itself (after checksum and length), so the length still reads true.
  const byteAt = r.offset + 12 + Math.floor((r.bytes - 13) / 2);
  out[byteAt] ^= 0xff;
  return { file: out, record, byteAt };
}

/** The file left with nothing in it, not even its header: created, then the process or the disk gave out before the first write. */
export function emptied(file: Buffer): { file: Buffer; record: null; bytesBefore: number; recordsBefore: number } {
  const records = file.length >= HEADER_BYTES && file.toString("latin1", 0, 4) === MAGIC ? txnLogLayout(file).records.length : 0;
  return { file: Buffer.alloc(0), record: null, bytesBefore: file.length, recordsBefore: records };
}

/** The newest log among file names like "log.300000001" (by the zxid in the name). */
export function newestLog(names: readonly string[]): string | undefined {
  const logs = names.filter((n) => /^log\.[0-9a-f]+$/i.test(n));
  return logs.sort((a, b) => (BigInt(`0x${a.slice(4)}`) < BigInt(`0x${b.slice(4)}`) ? -1 : 1)).at(-1);
}

/** A record's zxid: its transaction starts with the TxnHeader (clientId long, cxid int, zxid long). */
export function recordZxid(file: Buffer, r: LogRecord): bigint | undefined {
  const at = r.offset + 12 + 8 + 4;
  return r.bytes >= 12 + 20 + 1 ? file.readBigInt64BE(at) : undefined;
}

export interface PowerCut {
  /** The file as the disk kept it: its bytes up to the last real sync (the header at least). */
  readonly file: Buffer;
  /** The records past it, in the page cache only: what the member loses, by zxid. */
  readonly lostZxids: readonly bigint[];
}

/**
 * The log after a power cut that loses everything written since its last real fsync (`durableBytes`,
 * the lying disk's watermark). The header stays: a log without one is not what a crash leaves.
 */
export function cutToDurable(file: Buffer, durableBytes: number): PowerCut {
  const { records } = txnLogLayout(file);
  const keep = Math.max(HEADER_BYTES, durableBytes);
  const lost = records.filter((r) => r.offset + r.bytes > keep);
  return { file: Buffer.from(file.subarray(0, keep)), lostZxids: lost.map((r) => recordZxid(file, r)).filter((z): z is bigint => z !== undefined) };
}

/** The lying disk's watermarks (zkdrill-disk.c): "<durable bytes> <path>" a line, the first line per file. */
export function parseWatermarks(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split("\n")) {
    const m = /^(\d+) (\/\S+)$/.exec(line.trim());
    if (m && !out.has(m[2])) out.set(m[2], Number(m[1]));
  }
  return out;
}
