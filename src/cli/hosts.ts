// zkdrill hosts: the Docker engines of other hosts a run can place zones on. `init` joins them and this
// machine's engine in one swarm (only engines in none are changed, each change printed); `show` says
// what each engine is and whether a run could use it.
import { Command } from "commander";
import { engineFacts, formSwarm, knownEngines, LOCAL_ENGINE, rememberEngines } from "../docker";
import { InputError } from "./catalog";

/** `ENDPOINT[@ADDR]`: the engine, and the address the other hosts reach it at. */
export function parseHostArg(arg: string): { endpoint: string; advertiseAddr?: string } {
  const at = arg.lastIndexOf("@");
  // ssh://user@host has an @ of its own: an address suffix is the @ after the URL's host part.
  if (at > 0 && /^(?:\d{1,3}\.){3}\d{1,3}$|^[0-9a-f:]+$/i.test(arg.slice(at + 1))) return { endpoint: arg.slice(0, at), advertiseAddr: arg.slice(at + 1) };
  if (arg.startsWith("tcp://") || arg.startsWith("ssh://")) return { endpoint: arg, advertiseAddr: new URL(arg).hostname };
  return { endpoint: arg };
}

export function hostsCommand(): Command {
  const cmd = new Command("hosts").description("other hosts' Docker engines for zones (a swarm's overlay networks join them)");
  cmd
    .command("init")
    .description("join this machine's engine and the given ones in one swarm; engines already in a swarm are left as they are")
    .argument("<engines...>", "ENGINE[@ADDR]: unix:///path.sock@10.0.0.2, tcp://zk2:2376, ssh://ops@zk3 (ADDR: where the other hosts reach it)")
    .option("--advertise-addr <addr>", "the address the other hosts reach this machine's engine at (needed when it is in no swarm yet)")
    .action(async (engines: string[], opts: { advertiseAddr?: string }) => {
      const others = engines.map(parseHostArg);
      if (others.some((o) => o.endpoint === LOCAL_ENGINE)) throw new InputError("hosts init: this machine's engine is always in; list only the other hosts' engines");
      for (const line of await formSwarm({ endpoint: LOCAL_ENGINE, advertiseAddr: opts.advertiseAddr }, others)) console.log(line);
      rememberEngines(others.map((o) => o.endpoint));
      console.log(`place zones on them with: zkdrill run <drill> --hosts ZONE=ENGINE,...`);
    });
  cmd
    .command("show")
    .description("each known engine: version, swarm state, memory")
    .action(async () => {
      let bad = 0;
      for (const endpoint of knownEngines()) {
        try {
          const f = await engineFacts(endpoint);
          console.log(`${endpoint}: Docker ${f.version}, swarm ${f.swarm}${f.nodeAddr ? ` at ${f.nodeAddr}` : ""}, ${f.cpus} CPUs, ${(f.memoryBytes / 1024 ** 3).toFixed(1)} GiB`);
        } catch (err) {
          bad++;
          console.log(`${endpoint}: ${(err as Error).message}`);
        }
      }
      if (bad > 0) process.exitCode = 2;
    });
  return cmd;
}
