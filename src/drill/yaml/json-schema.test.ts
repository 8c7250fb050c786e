import { expect } from "chai";
import { readFileSync } from "node:fs";
import { DRILL_SCHEMA_FILE, drillJsonSchemaText } from "./json-schema";
import { VERBS } from "./schema";

describe("docs/drill.schema.json (generated from the zod schema)", () => {
  it("is exactly what the schema generates (regenerate: zkdrill generate)", () => {
    expect(readFileSync(DRILL_SCHEMA_FILE, "utf8")).to.equal(drillJsonSchemaText());
  });

  it("offers every verb to an editor, each closed to unknown fields", () => {
    const schema = JSON.parse(drillJsonSchemaText()) as { definitions: { drillStep: { anyOf: Array<{ required: string[]; properties: Record<string, { additionalProperties?: boolean }> }> } } };
    const forms = schema.definitions.drillStep.anyOf;
    expect(forms.map((f) => f.required[0])).to.deep.equal(VERBS);
    for (const f of forms) expect(f.properties[f.required[0]].additionalProperties, f.required[0]).to.equal(false);
  });
});
