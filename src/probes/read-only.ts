// A read-only client on one member (ZooKeeper's canBeReadOnly): what a member cut from its quorum
// serves with readonlymode.enabled. Reads, one write that must be refused, reads again, each reply's
// zxid kept, on one session recorded in the history (the end-of-run session order judges it too).
import type { ReadOnlyReply, ReadOnlyServed } from "../checks";
import { errorText, waitFor } from "../common";
import type { HistoryRecorder } from "../history";
import type { StartedEnsemble } from "../runtime";
import type { MemberId } from "../topology";
import { errorKind, ZkClient } from "../zk";

export const READ_ONLY_WRITE_PATH = "/zkdrill/read-only-write";

/**
 * Waits (bounded by `timeoutMs`) until srvr says `member` is in read-only mode (a member that lost its
 * quorum starts its read-only server a moment later), opens one read-only session on it alone; then
 * reads `paths`, tries one create, and reads `paths` again. A session is asked for only once srvr
 * says the member serves: a refused client reconnects at once, and a member that serves nothing
 * keeps those sockets until they fill maxClientCnxns for this host.
 */
export async function readOnlyService(e: StartedEnsemble, history: HistoryRecorder, member: MemberId, paths: readonly string[], timeoutMs: number): Promise<ReadOnlyServed> {
  const started = Date.now();
  let lastMode: string | undefined;
  let lastSeen = "no answer";
  const readOnly = await waitFor(
    `member ${member} in read-only mode`,
    async () => {
      const answer = await e.fourLetter(member, "srvr").catch((err: unknown) => `srvr failed: ${errorText(err)}`);
      lastMode = /^Mode: ([\w-]+)/m.exec(answer)?.[1];
      lastSeen = lastMode ? `Mode: ${lastMode}` : answer.split("\n")[0].slice(0, 120);
      return lastMode === "read-only" ? { done: true, value: true } : { done: false, seen: lastSeen };
    },
    { timeoutMs, intervalMs: 250 },
  ).catch(() => false);
  let refused = readOnly === true ? undefined : `srvr: ${lastSeen}`;
  // Still serving read-write at the deadline: one session shows what a client gets (the verdict says it kept its quorum).
  const attempts = readOnly === true || lastMode !== undefined ? 1 : 0;
  const client =
    attempts === 0
      ? undefined
      : await ZkClient.connect(e.connectString([member]), {
          canBeReadOnly: true,
          connectTimeoutMs: 5_000,
          record: { history, role: `read-only client of member ${member}`, members: [member] },
        }).catch((err) => {
          refused = errorText(err);
          return undefined;
        });
  if (client) refused = undefined;
  const base = { member, attempts, waitedMs: Date.now() - started };
  if (!client) return { ...base, readOnly: null, ...(refused ? { refused } : {}), replies: [] };
  try {
    const replies: ReadOnlyReply[] = [];
    const readAll = async () => {
      for (const path of paths) {
        const outcome = await client.getData(path).then(() => "ok", (err) => errorKind(err));
        replies.push({ op: "read", path, outcome, ...zxidOf(client) });
      }
    };
    await readAll();
    const outcome = await client.create(READ_ONLY_WRITE_PATH, client.uniqueData({ note: "a write a read-only server must refuse" })).then(() => "ok", (err) => errorKind(err));
    replies.push({ op: "write", path: READ_ONLY_WRITE_PATH, outcome, ...zxidOf(client) });
    await readAll();
    return { ...base, readOnly: client.readOnly, sessionId: client.sessionId, replies };
  } finally {
    client.close();
  }
}

const zxidOf = (c: ZkClient) => (c.lastReplyZxid ? { zxid: c.lastReplyZxid } : {});
