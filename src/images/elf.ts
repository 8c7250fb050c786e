// Whether an executable can run in an image FROM scratch: there is no dynamic loader there, so a binary that
// names one (an ELF program header of type PT_INTERP) fails at start with a bare "no such file or directory".

const PT_INTERP = 3;

/** The program interpreter an ELF executable asks for ("/lib64/ld-linux-x86-64.so.2"), or undefined if static. */
export function elfInterpreter(file: Buffer): string | undefined {
  if (file.length < 52 || file.readUInt32BE(0) !== 0x7f454c46) throw new Error("not an ELF executable");
  const is64 = file[4] === 2;
  const le = file[5] === 1;
  const u16 = (at: number) => (le ? file.readUInt16LE(at) : file.readUInt16BE(at));
  const u32 = (at: number) => (le ? file.readUInt32LE(at) : file.readUInt32BE(at));
  const addr = (at: number) => (is64 ? Number(le ? file.readBigUInt64LE(at) : file.readBigUInt64BE(at)) : u32(at));
  const phoff = addr(is64 ? 0x20 : 0x1c);
  const phentsize = u16(is64 ? 0x36 : 0x2a);
  const phnum = u16(is64 ? 0x38 : 0x2c);
  for (let i = 0; i < phnum; i++) {
    const ph = phoff + i * phentsize;
    if (ph + phentsize > file.length) throw new Error("ELF program headers run past the end of the file");
    if (u32(ph) !== PT_INTERP) continue;
    const offset = addr(ph + (is64 ? 0x08 : 0x04));
    const size = addr(ph + (is64 ? 0x20 : 0x10));
    return file.subarray(offset, offset + size).toString("latin1").replace(/\0+$/, "");
  }
  return undefined;
}
