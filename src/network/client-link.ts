// One client's own path to the members: an in-process TCP proxy per member on 127.0.0.1, so a drill
// can cut that client alone while the ensemble and every other client stay healthy (a client
// partition). In-process rather than a Toxiproxy proxy: the gateways exist only in multi-zone
// topologies and publish their ports when created, so a proxy per opened client cannot be added to
// them; here, what a cut does is plain: every byte held both ways (a partition with TCP's
// retransmissions: nothing lost, nothing delivered, nothing closed) until the heal.
import net from "node:net";

export interface LinkTarget {
  readonly host: string;
  readonly port: number;
}

interface Pair {
  readonly client: net.Socket;
  upstream?: net.Socket;
  readonly target: LinkTarget;
  /** A side that closed while the link was cut: the other learns it at the heal. */
  closedWhileCut?: "client" | "upstream";
}

export class ClientLink {
  #cut = false;
  readonly #pairs = new Set<Pair>();

  private constructor(
    private readonly servers: readonly net.Server[],
    /** Where the client connects instead of each target, in the targets' order. */
    readonly endpoints: readonly LinkTarget[],
  ) {}

  /** Listens on 127.0.0.1 (a free port) for each target. */
  static async open(targets: readonly LinkTarget[]): Promise<ClientLink> {
    const servers: net.Server[] = [];
    const endpoints: LinkTarget[] = [];
    let link: ClientLink | undefined;
    for (const target of targets) {
      const server = net.createServer((client) => link?.accept(client, target));
      await new Promise<void>((resolve, reject) => {
        server.once("error", reject);
        server.listen(0, "127.0.0.1", () => resolve());
      });
      servers.push(server);
      endpoints.push({ host: "127.0.0.1", port: (server.address() as net.AddressInfo).port });
    }
    link = new ClientLink(servers, endpoints);
    return link;
  }

  /** The connect string for the client: its own endpoints, in the targets' order. */
  get connectString(): string {
    return this.endpoints.map((e) => `${e.host}:${e.port}`).join(",");
  }

  get isCut(): boolean {
    return this.#cut;
  }

  /** Connections open now (for tests and notes). */
  get connections(): number {
    return this.#pairs.size;
  }

  private accept(client: net.Socket, target: LinkTarget): void {
    const pair: Pair = { client, target };
    this.#pairs.add(pair);
    client.on("error", () => undefined); // a reset is a close; 'close' follows
    client.on("close", () => this.closed(pair, "client"));
    // Across a cut the caller's connection is taken by the kernel, but nothing reaches the member.
    if (this.#cut) client.pause();
    else this.dial(pair);
  }

  private dial(pair: Pair): void {
    const upstream = net.connect(pair.target.port, pair.target.host);
    pair.upstream = upstream;
    upstream.on("error", () => undefined);
    upstream.on("close", () => this.closed(pair, "upstream"));
    if (!this.#cut) this.flow(pair);
  }

  private flow(pair: Pair): void {
    pair.client.pipe(pair.upstream!);
    pair.upstream!.pipe(pair.client);
  }

  private hold(pair: Pair): void {
    pair.client.unpipe();
    pair.client.pause();
    pair.upstream?.unpipe();
    pair.upstream?.pause();
  }

  private closed(pair: Pair, side: "client" | "upstream"): void {
    if (!this.#pairs.has(pair)) return;
    if (this.#cut) {
      pair.closedWhileCut ??= side;
      return;
    }
    this.#pairs.delete(pair);
    pair.client.destroy();
    pair.upstream?.destroy();
  }

  /** Every connection of this client held both ways, and new ones held before they reach a member. */
  cut(): void {
    if (this.#cut) return;
    this.#cut = true;
    for (const pair of this.#pairs) this.hold(pair);
  }

  /** Bytes flow again; a close that happened across the cut now reaches the other side. */
  heal(): void {
    if (!this.#cut) return;
    this.#cut = false;
    for (const pair of [...this.#pairs]) {
      if (pair.closedWhileCut) this.closed(pair, pair.closedWhileCut);
      else if (!pair.upstream) this.dial(pair);
      else this.flow(pair);
    }
  }

  close(): void {
    this.#cut = false;
    for (const pair of this.#pairs) {
      pair.client.destroy();
      pair.upstream?.destroy();
    }
    this.#pairs.clear();
    for (const s of this.servers) s.close();
  }
}
