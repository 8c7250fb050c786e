import { expect } from "chai";
import { cutToDurable, emptied, flippedRecord, newestLog, parseWatermarks, tornTail, TxnLogError, txnLogLayout } from "./txn-log";

/** Adler-32, as ZooKeeper checksums each record (java.util.zip.Adler32). */
function adler32(data: Uint8Array): number {
  let a = 1;
  let b = 0;
  for (const byte of data) {
    a = (a + byte) % 65521;
    b = (b + a) % 65521;
  }
  return ((b << 16) | a) >>> 0;
}

/** A log as ZooKeeper writes it: header, records with their checksums, preallocated zeros. */
function log(payloads: readonly string[], zeros = 64): Buffer {
  const header = Buffer.alloc(16);
  header.write("ZKLG", 0, "latin1");
  header.writeInt32BE(2, 4);
  const records = payloads.map((p) => {
    const body = Buffer.from(p);
    const r = Buffer.alloc(8 + 4 + body.length + 1);
    r.writeBigInt64BE(BigInt(adler32(body)), 0);
    r.writeInt32BE(body.length, 8);
    body.copy(r, 12);
    r[r.length - 1] = 0x42;
    return r;
  });
  return Buffer.concat([header, ...records, Buffer.alloc(zeros)]);
}

describe("transaction log faults", () => {
  const file = log(["create /a", "set /a x", "delete /b"]);

  it("finds every record and where the preallocated zeros begin", () => {
    const l = txnLogLayout(file);
    expect(l.records.map((r) => r.bytes)).to.deep.equal([22, 21, 22]);
    expect(l.end).to.equal(16 + 22 + 21 + 22);
  });

  it("tears the last record in half (a crash mid-append): earlier records intact", () => {
    const t = tornTail(file);
    expect(t.record).to.equal(2);
    expect(txnLogLayout(t.file).records.length).to.equal(2);
    expect(t.file.length).to.equal(16 + 22 + 21 + 11);
  });

  it("flips a byte inside the middle record's transaction: the checksum no longer matches, the length still reads", () => {
    const f = flippedRecord(file);
    expect(f.record).to.equal(1);
    const r = txnLogLayout(f.file).records[1];
    const body = f.file.subarray(r.offset + 12, r.offset + r.bytes - 1);
    expect(Number(f.file.readBigInt64BE(r.offset))).to.not.equal(adler32(body));
    expect(txnLogLayout(f.file).records.length).to.equal(3);
    expect(f.file.filter((b, i) => b !== file[i]).length).to.equal(1);
  });

  it("empties the file, header and all (a log created and never written: ZOOKEEPER-2332), saying what it held", () => {
    const e = emptied(file);
    expect(e.file.length).to.equal(0);
    expect(e).to.deep.include({ bytesBefore: file.length, recordsBefore: 3 });
    expect(() => txnLogLayout(e.file)).to.throw(TxnLogError, /ZKLG/);
  });

  it("refuses a file that is not a log, or one with nothing to break", () => {
    expect(() => txnLogLayout(Buffer.from("hello world, not a log"))).to.throw(TxnLogError, /ZKLG/);
    expect(() => tornTail(log([]))).to.throw(TxnLogError, /no record/);
    expect(() => flippedRecord(file, 7)).to.throw(TxnLogError, /no record 7/);
  });

  it("picks the newest log by the zxid in its name, not by text order", () => {
    expect(newestLog(["snapshot.5", "log.ff", "log.100000001", "log.fffffff", "acceptedEpoch"])).to.equal("log.100000001");
    expect(newestLog(["snapshot.0"])).to.equal(undefined);
  });
});

/** A record whose transaction starts with a TxnHeader carrying `zxid`. */
function txn(zxid: number): string {
  const h = Buffer.alloc(24);
  h.writeBigInt64BE(7n, 0);
  h.writeInt32BE(1, 8);
  h.writeBigInt64BE(BigInt(zxid), 12);
  return h.toString("latin1");
}

describe("a power cut after a lying fsync", () => {
  const latin = (s: string) => Buffer.from(s, "latin1");
  const header = Buffer.alloc(16);
  header.write("ZKLG", 0, "latin1");
  const records = [0x101, 0x102, 0x103, 0x104].map((z) => {
    const body = latin(txn(z));
    const r = Buffer.alloc(13 + body.length);
    r.writeInt32BE(body.length, 8);
    body.copy(r, 12);
    r[r.length - 1] = 0x42;
    return r;
  });
  const file = Buffer.concat([header, ...records, Buffer.alloc(64)]);
  const afterTwo = 16 + records[0].length + records[1].length;

  it("keeps what was really synced and names the records past it by zxid", () => {
    const cut = cutToDurable(file, afterTwo);
    expect(cut.file.length).to.equal(afterTwo);
    expect(cut.lostZxids).to.deep.equal([0x103n, 0x104n]);
  });

  it("a log never really synced keeps its header alone and loses every record", () => {
    const cut = cutToDurable(file, 0);
    expect(cut.file.length).to.equal(16);
    expect(cut.lostZxids).to.have.length(4);
  });

  it("reads the first watermark per file from the shim's record", () => {
    const w = parseWatermarks("1068 /datalog/version-2/log.1\n\n0 /datalog/version-2/log.d\n99 /datalog/version-2/log.1\n");
    expect([...w]).to.deep.equal([["/datalog/version-2/log.1", 1068], ["/datalog/version-2/log.d", 0]]);
  });
});
