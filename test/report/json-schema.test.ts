import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { renderFindingsJson, renderPlanJson, renderRoutesJson, renderTraceJson } from "../../src/report/json.js";
import {
  findingsJsonSchema,
  jsonSchemaDocuments,
  planJsonSchema,
  routesJsonSchema,
  traceJsonSchema,
} from "../../src/report/json-schema.js";
import { repoRoot } from "../support/corpus.js";
import { deniedTraceFixture, headFindings, headTable, planFixture, traceFixture } from "./fixtures.js";

const schemaDir = join(repoRoot, "docs", "schema");

describe("docs/schema", () => {
  it("is up to date with src/report/json-schema.ts (regenerate with npm run docs:schema)", () => {
    const docs = jsonSchemaDocuments();
    assert.deepEqual(
      readdirSync(schemaDir).filter((f) => f.endsWith(".schema.json")).sort(),
      docs.map((d) => d.file).sort(),
    );
    for (const { file, content } of docs) {
      assert.equal(readFileSync(join(schemaDir, file), "utf8"), content, `docs/schema/${file} is stale: run npm run docs:schema`);
    }
  });

  it("publishes draft 2020-12 schemas that pin the version and do not forbid later v1 fields", () => {
    for (const { file, content } of jsonSchemaDocuments()) {
      const s = JSON.parse(content);
      assert.equal(s.$schema, "https://json-schema.org/draft/2020-12/schema", file);
      assert.deepEqual(s.properties.schemaVersion.const, "meshplan/v1", file);
      assert.doesNotMatch(content, /"additionalProperties": false/, file);
    }
  });
});

describe("renderer output against the schemas", () => {
  const outputs = [
    ["plan", planJsonSchema, renderPlanJson(planFixture())],
    ["routes", routesJsonSchema, renderRoutesJson(headTable)],
    ["trace", traceJsonSchema, renderTraceJson(traceFixture)],
    ["denied trace", traceJsonSchema, renderTraceJson(deniedTraceFixture)],
    ["findings", findingsJsonSchema, renderFindingsJson(headFindings)],
  ] as const;
  for (const [name, schema, out] of outputs) {
    it(`${name} output is valid and nothing in it is unknown to the schema`, () => {
      const parsed: unknown = JSON.parse(out);
      assert.deepEqual(schema.parse(parsed), parsed);
    });
  }

  it("rejects a document of another version", () => {
    const doc = JSON.parse(renderFindingsJson(headFindings));
    assert.equal(findingsJsonSchema.safeParse({ ...doc, schemaVersion: "meshplan/v2" }).success, false);
  });
});
