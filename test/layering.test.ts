// The layering rules (.dependency-cruiser.cjs) hold for the code as it is, and they do fail when an
// import runs back up: a deliberate one in a scratch tree is caught, naming the rule.
import { expect } from "chai";
import { spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";

const ROOT = resolve(__dirname, "..");
const DEPCRUISE = join(ROOT, "node_modules", ".bin", "depcruise");

function cruise(cwd: string, targets: string[]) {
  const r = spawnSync(DEPCRUISE, [...targets, "--config", join(cwd, ".dependency-cruiser.cjs"), "--output-type", "err"], { cwd, encoding: "utf8", timeout: 60_000 });
  return { code: r.status, out: `${r.stdout}${r.stderr}` };
}

describe("layering: no import runs back up the data flow", function () {
  this.timeout(90_000);

  it("holds for src/ and drills/ as they are", () => {
    const r = cruise(ROOT, ["src", "drills"]);
    expect(r.code, r.out).to.equal(0);
    expect(r.out).to.include("no dependency violations found");
  });

  it("fails on a check importing the runtime and on a drill reaching past the drill interface, naming each rule", () => {
    const dir = mkdtempSync(join(tmpdir(), "zkdrill-layering-"));
    const files: Record<string, string> = {
      "src/runtime/ensemble.ts": "export const ensemble = 1;\n",
      "src/checks/bad.ts": 'import { ensemble } from "../runtime/ensemble";\nexport const x = ensemble;\n',
      "src/drill/runner.ts": "export const runDrill = 1;\n",
      "src/drill/index.ts": "export const drill = 1;\n",
      "drills/bad-drill.ts": 'import { ensemble } from "../src/runtime/ensemble";\nimport { drill } from "../src/drill";\nexport default [ensemble, drill];\n',
      "drills/past-the-interface.ts": 'import { runDrill } from "../src/drill/runner";\nexport default runDrill;\n',
      "drills/good-drill.ts": 'import { drill } from "../src/drill";\nexport default drill;\n',
      "tsconfig.json": JSON.stringify({ compilerOptions: { module: "commonjs", strict: true }, include: ["src", "drills"] }),
    };
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), text);
    }
    copyFileSync(join(ROOT, ".dependency-cruiser.cjs"), join(dir, ".dependency-cruiser.cjs"));
    const r = cruise(dir, ["src", "drills"]);
    expect(r.code, r.out).to.not.equal(0);
    expect(r.out).to.include("no-import-up-from-checks").and.include("src/checks/bad.ts → src/runtime/ensemble.ts");
    expect(r.out).to.include("drills-import-only-the-drill-interface").and.include("drills/bad-drill.ts → src/runtime/ensemble.ts");
    expect(r.out).to.include("drills/past-the-interface.ts → src/drill/runner.ts");
    expect(r.out).to.not.include("drills/good-drill.ts");
    expect(r.out).to.not.include("drills/bad-drill.ts → src/drill/index.ts");
  });

  it("keeps every source file under 350 lines (a room that grows past it is two rooms)", () => {
    const long: string[] = [];
    const walk = (dir: string) => {
      for (const name of readdirSync(dir)) {
        const p = join(dir, name);
        if (statSync(p).isDirectory()) walk(p);
        else if (/\.ts$/.test(name) && !/\.test\.ts$/.test(name)) {
          const lines = readFileSync(p, "utf8").split("\n").length;
          if (lines > 350) long.push(`${p.slice(ROOT.length + 1)}: ${lines} lines`);
        }
      }
    };
    walk(join(ROOT, "src"));
    walk(join(ROOT, "drills"));
    expect(long).to.deep.equal([]);
  });
});

