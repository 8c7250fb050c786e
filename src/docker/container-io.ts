// Container verbs testcontainers has no word for: exec with output, files into a (stopped)
// container, and the log of every start of a container.
import { Readable } from "node:stream";
import * as tarStream from "tar-stream";
import { pack } from "tar-stream";
import { containerAt } from "./engines";

export interface FileToPut {
  /** Absolute path inside the container. */
  readonly path: string;
  readonly content: string | Buffer;
  readonly mode?: number;
}

/** Writes files into a container, running or stopped (docker cp semantics). */
export async function putFiles(containerId: string, files: readonly FileToPut[]): Promise<void> {
  const p = pack();
  for (const f of files) p.entry({ name: f.path.replace(/^\//, ""), mode: f.mode ?? 0o644 }, f.content);
  p.finalize();
  const chunks: Buffer[] = [];
  for await (const c of p) chunks.push(c as Buffer);
  await containerAt(containerId).putArchive(Buffer.concat(chunks), { path: "/" });
}

/** Splits Docker's multiplexed stream (8-byte frame headers) into text. */
export function demux(buf: Buffer): { stdout: string; stderr: string } {
  let stdout = "";
  let stderr = "";
  let i = 0;
  while (i + 8 <= buf.length) {
    const kind = buf[i];
    const size = buf.readUInt32BE(i + 4);
    const body = buf.subarray(i + 8, i + 8 + size).toString("utf8");
    if (kind === 2) stderr += body;
    else stdout += body;
    i += 8 + size;
  }
  return { stdout, stderr };
}

export interface ExecResult {
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a command in a running container and waits for it, at most `timeoutMs`. */
export async function execIn(containerId: string, cmd: readonly string[], timeoutMs = 60_000, env: readonly string[] = []): Promise<ExecResult> {
  const container = containerAt(containerId);
  const ex = await container.exec({ Cmd: [...cmd], AttachStdout: true, AttachStderr: true, Env: [...env] });
  const stream = await ex.start({ hijack: true, stdin: false });
  const chunks: Buffer[] = [];
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      stream.destroy();
      reject(new Error(`exec ${cmd.join(" ")}: no end within ${timeoutMs} ms`));
    }, timeoutMs);
    stream.on("data", (c: Buffer) => chunks.push(c));
    stream.on("end", () => {
      clearTimeout(timer);
      resolve();
    });
    stream.on("error", (err: Error) => {
      clearTimeout(timer);
      reject(err);
    });
  });
  const info = await ex.inspect();
  const { stdout, stderr } = demux(Buffer.concat(chunks));
  return { exitCode: info.ExitCode ?? -1, stdout, stderr };
}

/** Everything the container printed, over all its starts, with timestamps. */
export async function containerLog(containerId: string): Promise<string> {
  const buf = (await containerAt(containerId).logs({ stdout: true, stderr: true, timestamps: true, follow: false })) as unknown as Buffer;
  const { stdout, stderr } = demux(buf);
  return stdout + stderr;
}

/** A folder of a container (running or stopped) as a tar archive. */
export async function archiveOf(containerId: string, path: string): Promise<Buffer> {
  const stream = (await containerAt(containerId).getArchive({ path })) as NodeJS.ReadableStream;
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(Buffer.from(c as Buffer));
  return Buffer.concat(chunks);
}

/** The files under a path of a container (running or stopped): names relative to the path's folder. */
export async function filesOf(containerId: string, path: string): Promise<Array<{ name: string; content: Buffer }>> {
  const extract = tarStream.extract();
  const files: Array<{ name: string; content: Buffer }> = [];
  const done = new Promise<void>((resolve, reject) => {
    extract.on("entry", (header, stream, next) => {
      const parts: Buffer[] = [];
      stream.on("data", (c: unknown) => parts.push(c as Buffer));
      stream.on("end", () => {
        if (header.type === "file") files.push({ name: header.name, content: Buffer.concat(parts) });
        next();
      });
    });
    extract.on("finish", resolve);
    extract.on("error", reject);
  });
  Readable.from(await archiveOf(containerId, path)).pipe(extract);
  await done;
  return files;
}

/** One file of a container (running or stopped), as text. */
export async function readFileOf(containerId: string, path: string): Promise<string> {
  const [file] = await filesOf(containerId, path);
  if (!file) throw new Error(`${path} is not a file in the container`);
  return file.content.toString("utf8");
}

/** The names of a tar archive's file entries. */
export async function entryNames(tar: Buffer): Promise<string[]> {
  const extract = tarStream.extract();
  const names: string[] = [];
  const done = new Promise<void>((resolve, reject) => {
    extract.on("entry", (header, stream, next) => {
      if (header.type === "file") names.push(header.name);
      stream.on("end", next);
      stream.resume();
    });
    extract.on("finish", resolve);
    extract.on("error", reject);
  });
  Readable.from(tar).pipe(extract);
  await done;
  return names;
}

/** The same archive with every entry moved under `prefix/` (docker extracts only into folders that exist). */
export async function underPrefix(tar: Buffer, prefix: string): Promise<Buffer> {
  const extract = tarStream.extract();
  const pack = tarStream.pack();
  const out: Buffer[] = [];
  pack.on("data", (c: unknown) => out.push(c as Buffer));
  const done = new Promise<void>((resolve, reject) => {
    pack.on("end", resolve);
    pack.on("error", reject);
  });
  extract.on("entry", (header, stream, next) => {
    const entry = pack.entry({ ...header, name: `${prefix}/${header.name}` }, (err) => (err ? extract.destroy(err) : next()));
    stream.pipe(entry);
  });
  extract.on("finish", () => pack.finalize());
  extract.on("error", (err) => pack.destroy(err));
  Readable.from(tar).pipe(extract);
  await done;
  return Buffer.concat(out);
}
