import { expect } from "chai";
import { patchToxiproxySource } from "./build";

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
