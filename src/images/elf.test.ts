import { expect } from "chai";
import { elfInterpreter } from "./elf";

/** A 64-bit little-endian ELF header with the given program header types (PT_INTERP pointing at `interp`). */
function elf64(types: number[], interp = "/lib64/ld-linux-x86-64.so.2"): Buffer {
  const phoff = 64;
  const phentsize = 56;
  const dataAt = phoff + phentsize * types.length;
  const file = Buffer.alloc(dataAt + interp.length + 1);
  file.writeUInt32BE(0x7f454c46, 0);
  file[4] = 2;
  file[5] = 1;
  file.writeBigUInt64LE(BigInt(phoff), 0x20);
  file.writeUInt16LE(phentsize, 0x36);
  file.writeUInt16LE(types.length, 0x38);
  types.forEach((type, i) => {
    const ph = phoff + i * phentsize;
    file.writeUInt32LE(type, ph);
    file.writeBigUInt64LE(BigInt(dataAt), ph + 0x08);
    file.writeBigUInt64LE(BigInt(interp.length + 1), ph + 0x20);
  });
  file.write(interp, dataAt, "latin1");
  return file;
}

describe("elfInterpreter (Toxiproxy's server must be static: its image is FROM scratch)", () => {
  it("a static binary (Go with CGO off: LOAD, NOTE, GNU_STACK only) asks for no interpreter", () => {
    expect(elfInterpreter(elf64([1, 1, 4, 0x6474e551]))).to.equal(undefined);
  });

  it("a dynamic one names its loader, which an image FROM scratch lacks", () => {
    expect(elfInterpreter(elf64([6, 3, 1, 1]))).to.equal("/lib64/ld-linux-x86-64.so.2");
  });

  it("refuses what is not an ELF file rather than calling it static", () => {
    expect(() => elfInterpreter(Buffer.from("#!/bin/sh\necho hi\n".padEnd(64)))).to.throw(/not an ELF/);
  });
});
