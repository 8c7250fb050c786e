import { expect } from "chai";
import { join } from "node:path";
import { debianArchiveOf, debianMirror, parseDeb822Sources, parseOneLineSources, readAptSources } from "./apt-sources";
import { ImageInputError } from "./catalog";

const fixture = (name: string) => join(__dirname, "test-fixtures", "apt", name);

describe("Debian mirror from the machine's apt sources (base image)", () => {
  it("deb822: the first Debian stanza's URI, not security's; renamed (disabled) files ignored", () => {
    const sources = readAptSources(fixture("deb822"));
    expect(sources.map((s) => s.uris[0])).to.deep.equal(["http://deb.debian.org/debian", "http://deb.debian.org/debian-security"]);
    expect(sources[0].suites).to.deep.equal(["bookworm", "bookworm-updates"]);
    expect(debianMirror({}, fixture("deb822"))).to.equal("http://deb.debian.org/debian");
  });

  it("one-line: options in brackets, comments and deb-src skipped, trailing slash dropped", () => {
    const sources = readAptSources(fixture("one-line"));
    expect(sources[0]).to.include({ file: join(fixture("one-line"), "sources.list") });
    expect(sources[0].types).to.deep.equal(["deb-src"]);
    expect(sources[2].uris).to.deep.equal(["http://mirror.example.org/debian/"]);
    expect(sources[2].components).to.deep.equal(["main", "contrib"]);
    expect(debianMirror({}, fixture("one-line"))).to.equal("http://mirror.example.org/debian");
  });

  it("skips third-party repositories, apt-only methods and disabled stanzas; reads a folded Signed-By", () => {
    const sources = readAptSources(fixture("third-party-first"));
    expect(sources.map((s) => s.uris[0])).to.deep.equal([
      "https://download.example.com/linux/debian",
      "https://deb.example.com/node_20.x",
      "mirror+file:///etc/apt/mirrors/debian.list",
      "https://cache.example.net/debian/",
    ]);
    expect(debianMirror({}, fixture("third-party-first"))).to.equal("https://cache.example.net/debian");
  });

  it("ZKDRILL_DEBIAN_MIRROR wins over apt", () => {
    expect(debianMirror({ ZKDRILL_DEBIAN_MIRROR: "http://local.example.org/debian/" }, fixture("deb822"))).to.equal("http://local.example.org/debian");
  });

  it("no Debian archive (an Ubuntu host, or no sources) asks for ZKDRILL_DEBIAN_MIRROR, as bad input", () => {
    for (const name of ["ubuntu", "none", "no-such-folder"]) {
      expect(() => debianMirror({}, fixture(name)), name)
        .to.throw(ImageInputError)
        .with.property("message")
        .that.matches(/set ZKDRILL_DEBIAN_MIRROR=/);
    }
  });

  it("parses each format from text", () => {
    const one = parseOneLineSources("deb [trusted=yes] file:/srv/debian bookworm main\n# deb http://x/ y main\n");
    expect(one).to.have.length(1);
    expect(debianArchiveOf(one)).to.equal("file:/srv/debian");
    const deb822 = parseDeb822Sources("Types: deb\nURIs: http://a.example/debian http://b.example/debian\nSuites: stable\nComponents: main\n");
    expect(deb822[0].uris).to.have.length(2);
    expect(debianArchiveOf(deb822)).to.equal("http://a.example/debian");
    expect(debianArchiveOf(parseDeb822Sources("Types: deb-src\nURIs: http://a.example/debian\nSuites: bookworm\nComponents: main\n"))).to.equal(undefined);
  });
});
