// docs/drill.schema.json, generated from the zod schema (a unit test fails when the committed file
// differs). Regenerate: npx tsx src/drill/yaml/json-schema.ts --write
import { writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { z } from "zod";
import { drillFileSchema } from "./schema";
import { PACKAGE_ROOT } from "../../common";

export const DRILL_SCHEMA_FILE = resolve(PACKAGE_ROOT, "docs", "drill.schema.json");

export function drillJsonSchema(): Record<string, unknown> {
  // draft-7: what the YAML language server (VS Code, IntelliJ, Neovim) reads best.
  const generated = z.toJSONSchema(drillFileSchema, { io: "input", target: "draft-7" }) as Record<string, unknown>;
  const { $schema, ...rest } = generated;
  return {
    $schema,
    title: "zkdrill drill file",
    $comment:
      "Generated from src/drill/yaml/schema.ts by `npx tsx src/drill/yaml/json-schema.ts --write`; do not edit. " +
      "Editors: put `# yaml-language-server: $schema=<path to docs/drill.schema.json>` on a drill file's first line.",
    ...rest,
  };
}

export function drillJsonSchemaText(): string {
  return `${JSON.stringify(drillJsonSchema(), null, 2)}\n`;
}

if (require.main === module && process.argv.includes("--write")) {
  writeFileSync(DRILL_SCHEMA_FILE, drillJsonSchemaText());
  process.stdout.write(`wrote ${DRILL_SCHEMA_FILE}\n`);
}
