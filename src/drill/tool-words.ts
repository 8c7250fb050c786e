// ZooKeeper's own tools inside a member, and what the members' processes show: each a journaled step.
import { waitFor } from "../common";
import { logLinesSince } from "../probes";
import { MemberId, ZK_PATHS } from "../topology";
import type { RunCore } from "./core";
import { SUPERUSER } from "./superuser";

export class ToolWords {
  constructor(private readonly run: RunCore) {}

  /** The snapshot and transaction log files member `id` holds now (its container running), journaled. */
  async dataFiles(id: MemberId): Promise<{ snapshots: string[]; logs: string[] }> {
    const dirs = [ZK_PATHS.dataDir, ZK_PATHS.dataLogDir].map((d) => `${d}/version-2`).join(" ");
    const r = await this.run.ensemble.exec(id, ["sh", "-c", `ls ${dirs} 2>/dev/null || true`]);
    const names = r.stdout.split(/\s+/).filter((n) => /^(snapshot|log)\./.test(n));
    this.run.journal.append("note", { what: "data files", member: id, files: names });
    return { snapshots: names.filter((n) => n.startsWith("snapshot.")), logs: names.filter((n) => n.startsWith("log.")) };
  }

  /**
   * Member `id`'s transaction logs with their sizes, oldest first (running or stopped: read from its
   * container's files, so a stopped member's damaged log shows as it is), journaled.
   */
  async dataLogFiles(id: MemberId): Promise<Array<{ name: string; bytes: number }>> {
    const dir = `${ZK_PATHS.dataLogDir}/version-2`;
    const files = (await this.run.ensemble.files(id, dir))
      .map((f) => ({ name: f.name.split("/").pop()!, bytes: f.content.length }))
      .filter((f) => /^log\.[0-9a-f]+$/i.test(f.name))
      .sort((a, b) => (BigInt(`0x${a.name.slice(4)}`) < BigInt(`0x${b.name.slice(4)}`) ? -1 : 1));
    this.run.journal.append("note", { what: "transaction log files", member: id, files });
    return files;
  }

  /** zkCli inside a member (`get /zookeeper/config`), output journaled. */
  async zkCli(member: MemberId, args: readonly string[]): Promise<string> {
    return this.run.step(`zkCli on member ${member}: ${args.join(" ")}`, async () => {
      const r = await this.run.ensemble.zkCli(member, args);
      this.run.journal.append("note", { what: "zkCli", member, args, exitCode: r.exitCode, output: r.stdout.slice(-4000) });
      if (r.exitCode !== 0) throw new Error(`zkCli exited ${r.exitCode}: ${r.stderr.trim().split("\n").slice(-3).join(" | ")}`);
      return r.stdout;
    });
  }

  /** zkCli as the digest superuser (reconfig needs it), the commands in one session after `addauth`. */
  async zkCliAsSuperuser(member: MemberId, commands: readonly string[]): Promise<string> {
    return this.run.step(`zkCli on member ${member} as the superuser: ${commands.join("; ")}`, async () => {
      const r = await this.run.ensemble.zkCliScript(member, [`addauth digest ${SUPERUSER.user}:${SUPERUSER.password}`, ...commands]);
      const out = `${r.stdout}\n${r.stderr}`;
      this.run.journal.append("note", { what: "zkCli", member, commands, exitCode: r.exitCode, output: out.slice(-4000) });
      if (r.exitCode !== 0) throw new Error(`zkCli exited ${r.exitCode}: ${out.trim().split("\n").slice(-5).join(" | ")}`);
      return out;
    });
  }

  /** When each member's process last started (a restart shows as a later time). */
  async startTimes(members: readonly MemberId[]): Promise<Record<string, string>> {
    return Object.fromEntries(await Promise.all(members.map(async (id) => [String(id), await this.run.ensemble.startedAt(id)] as const)));
  }

  /**
   * Waits until member `id`'s log shows `count` lines (default 1) matching `pattern` written at or after
   * `sinceMs` (a moment the next step must follow: a follower that gave up on its leader); returns the last.
   */
  waitForLogLine(id: MemberId, pattern: RegExp, sinceMs: number, o: { count?: number; timeoutMs?: number } = {}): Promise<string> {
    const count = o.count ?? 1;
    const what = `${count > 1 ? `${count} lines matching ` : ""}/${pattern.source}/`;
    return this.run.step(`member ${id}'s log shows ${what}`, async () => {
      const line = await this.run.unlessStopped(
        waitFor(`member ${id}'s log to show ${what}`, async () => {
          const found = logLinesSince(await this.run.ensemble.log(id), sinceMs, [pattern]);
          return found.length >= count ? { done: true, value: found[count - 1] } : { done: false, seen: `${found.length} of ${count}` };
        }, { timeoutMs: o.timeoutMs ?? 60_000, intervalMs: 250 }),
      );
      this.run.journal.append("note", { what: "log line", member: id, pattern: pattern.source, line: line.slice(0, 500) });
      return line;
    });
  }

  /** Waits until a member's process has exited (a refused config: P5's failed restart). */
  waitUntilStopped(id: MemberId, timeoutMs = 60_000): Promise<void> {
    return this.run.step(`member ${id}'s process exits`, () =>
      waitFor(`member ${id}'s container to stop`, async () => ((await this.run.ensemble.state(id)) === "stopped" ? { done: true, value: undefined } : { done: false, seen: await this.run.ensemble.state(id) }), { timeoutMs, intervalMs: 200 }),
    );
  }
}
