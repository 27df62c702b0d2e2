import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { diffFindings } from "../../src/routing/diff.js";
import { finding } from "../report/table-builder.js";

const subsetMissing = finding("MP1101", "error", "subset v3 of reviews is not defined by any DestinationRule", {
  path: "spec.http[0].route[1].destination.subset",
  line: 14,
});

describe("diffFindings", () => {
  it("keeps a finding whose line moved with an edit above it as unchanged", () => {
    const d = diffFindings([subsetMissing], [{ ...subsetMissing, line: 22 }]);
    assert.deepEqual([d.added.length, d.fixed.length, d.unchanged.map((f) => f.line)], [0, 0, [22]]);
  });

  const cases: { name: string; head: typeof subsetMissing; fixedAndAdded: boolean }[] = [
    { name: "a different message", head: { ...subsetMissing, message: "subset v4 of reviews is not defined" }, fixedAndAdded: true },
    { name: "a different path", head: { ...subsetMissing, path: "spec.http[1].route[0].destination.subset" }, fixedAndAdded: true },
    { name: "a different resource", head: { ...subsetMissing, resource: { ...subsetMissing.resource!, name: "ratings" } }, fixedAndAdded: true },
    { name: "a different code", head: { ...subsetMissing, code: "MP1102" }, fixedAndAdded: true },
    { name: "only a different column", head: { ...subsetMissing, column: 9 }, fixedAndAdded: false },
  ];
  for (const c of cases) {
    it(`${c.fixedAndAdded ? "treats" : "does not treat"} ${c.name} as a fix plus a new finding`, () => {
      const d = diffFindings([subsetMissing], [c.head]);
      assert.deepEqual([d.added.length, d.fixed.length], c.fixedAndAdded ? [1, 1] : [0, 0]);
    });
  }

  it("pairs identical findings one to one, so a second copy is new", () => {
    const d = diffFindings([subsetMissing], [subsetMissing, { ...subsetMissing, line: 40 }]);
    assert.deepEqual([d.unchanged.length, d.added.map((f) => f.line)], [1, [40]]);
  });

  it("tells file-level findings (no resource) apart by file", () => {
    const parse = (file: string) => ({ ...subsetMissing, code: "MP0001", message: "YAML syntax error", resource: null, path: null, file });
    const d = diffFindings([parse("networking/a.yaml")], [parse("networking/b.yaml")]);
    assert.deepEqual([d.added.map((f) => f.file), d.fixed.map((f) => f.file)], [["networking/b.yaml"], ["networking/a.yaml"]]);
  });

  it("reports everything on head as new when base had nothing", () => {
    const d = diffFindings([], [subsetMissing]);
    assert.deepEqual([d.added, d.fixed, d.unchanged], [[subsetMissing], [], []]);
  });
});
