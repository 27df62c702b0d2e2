import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { renderFindingsText, renderPlanText, renderRoutesText, renderTraceText } from "../../src/report/text.js";
import { deniedTraceFixture, headFindings, headTable, planFixture, traceFixture } from "./fixtures.js";
import { assertGolden } from "./golden.js";
import { finding, host, rule, table } from "./table-builder.js";

const ANSI = /\u001b\[[0-9;]*m/g;

describe("text renderers", () => {
  const outputs: [string, (color: boolean) => string][] = [
    ["plan.txt", (color) => renderPlanText(planFixture(), { color })],
    ["routes.txt", (color) => renderRoutesText(headTable, { color })],
    ["trace.txt", (color) => renderTraceText(traceFixture, { color })],
    ["trace-denied.txt", (color) => renderTraceText(deniedTraceFixture, { color })],
    ["findings.txt", (color) => renderFindingsText(headFindings, { color })],
  ];
  for (const [golden, render] of outputs) {
    it(`renders ${golden.replace(".txt", "")} without colour as in the golden file`, () => {
      const plain = render(false);
      assert.doesNotMatch(plain, ANSI);
      assertGolden(golden, plain);
    });

    it(`colours ${golden.replace(".txt", "")} only when asked, with the same words`, () => {
      const coloured = render(true);
      assert.match(coloured, ANSI);
      assert.equal(coloured.replace(ANSI, ""), render(false));
    });
  }
});

describe("renderFindingsText", () => {
  it("prints one line per finding as file:line:col severity CODE message, sorted by file and line", () => {
    const out = renderFindingsText(
      [
        finding("MP1101", "error", "subset v3 is not defined", { name: "reviews", line: 28 }),
        finding("MP1201", "warning", "host is never used", { name: "details", line: 3 }),
      ],
      { color: false },
    );
    assert.equal(
      out,
      "networking/details.yaml:3:3 warning MP1201 host is never used\n" +
        "networking/reviews.yaml:28:3 error MP1101 subset v3 is not defined\n",
    );
  });

  it("prints a finding without a file or line with what it has", () => {
    const noLine = { ...finding("MP0002", "error", "not valid UTF-8"), line: null, column: null, resource: null };
    const noFile = { ...noLine, file: null };
    assert.equal(renderFindingsText([noLine], { color: false }), "networking/reviews.yaml error MP0002 not valid UTF-8\n");
    assert.equal(renderFindingsText([noFile], { color: false }), "- error MP0002 not valid UTF-8\n");
  });

  it("prints nothing for no findings", () => {
    assert.equal(renderFindingsText([], { color: true }), "");
  });
});

describe("renderPlanText", () => {
  it("starts with FAIL when head has an error and PASS otherwise", () => {
    const r = planFixture();
    assert.match(renderPlanText(r, { color: false }), /^FAIL meshplan plan: /);
    const warningsOnly = r.findings.filter((f) => f.severity !== "error");
    assert.match(renderPlanText({ ...r, findings: warningsOnly, newFindings: [] }, { color: false }), /^PASS meshplan plan: /);
  });
});

describe("renderRoutesText", () => {
  it("shows a share answered with an error, and why", () => {
    const r = rule("shop/root", { to: "storefront 80, storefront-canary 20" });
    r.backends[1]!.unavailable = "backendRef to namespace canary is not permitted";
    const out = renderRoutesText(table([host("shop", [r], { source: "gateway-api" })]), { color: false });
    assert.match(out, /-> storefront 80%, storefront-canary 20% \(unavailable: backendRef to namespace canary is not permitted\)/);
  });
});

describe("plan text: a change to the check configuration", () => {
  it("says the change is checked with base's rules and lists what the new rules would report", () => {
    const r = planFixture();
    const txt = renderPlanText({ ...r, rulesChange: { files: ["policies/max-timeout.yaml"], wouldAdd: [r.newFindings[0]!], wouldRemove: [] } }, { color: false });
    assert.match(txt, /Check configuration changed\n  policies\/max-timeout\.yaml: this change is checked with main's rules/);
    assert.match(txt, /Would be reported with the new rules \(1\)/);
  });
});
