// Child processes with a bound on time and a tail of output kept for the error message.
import { spawn } from "node:child_process";

export interface ExecOptions {
  readonly cwd?: string;
  readonly env?: NodeJS.ProcessEnv;
  readonly timeoutMs: number;
  /** Called with each output line (stdout and stderr), e.g. to show progress. */
  readonly onLine?: (line: string) => void;
  /** Bytes piped to stdin, then closed. */
  readonly input?: NodeJS.ReadableStream;
}

export interface ExecResult {
  readonly stdout: string;
  readonly stderr: string;
}

export class ExecError extends Error {
  constructor(
    readonly command: string,
    readonly code: number | null,
    readonly tail: string,
  ) {
    super(`${command} failed (${code === null ? "killed: time limit" : `exit ${code}`}):\n${tail}`);
    this.name = "ExecError";
  }
}

const KEEP = 64 * 1024;

export function exec(cmd: string, args: readonly string[], opts: ExecOptions): Promise<ExecResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: opts.cwd, env: opts.env ?? process.env, stdio: [opts.input ? "pipe" : "ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    let partial = "";
    const feed = (chunk: Buffer, which: "out" | "err") => {
      const text = chunk.toString("utf8");
      if (which === "out") stdout = (stdout + text).slice(-KEEP);
      else stderr = (stderr + text).slice(-KEEP);
      if (!opts.onLine) return;
      const lines = (partial + text).split("\n");
      partial = lines.pop() ?? "";
      for (const line of lines) opts.onLine(line);
    };
    child.stdout!.on("data", (c: Buffer) => feed(c, "out"));
    child.stderr!.on("data", (c: Buffer) => feed(c, "err"));
    if (opts.input) opts.input.pipe(child.stdin!);
    const timer = setTimeout(() => child.kill("SIGKILL"), opts.timeoutMs);
    child.on("error", (err) => {
      clearTimeout(timer);
      reject(new ExecError(`${cmd} ${args.join(" ")}`, -1, err.message));
    });
    child.on("close", (code) => {
      clearTimeout(timer);
      if (code === 0) resolve({ stdout, stderr });
      else {
        // Some tools (Maven) print their errors on stdout and only colour codes on stderr: keep the one that says something.
        const said = (t: string) => t.replace(/\x1b\[[0-9;]*m/g, "").trim();
        const detail = said(stderr) ? stderr : stdout;
        reject(new ExecError(`${cmd} ${args.join(" ")}`, code, said(detail).split("\n").slice(-25).join("\n")));
      }
    });
  });
}
