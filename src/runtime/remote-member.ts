// A member on another host's engine. testcontainers drives one engine per process (the local one),
// so a member elsewhere is created with that engine's own API: the same image, name, hostname, files,
// labels and capabilities as a local member (member-container.ts), on its zone's overlay network,
// and awaited on the same log line. It publishes no port: the host reaches it through its gateway.
import { containerAt, engineAt, holdContainer, RESOLVER_OPTIONS, putFiles } from "../docker";
import { hostnameOf } from "../topology";
import { MEMBER_READY, MEMBER_START_MS, memberAssets, MemberContainerSpec, memberEnv, memberLabels } from "./member-container";

const POLL_MS = 500;

/** Creates, fills and starts the member on `endpoint`; resolves once it listens, with its container id. */
export async function startRemoteMember(endpoint: string, s: MemberContainerSpec): Promise<string> {
  const created = await engineAt(endpoint).createContainer({
    name: s.name,
    Hostname: hostnameOf(s.id),
    Image: s.image,
    Labels: memberLabels(s),
    Env: Object.entries(memberEnv(s)).map(([k, v]) => `${k}=${v}`),
    Entrypoint: ["sh", "/zkdrill/zk-run.sh"],
    Cmd: [],
    HostConfig: { CapAdd: ["NET_ADMIN"], NetworkMode: s.network, DnsOptions: RESOLVER_OPTIONS },
    NetworkingConfig: { EndpointsConfig: { [s.network]: { Aliases: [hostnameOf(s.id)] } } },
  });
  holdContainer(created.id, endpoint);
  holdContainer(s.name, endpoint);
  await putFiles(created.id, memberAssets(s));
  for (const a of s.restore) await created.putArchive(a.tar(), { path: a.target });
  await created.start();
  await awaitLogLine(created.id, s.name, s.logTail);
  return created.id;
}

/** Polls the container's log (bounded) until the member says it listens; a container that exits first fails at once. */
async function awaitLogLine(id: string, name: string, tail?: string[]): Promise<void> {
  const deadline = Date.now() + MEMBER_START_MS;
  while (Date.now() < deadline) {
    const c = containerAt(id);
    const log = ((await c.logs({ stdout: true, stderr: true, follow: false })) as unknown as Buffer).toString("utf8");
    if (tail) tail.splice(0, tail.length, ...log.split("\n").filter(Boolean).slice(-20));
    if (MEMBER_READY.test(log)) return;
    if (!(await c.inspect()).State.Running) throw new Error(`${name} exited before it listened`);
    await new Promise((r) => setTimeout(r, POLL_MS)); // a poll interval, bounded by the deadline
  }
  throw new Error(`${name} did not say "binding to port" within ${MEMBER_START_MS / 1000} s`);
}
