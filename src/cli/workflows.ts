// .github/workflows/drills.yml, generated from the catalog: the scheduled matrix is each drill on every
// version it applies to (an upgrade drill: its own from and to), never a hand-kept list
// (`zkdrill generate` writes it; a test fails when the committed file differs).
import { join } from "node:path";
import type { DrillDefinition } from "../drill";
import { buildableVersions } from "../drill/known-bug";
import { ZOOKEEPER_RELEASES } from "../images";
import { versionAtLeast } from "../topology";
import { ROOT } from "./catalog";

export const DRILLS_WORKFLOW = join(ROOT, ".github", "workflows", "drills.yml");

const HEAD = "# Scheduled DR drills: every catalog drill on real containers, full length (not --quick), on each\n# supported ZooKeeper version. Each run uploads its report folder and publishes its JUnit; a failed\n# drill fails its job. Generated from the catalog by `zkdrill generate` (a test keeps it so): do not edit.\nname: drills\non:\n  schedule:\n    - cron: \"17 3 * * 1\" # Mondays 03:17 UTC\n  workflow_dispatch:\n    inputs:\n      zookeeper:\n        description: \"ZooKeeper version (empty: the whole matrix)\"\n        required: false\n        default: \"\"\npermissions:\n  contents: read\n  checks: write\njobs:\n  drill:\n    runs-on: ubuntu-latest\n    timeout-minutes: 45\n    strategy:\n      fail-fast: false\n      matrix:\n";

const STEPS = "    steps:\n      - uses: actions/checkout@v4\n      - uses: actions/setup-node@v4\n        with:\n          node-version: 20\n      - uses: actions/setup-go@v5\n        with:\n          go-version: stable\n      - name: Cache built images' inputs (Maven, Go modules)\n        uses: actions/cache@v4\n        with:\n          path: |\n            ~/.m2/repository\n            ~/go/pkg/mod\n          key: zkdrill-${{ hashFiles('src/images/**') }}\n      - name: Run the drill\n        if: ${{ github.event.inputs.zookeeper == '' || github.event.inputs.zookeeper == matrix.zookeeper }}\n        run: sudo -E env \"PATH=$PATH\" npm run drill -- ${{ matrix.drill }} ${{ matrix.versions }} --report-dir reports/${{ matrix.drill }}-${{ matrix.zookeeper }}\n      - name: Upload the report folder\n        if: always()\n        uses: actions/upload-artifact@v4\n        with:\n          name: report-${{ matrix.drill }}-${{ matrix.zookeeper }}\n          path: reports/${{ matrix.drill }}-${{ matrix.zookeeper }}/\n          if-no-files-found: ignore\n      - name: Publish JUnit\n        if: always()\n        uses: mikepenz/action-junit-report@v4\n        with:\n          report_paths: reports/${{ matrix.drill }}-${{ matrix.zookeeper }}/junit.xml\n          check_name: drill ${{ matrix.drill }} (ZooKeeper ${{ matrix.zookeeper }})\n";

/** Interrupts at 20 seeded moments (CI tries 5): the abort fuzz of test/abort.test.ts, on its own runner. */
const ABORT_FUZZ = `  abort-fuzz:
    runs-on: ubuntu-latest
    timeout-minutes: 45
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-node@v4
        with:
          node-version: 20
      - uses: actions/setup-go@v5
        with:
          go-version: stable
      - name: Interrupt a drill at 20 seeded moments (SIGINT, SIGTERM, SIGKILL)
        run: sudo -E env "PATH=$PATH" ZKDRILL_ABORT_MOMENTS=20 ZKDRILL_ABORT_SEED=\${{ github.run_id }} bash -c 'bash scripts/setup.sh && npx mocha test/abort.test.ts'
`;

/**
 * After the matrix, whatever it did: each run folder of this run verified and packed (\`zkdrill report
 * pack\`; one that does not verify is kept as it is, so the trend lists it), added to the
 * drill-history branch (kept for years, unlike artifacts), \`zkdrill trend\` over every run kept, the
 * page published with GitHub Pages. The job fails after publishing when the trend flags anything.
 */
const HISTORY = `  history:
    needs: drill
    if: \${{ always() }}
    runs-on: ubuntu-latest
    timeout-minutes: 30
    permissions:
      contents: write
      pages: write
      id-token: write
    environment:
      name: github-pages
      url: \${{ steps.deploy.outputs.page_url }}
    steps:
      - uses: actions/checkout@v4
        with:
          fetch-depth: 0
      - uses: actions/setup-node@v4
        with:
          node-version: 20
      - run: npm ci
      - name: This run's report folders
        uses: actions/download-artifact@v4
        with:
          pattern: report-*
          path: incoming
      - name: Pack them into the drill-history branch
        run: |
          if git ls-remote --exit-code --heads origin drill-history >/dev/null; then
            git fetch origin drill-history && git worktree add kept drill-history
          else
            git worktree add --orphan -b drill-history kept
          fi
          mkdir -p kept/runs staging
          for d in incoming/report-*/; do
            [ -f "$d/journal.jsonl" ] || continue
            name="\${{ github.run_id }}-$(basename "$d" | sed 's/^report-//')"
            mv "$d" "staging/$name"
            npx zkdrill report pack "staging/$name" --out "kept/runs/$name.tar.gz" || tar czf "kept/runs/$name.tar.gz" -C staging "$name"
          done
          cd kept
          git add runs
          git -c user.name=zkdrill -c user.email=zkdrill@users.noreply.github.com commit -q -m "drill runs of \${{ github.run_id }}" || true
          git push origin drill-history
      - name: The trend over every run kept
        id: history
        run: |
          status=0
          npx zkdrill trend kept/runs --catalog --out site || status=$?
          cp site/history.html site/index.html
          echo "status=$status" >> "$GITHUB_OUTPUT"
          [ "$status" -le 1 ]
      - uses: actions/configure-pages@v5
      - uses: actions/upload-pages-artifact@v3
        with:
          path: site
      - id: deploy
        uses: actions/deploy-pages@v4
      - name: Fail when the history flags a regression or an overdue drill
        if: \${{ steps.history.outputs.status != '0' }}
        run: cat site/history.md && exit 1
`;

/** One job of the matrix: a drill on a version (`zookeeper` names it; `versions` are the run's flags). */
export interface MatrixEntry {
  readonly drill: string;
  readonly zookeeper: string;
  readonly versions: string;
}

/**
 * Each drill on every catalog version at or above its `versions.min`; an upgrade drill once, from its from
 * to its to. A known-bug drill fails on the versions it affects by design: scheduled, it runs on the first
 * version zkdrill builds that carries the fix, where it must pass (the affected runs are asked for by hand).
 */
export function drillMatrix(drills: ReadonlyArray<{ readonly ref: string; readonly def: Pick<DrillDefinition, "versions" | "upgrade" | "knownBug"> }>, versions: readonly string[] = Object.keys(ZOOKEEPER_RELEASES)): MatrixEntry[] {
  return drills.flatMap(({ ref, def }) => {
    const fixed = def.knownBug ? buildableVersions(def.knownBug).fixed[0] : undefined;
    if (def.upgrade && fixed) return [{ drill: ref, zookeeper: `${def.upgrade.from}-to-${fixed}`, versions: `--from-version ${def.upgrade.from} --to-version ${fixed}` }];
    if (fixed) return [{ drill: ref, zookeeper: fixed, versions: `--zk-version ${fixed}` }];
    if (def.upgrade) return [{ drill: ref, zookeeper: `${def.upgrade.from}-to-${def.upgrade.to}`, versions: `--from-version ${def.upgrade.from} --to-version ${def.upgrade.to}` }];
    const min = def.versions?.min;
    return versions.filter((v) => !min || versionAtLeast(v, min)).map((v) => ({ drill: ref, zookeeper: v, versions: `--zk-version ${v}` }));
  });
}

/** The scheduled workflow for this matrix. */
export function drillsWorkflow(matrix: readonly MatrixEntry[]): string {
  const entries = matrix.map((e) => `          - drill: ${e.drill}\n            zookeeper: ${JSON.stringify(e.zookeeper)}\n            versions: ${JSON.stringify(e.versions)}\n`).join("");
  return `${HEAD}        include:\n${entries}${STEPS}${HISTORY}${ABORT_FUZZ}`;
}
