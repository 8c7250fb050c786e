import { expect } from "chai";
import { patchToxiproxySource, toxiproxyRecipe } from "./build";
import { recipeFile } from "./recipe";

// The shape of Toxiproxy 2.12's proxy.go around the accept loop (abridged).
const released = `package toxiproxy

func (proxy *Proxy) server() {
	for {
		client, err := proxy.listener.Accept()
		upstream, err := net.Dial("tcp", proxy.Upstream)
		if err != nil {
			client.Close()
			continue
		}
		proxy.Toxics.StartLink(proxy.apiServer, name+"upstream", client, upstream, stream.Upstream)
	}
}

func (proxy *Proxy) RemoveConnection(name string) {
}
`;

describe("Toxiproxy patch (image recipe)", () => {
  it("moves the upstream dial off the accept loop, with zkdrill's retry, and keeps the rest", () => {
    const out = patchToxiproxySource(released);
    expect(out).to.include("go func(client net.Conn) {");
    expect(out).to.include("zkdrillDialUpstream(proxy.Upstream)");
    expect(out).not.to.include('net.Dial("tcp", proxy.Upstream)');
    expect(out).to.include("client, err := proxy.listener.Accept()");
    expect(out).to.include("func (proxy *Proxy) RemoveConnection(name string) {");
  });

  it("refuses a proxy.go whose accept loop changed, naming what to update", () => {
    expect(() => patchToxiproxySource("package toxiproxy\n")).to.throw(/update recipes\/toxiproxy/);
  });
});

describe("Toxiproxy image recipe (FROM scratch)", () => {
  const dockerfile = recipeFile("toxiproxy", "Dockerfile");
  const instructions = dockerfile.split("\n").filter((l) => l.trim() && !l.startsWith("#"));

  it("is the static server alone: FROM scratch, no base image argument, nothing RUN (there is no shell)", () => {
    expect(instructions.filter((l) => /^FROM /i.test(l))).to.deep.equal(["FROM scratch"]);
    expect(dockerfile).to.not.match(/^ARG BASE|\$\{BASE\}|^RUN /m);
  });

  it("keeps what the gateways rely on: the server's path, its API on 8474, listening on every address", () => {
    expect(instructions).to.include("COPY toxiproxy-server /usr/local/bin/toxiproxy-server");
    expect(instructions).to.include('ENTRYPOINT ["/usr/local/bin/toxiproxy-server"]');
    expect(instructions).to.include('CMD ["-host=0.0.0.0", "-port=8474"]');
  });

  it("its hash moves with its own Dockerfile and patch, not with another image's files (no base image is in it)", () => {
    const edited = (file: string) => (...path: string[]) => recipeFile(...path) + (path.join("/") === file ? "\n# x" : "");
    const hash = toxiproxyRecipe();
    expect(toxiproxyRecipe()).to.equal(hash);
    for (const file of ["toxiproxy/Dockerfile", "toxiproxy/zkdrill_dial.go", "toxiproxy/proxy-accept.go.txt"]) {
      expect(toxiproxyRecipe(edited(file)), file).to.not.equal(hash);
    }
    expect(toxiproxyRecipe(edited("zookeeper/Dockerfile"))).to.equal(hash);
  });
});
