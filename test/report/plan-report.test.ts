import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Severity } from "../../src/findings.js";
import { planExitCode } from "../../src/report/plan-report.js";
import { planVerdict } from "../../src/report/plan-verdict.js";
import { planFixture } from "./fixtures.js";
import { finding } from "./table-builder.js";

describe("planExitCode", () => {
  const cases: { head: Severity[]; exit: 0 | 1 }[] = [
    { head: [], exit: 0 },
    { head: ["info", "warning"], exit: 0 },
    { head: ["warning", "error"], exit: 1 },
    { head: ["error"], exit: 1 },
  ];
  for (const c of cases) {
    it(`exits ${c.exit} with head findings [${c.head.join(", ")}]`, () => {
      const findings = c.head.map((s, i) => finding(`MP${1000 + i}`, s, `a ${s}`));
      assert.equal(planExitCode({ ...planFixture(), findings, newFindings: [] }), c.exit);
    });
  }

  it("fails on an error already on base, not only on new ones (DESIGN.md: exit 1 = findings at error severity)", () => {
    const old = finding("MP1101", "error", "subset v3 is not defined");
    assert.equal(planExitCode({ ...planFixture(), findings: [old], newFindings: [] }), 1);
  });
});

describe("planVerdict", () => {
  it("counts hosts, shifts, access changes and findings of the bookinfo plan", () => {
    assert.deepEqual(planVerdict(planFixture()), {
      ok: false,
      headline:
        "7 hosts changed (1 added, 1 removed), 5 traffic shifts, 2 access changes · 1 error (1 new), 1 warning, 1 info (1 new) · 1 finding fixed",
    });
  });
});
