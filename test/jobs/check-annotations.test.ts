import { describe, it } from "node:test";
import assert from "node:assert/strict";
import type { Finding } from "../../src/findings.js";
import { checkAnnotations } from "../../src/jobs/check-annotations.js";

const f = (file: string | null, line: number | null, severity: Finding["severity"] = "error", hint?: string): Finding => ({
  code: "MP0201",
  severity,
  message: "subset v9 is not defined",
  resource: { apiVersion: "networking.istio.io/v1", kind: "VirtualService", namespace: "shop", name: "reviews" },
  file,
  line,
  column: 5,
  path: "spec.http[0]",
  equivalents: ["IST0101"],
  ...(hint ? { hint } : {}),
});

describe("check run annotations", () => {
  const changed = [
    { path: "mesh/reviews.yaml", status: "modified" as const, changedLines: new Set([12, 13]) },
    { path: "mesh/new.yaml", status: "added" as const, changedLines: "all" as const },
    { path: "mesh/gone.yaml", status: "removed" as const, changedLines: "all" as const },
  ];
  it("annotates findings on changed lines of changed files", () => {
    const a = checkAnnotations([f("mesh/reviews.yaml", 12)], changed);
    assert.deepEqual(a.map((x) => [x.path, x.startLine, x.endLine, x.level]), [["mesh/reviews.yaml", 12, 12, "failure"]]);
    assert.equal(a[0]!.title, "MP0201 VirtualService shop/reviews");
    assert.equal(a[0]!.rawDetails, "Equivalent to IST0101");
  });
  it("leaves out findings on untouched lines, untouched files, removed files and without a location", () => {
    assert.deepEqual(checkAnnotations([f("mesh/reviews.yaml", 40), f("mesh/other.yaml", 1), f("mesh/gone.yaml", 1), f(null, null)], changed), []);
  });
  it("annotates anywhere in a file GitHub gives no patch for", () => {
    assert.equal(checkAnnotations([f("mesh/new.yaml", 300)], changed).length, 1);
  });
  it("maps severities to GitHub levels and appends the fix hint", () => {
    const a = checkAnnotations([f("mesh/new.yaml", 1, "warning", "define v9"), f("mesh/new.yaml", 2, "info")], changed);
    assert.deepEqual(a.map((x) => x.level), ["warning", "notice"]);
    assert.match(a[0]!.message, /How to fix: define v9$/);
  });
});
