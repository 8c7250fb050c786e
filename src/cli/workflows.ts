// .github/workflows/drills.yml, generated from the catalog: the scheduled matrix is each drill on every
// version it applies to (an upgrade drill: its own from and to), and each known-bug drill on every version
// the bug affects or is fixed in, judged by `zkdrill report bug`; never a hand-kept list
// (`zkdrill generate` writes it; a test fails when the committed file differs).
import { join } from "node:path";
import type { DrillDefinition } from "../drill";
import { bugRuns, BugRun } from "../drill/known-bug";
import { ZOOKEEPER_RELEASES } from "../images";
import { versionAtLeast } from "../topology";
import { ROOT } from "./catalog";

export const DRILLS_WORKFLOW = join(ROOT, ".github", "workflows", "drills.yml");

const HEAD = "# Scheduled DR drills: every catalog drill on real containers, full length (not --quick), on each\n# supported ZooKeeper version. Each run uploads its report folder and publishes its JUnit; a failed\n# drill fails its job. Known-bug drills run on every version their bug affects or is fixed in, each\n# judged by `zkdrill report bug` (reproduced where affected, not where fixed).\n# Generated from the catalog by `zkdrill generate` (a test keeps it so): do not edit.\nname: drills\non:\n  schedule:\n    - cron: \"17 3 * * 1\" # Mondays 03:17 UTC\n  workflow_dispatch:\n    inputs:\n      zookeeper:\n        description: \"ZooKeeper version (empty: the whole matrix)\"\n        required: false\n        default: \"\"\npermissions:\n  contents: read\n  checks: write\njobs:\n  drill:\n    runs-on: ubuntu-latest\n    timeout-minutes: 45\n    strategy:\n      fail-fast: false\n      matrix:\n";

/** Asked for a version by hand (workflow_dispatch): the jobs of other versions do nothing. */
const THIS_VERSION = "${{ github.event.inputs.zookeeper == '' || github.event.inputs.zookeeper == matrix.zookeeper }}";

/** Checkout, Node, Go and the cache of what the images are built from: every drill job starts so. */
const SETUP = "    steps:\n      - uses: actions/checkout@v4\n      - uses: actions/setup-node@v4\n        with:\n          node-version: 20\n      - uses: actions/setup-go@v5\n        with:\n          go-version: stable\n      - name: Cache built images' inputs (Maven, Go modules)\n        uses: actions/cache@v4\n        with:\n          path: |\n            ~/.m2/repository\n            ~/go/pkg/mod\n          key: zkdrill-${{ hashFiles('src/images/**') }}\n";

const STEPS = SETUP + "      - name: Run the drill\n        if: " + THIS_VERSION + "\n        run: sudo -E env \"PATH=$PATH\" npm run drill -- ${{ matrix.drill }} ${{ matrix.versions }} --report-dir reports/${{ matrix.drill }}-${{ matrix.zookeeper }}\n      - name: Upload the report folder\n        if: always()\n        uses: actions/upload-artifact@v4\n        with:\n          name: report-${{ matrix.drill }}-${{ matrix.zookeeper }}\n          path: reports/${{ matrix.drill }}-${{ matrix.zookeeper }}/\n          if-no-files-found: ignore\n      - name: Publish JUnit\n        if: always()\n        uses: mikepenz/action-junit-report@v4\n        with:\n          report_paths: reports/${{ matrix.drill }}-${{ matrix.zookeeper }}/junit.xml\n          check_name: drill ${{ matrix.drill }} (ZooKeeper ${{ matrix.zookeeper }})\n";

/**
 * Each known bug on each version it affects or is fixed in. On an affected version the drill fails by
 * design, so its exit code decides nothing: \`zkdrill report bug\` judges the run folder (reproduced where
 * affected, not where fixed) and fails the job when the run did not show what its version promises.
 */
function knownBugsJob(runs: readonly BugMatrixEntry[]): string {
  const dir = "reports/${{ matrix.drill }}-${{ matrix.zookeeper }}";
  const entries = runs.map((e) => `          - drill: ${e.drill}\n            zookeeper: ${JSON.stringify(e.zookeeper)}\n            expect: ${JSON.stringify(e.expect)}\n`).join("");
  return `  known-bugs:
    name: \${{ matrix.drill }} on ZooKeeper \${{ matrix.zookeeper }} (\${{ matrix.expect }})
    runs-on: ubuntu-latest
    timeout-minutes: 45
    strategy:
      fail-fast: false
      matrix:
        include:
${entries}${SETUP}      - name: Run the drill (on an affected version it fails by design; the next step judges the run)
        if: ${THIS_VERSION}
        continue-on-error: true
        run: sudo -E env "PATH=$PATH" npm run drill -- \${{ matrix.drill }} --zk-version \${{ matrix.zookeeper }} --report-dir ${dir}
      - name: Reproduced where affected, not where fixed
        if: ${THIS_VERSION}
        run: npm run zkdrill -- report bug ${dir}
      - name: Upload the report folder
        if: always()
        uses: actions/upload-artifact@v4
        with:
          name: report-\${{ matrix.drill }}-\${{ matrix.zookeeper }}
          path: ${dir}/
          if-no-files-found: ignore
`;
}

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
    needs: [drill, known-bugs]
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

type CatalogDrill = { readonly ref: string; readonly def: Pick<DrillDefinition, "versions" | "upgrade" | "knownBug"> };

/**
 * Each drill on every catalog version at or above its `versions.min`; an upgrade drill once, from its from
 * to its to. Known-bug drills are not here: they fail on the versions they affect by design, and have a
 * job of their own (bugMatrix).
 */
export function drillMatrix(drills: ReadonlyArray<CatalogDrill>, versions: readonly string[] = Object.keys(ZOOKEEPER_RELEASES)): MatrixEntry[] {
  return drills.flatMap(({ ref, def }) => {
    if (def.knownBug) return [];
    if (def.upgrade) return [{ drill: ref, zookeeper: `${def.upgrade.from}-to-${def.upgrade.to}`, versions: `--from-version ${def.upgrade.from} --to-version ${def.upgrade.to}` }];
    const min = def.versions?.min;
    return versions.filter((v) => !min || versionAtLeast(v, min)).map((v) => ({ drill: ref, zookeeper: v, versions: `--zk-version ${v}` }));
  });
}

/** One job of the known-bugs matrix: a known-bug drill on a version (its --zk-version: an upgrade drill's target), and what it must show. */
export interface BugMatrixEntry {
  readonly drill: string;
  readonly zookeeper: string;
  readonly expect: BugRun["expect"];
}

/** Every known-bug drill on every version it affects (reproduced) or is fixed in (not reproduced), at or above its floor. */
export function bugMatrix(drills: ReadonlyArray<CatalogDrill>): BugMatrixEntry[] {
  return drills.flatMap(({ ref, def }) => (def.knownBug ? bugRuns(def.knownBug, def.versions?.min).map((r) => ({ drill: ref, zookeeper: r.version, expect: r.expect })) : []));
}

/** The scheduled workflow for these matrices. */
export function drillsWorkflow(matrix: readonly MatrixEntry[], bugs: readonly BugMatrixEntry[] = []): string {
  const entries = matrix.map((e) => `          - drill: ${e.drill}\n            zookeeper: ${JSON.stringify(e.zookeeper)}\n            versions: ${JSON.stringify(e.versions)}\n`).join("");
  return `${HEAD}        include:\n${entries}${STEPS}${knownBugsJob(bugs)}${HISTORY}${ABORT_FUZZ}`;
}
