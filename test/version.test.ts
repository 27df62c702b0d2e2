import { it } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { MESHPLAN_VERSION } from "../src/version.js";
import { repoRoot } from "./support/corpus.js";

it("the version meshplan reports is package.json's", () => {
  assert.equal(MESHPLAN_VERSION, JSON.parse(readFileSync(join(repoRoot, "package.json"), "utf8")).version);
});
