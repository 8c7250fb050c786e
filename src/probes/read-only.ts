// A read-only client on one member (ZooKeeper's canBeReadOnly): what a member cut from its quorum
// serves with readonlymode.enabled. Reads, one write that must be refused, reads again, each reply's
// zxid kept, on one session recorded in the history (the end-of-run session order judges it too).
import type { ReadOnlyReply, ReadOnlyServed } from "../checks";
import { errorText } from "../common";
import type { HistoryRecorder } from "../history";
import type { StartedEnsemble } from "../runtime";
import type { MemberId } from "../topology";
import { errorKind, ZkClient } from "../zk";

export const READ_ONLY_WRITE_PATH = "/zkdrill/read-only-write";

/**
 * Opens read-only sessions on `member` alone until one is served read-only (a member that lost its
 * quorum starts its read-only server a moment later) or `timeoutMs` passes; then reads `paths`,
 * tries one create, and reads `paths` again.
 */
export async function readOnlyService(e: StartedEnsemble, history: HistoryRecorder, member: MemberId, paths: readonly string[], timeoutMs: number): Promise<ReadOnlyServed> {
  const started = Date.now();
  let attempts = 0;
  let refused: string | undefined;
  let client: ZkClient | undefined;
  while (Date.now() - started < timeoutMs) {
    // A session is asked for only once srvr says the member serves: a client refused by a member that
    // serves nothing reconnects at once, and its sockets soon fill maxClientCnxns for this host.
    const mode = await e.fourLetter(member, "srvr").catch((err: Error) => errorText(err));
    if (!/^Mode: /m.test(mode)) {
      refused = `srvr: ${mode.split("\n")[0].slice(0, 120)}`;
      await new Promise((r) => setTimeout(r, 500));
      continue;
    }
    attempts++;
    const c = await ZkClient.connect(e.connectString([member]), {
      canBeReadOnly: true,
      connectTimeoutMs: Math.min(5_000, Math.max(1_000, timeoutMs - (Date.now() - started))),
      record: { history, role: `read-only client of member ${member}`, members: [member] },
    }).catch((err) => {
      refused = errorText(err);
      return undefined;
    });
    if (c?.readOnly) {
      client = c;
      break;
    }
    if (c) {
      refused = undefined;
      client = c;
      // Served read-write: the member still reaches a quorum; try again until its read-only server answers.
      if (Date.now() - started + 500 >= timeoutMs) break;
      c.close();
      client = undefined;
    }
    await new Promise((r) => setTimeout(r, 500));
  }
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
