// Links between members cut or degraded inside the members themselves, with iptables (the container
// has NET_ADMIN, never privileged): what the zone gateways cannot do (one member of a zone, a shape
// that splits a zone, loss on one link). Rules sit in a chain of their own, so healing is one flush.
// Each rule is on the sender, against the address it reaches the peer at (the peer's own, or its
// gateway's in another zone), so other members' traffic through the same gateway is untouched.
import type { StartedEnsemble } from "../runtime";
import { hostnameOf, MemberId } from "../topology";
import type { CutLink } from "./shapes";

import { MEMBER_LINK_CHAIN as CHAIN } from "../probes";

export class MemberLinks {
  /** Members with rules in force (healing flushes only those). */
  private readonly touched = new Set<MemberId>();

  constructor(private readonly e: StartedEnsemble) {}

  private async sh(id: MemberId, script: string): Promise<string> {
    const r = await this.e.exec(id, ["sh", "-c", script], 20_000);
    if (r.exitCode !== 0) {
      const why = `${r.stderr}${r.stdout}`.trim().split("\n").slice(-3).join(" | ");
      throw new Error(`iptables in member ${id} failed (${why}); member links need zkdrill's image (it has iptables) and a running member`);
    }
    return r.stdout;
  }

  /** The chain, hooked into INPUT and OUTPUT once (idempotent). */
  private async ready(id: MemberId): Promise<void> {
    if (this.touched.has(id)) return;
    await this.sh(id, `iptables -N ${CHAIN} 2>/dev/null; iptables -C OUTPUT -j ${CHAIN} 2>/dev/null || iptables -I OUTPUT -j ${CHAIN}`);
    this.touched.add(id);
  }

  /** The address `from` reaches `to` at, as its resolver answers (what ZooKeeper itself connects to). */
  private async addressOf(from: MemberId, to: MemberId): Promise<string> {
    const out = await this.sh(from, `getent hosts ${hostnameOf(to)} | awk '{print $1; exit}'`);
    const ip = out.trim();
    if (!/^\d+\.\d+\.\d+\.\d+$/.test(ip)) throw new Error(`member ${from} cannot resolve ${hostnameOf(to)} (got ${JSON.stringify(out.trim())})`);
    return ip;
  }

  /** Every directed link cut: dropped silently, or refused with a TCP reset. Returns the rules added. */
  async cut(links: readonly CutLink[]): Promise<string[]> {
    const rules: string[] = [];
    for (const l of links) {
      await this.ready(l.from);
      const ip = await this.addressOf(l.from, l.to);
      // A port cut (the quorum port alone) is TCP to that port; a whole cut rejects TCP, drops everything.
      const match = l.port === undefined ? (l.mode === "reject" ? " -p tcp" : "") : ` -p tcp --dport ${l.port}`;
      const rule = `-d ${ip}${match} -j ${l.mode === "reject" ? "REJECT --reject-with tcp-reset" : "DROP"}`;
      await this.sh(l.from, `iptables -A ${CHAIN} ${rule}`);
      rules.push(`member ${l.from}: ${rule} (to ${hostnameOf(l.to)})`);
    }
    return rules;
  }

  /** A share of the packets from `from` to each of `to` dropped at random (iptables statistic). */
  async loss(from: MemberId, to: readonly MemberId[], share: number): Promise<string[]> {
    if (!(share > 0 && share < 1)) throw new Error(`loss: ${share} is not a share between 0 and 1 (e.g. 0.1 for 10 %)`);
    await this.ready(from);
    const rules: string[] = [];
    for (const peer of to) {
      const rule = `-d ${await this.addressOf(from, peer)} -m statistic --mode random --probability ${share} -j DROP`;
      await this.sh(from, `iptables -A ${CHAIN} ${rule}`);
      rules.push(`member ${from}: ${rule} (to ${hostnameOf(peer)})`);
    }
    return rules;
  }

  /** Every rule removed, on every member that had some (a stopped member's rules went with its process). */
  async heal(): Promise<MemberId[]> {
    const healed: MemberId[] = [];
    for (const id of [...this.touched]) {
      if ((await this.e.state(id)) === "running") await this.sh(id, `iptables -F ${CHAIN}`);
      this.touched.delete(id);
      healed.push(id);
    }
    return healed;
  }

  get inForce(): boolean {
    return this.touched.size > 0;
  }
}
