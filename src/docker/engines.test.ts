import { expect } from "chai";
import { dockerodeOptions } from "./engines";

describe("engine endpoints, as Docker's clients write them", () => {
  it("takes a unix socket, tcp and ssh", () => {
    expect(dockerodeOptions("unix:///var/run/docker-h1.sock")).to.deep.equal({ socketPath: "/var/run/docker-h1.sock" });
    expect(dockerodeOptions("tcp://10.0.0.2:2375")).to.include({ host: "10.0.0.2", port: 2375, protocol: "http" });
    expect(dockerodeOptions("ssh://ops@zk3")).to.include({ protocol: "ssh", host: "zk3", username: "ops", port: 22 });
  });

  it("names the endpoint and the forms it takes when it is none of them", () => {
    expect(() => dockerodeOptions("http://zk2")).to.throw(/host http:\/\/zk2: not an engine endpoint; give unix:\/\/\/path\/docker.sock, tcp:\/\/HOST:PORT/);
    expect(() => dockerodeOptions("no-such-context")).to.throw(/no Docker context of that name/);
  });
});
