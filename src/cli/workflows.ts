// .github/workflows/drills.yml, generated from the catalog: the scheduled matrix is catalog x versions,
// never a hand-kept list (`zkdrill generate` writes it; a test fails when the committed file differs).
import { join } from "node:path";
import { ZOOKEEPER_RELEASES } from "../images/catalog";
import { ROOT } from "./catalog";

export const DRILLS_WORKFLOW = join(ROOT, ".github", "workflows", "drills.yml");

const HEAD = "# Scheduled DR drills: every catalog drill on real containers, full length (not --quick), on each\n# supported ZooKeeper version. Each run uploads its report folder and publishes its JUnit; a failed\n# drill fails its job. Generated from the catalog by `zkdrill generate` (a test keeps it so): do not edit.\nname: drills\non:\n  schedule:\n    - cron: \"17 3 * * 1\" # Mondays 03:17 UTC\n  workflow_dispatch:\n    inputs:\n      zookeeper:\n        description: \"ZooKeeper version (empty: the whole matrix)\"\n        required: false\n        default: \"\"\npermissions:\n  contents: read\n  checks: write\njobs:\n  drill:\n    runs-on: ubuntu-latest\n    timeout-minutes: 45\n    strategy:\n      fail-fast: false\n      matrix:\n";

const STEPS = "    steps:\n      - uses: actions/checkout@v4\n      - uses: actions/setup-node@v4\n        with:\n          node-version: 20\n      - uses: actions/setup-go@v5\n        with:\n          go-version: stable\n      - name: Cache built images' inputs (Maven, Go modules)\n        uses: actions/cache@v4\n        with:\n          path: |\n            ~/.m2/repository\n            ~/go/pkg/mod\n          key: zkdrill-${{ hashFiles('src/images/**') }}\n      - name: Run the drill\n        if: ${{ github.event.inputs.zookeeper == '' || github.event.inputs.zookeeper == matrix.zookeeper }}\n        run: sudo -E env \"PATH=$PATH\" npm run drill -- ${{ matrix.drill }} --zk-version ${{ matrix.zookeeper }} --report-dir reports/${{ matrix.drill }}-${{ matrix.zookeeper }}\n      - name: Upload the report folder\n        if: always()\n        uses: actions/upload-artifact@v4\n        with:\n          name: report-${{ matrix.drill }}-${{ matrix.zookeeper }}\n          path: reports/${{ matrix.drill }}-${{ matrix.zookeeper }}/\n          if-no-files-found: ignore\n      - name: Publish JUnit\n        if: always()\n        uses: mikepenz/action-junit-report@v4\n        with:\n          report_paths: reports/${{ matrix.drill }}-${{ matrix.zookeeper }}/junit.xml\n          check_name: drill ${{ matrix.drill }} (ZooKeeper ${{ matrix.zookeeper }})\n";

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

/** The scheduled workflow for these drills on these ZooKeeper versions. */
export function drillsWorkflow(drills: readonly string[], versions: readonly string[] = Object.keys(ZOOKEEPER_RELEASES)): string {
  const list = (xs: readonly string[], quote: boolean) => xs.map((x) => `          - ${quote ? JSON.stringify(x) : x}\n`).join("");
  return `${HEAD}        drill:\n${list(drills, false)}        zookeeper:\n${list(versions, true)}${STEPS}${ABORT_FUZZ}`;
}
