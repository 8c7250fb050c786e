import { expect } from "chai";
import type { Journal } from "../journal/journal";
import type { HistoryRecorder } from "../history/recorder";
import type { StartedEnsemble } from "../runtime/ensemble";
import { compose } from "./compose";
import { drillContext } from "./context";
import { RunCore } from "./core";

class Counter {
  #count = 0;
  constructor(private readonly step: number) {}
  bump(): number {
    this.#count += this.step;
    return this.#count;
  }
  get count(): number {
    return this.#count;
  }
}

class Greeter {
  hello(name: string): string {
    return `hello ${name}`;
  }
}

describe("drill words composed from parts", () => {
  it("carries each part's methods and getters, bound to the part that owns them", () => {
    const words = compose(new Counter(2), new Greeter());
    const bump = words.bump;
    bump();
    expect(words.bump()).to.equal(4);
    expect(words.count).to.equal(4);
    expect(words.hello("zk")).to.equal("hello zk");
  });

  it("keeps a part's own fields and #private helpers off the composed object", () => {
    const words = compose(new Counter(1)) as unknown as Record<string, unknown>;
    expect(Object.keys(words).sort()).to.deep.equal(["bump", "count"]);
  });

  it("refuses a word two parts define, naming both", () => {
    class OtherGreeter {
      hello(): string {
        return "hi";
      }
    }
    expect(() => compose(new Greeter(), new OtherGreeter())).to.throw(/hello is defined by both Greeter and OtherGreeter/);
  });

  it("composes the real parts of a drill with no word defined twice, and no machinery on the words", () => {
    const ensemble = { topology: { members: [] } } as unknown as StartedEnsemble;
    const run = new RunCore(ensemble, {} as Journal, {} as HistoryRecorder, 1, true, () => {});
    const d = drillContext(run, {}) as unknown as Record<string, unknown>;
    for (const word of ["kill", "partition", "newLineage", "zkCli", "startWorkload", "waitForQuorum", "step", "members"]) expect(d[word], word).to.be.a("function");
    for (const machinery of ["ensemble", "journal", "history", "faults"]) expect(d[machinery], machinery).to.equal(undefined);
    expect((d.expect as Record<string, unknown>).leaderIn).to.be.a("function");
    expect((d.expect as Record<string, unknown>).memberExits).to.be.a("function");
  });
});
