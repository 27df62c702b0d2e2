import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { renderFindingsJson, renderPlanJson, renderRoutesJson, renderTraceJson } from "../../src/report/json.js";
import type { RoutingTable } from "../../src/routing/types.js";
import { deniedTraceFixture, headFindings, headTable, planFixture, traceFixture } from "./fixtures.js";
import { assertGolden } from "./golden.js";

/** The same value with every object's keys in reverse order, as another engine might build it. */
function reversedKeys<T>(v: T): T {
  if (Array.isArray(v)) return v.map(reversedKeys) as T;
  if (v === null || typeof v !== "object") return v;
  return Object.fromEntries(Object.entries(v).reverse().map(([k, x]) => [k, reversedKeys(x)])) as T;
}

describe("JSON renderers", () => {
  const outputs: [string, () => string][] = [
    ["plan.json", () => renderPlanJson(planFixture())],
    ["routes.json", () => renderRoutesJson(headTable)],
    ["trace.json", () => renderTraceJson(traceFixture)],
    ["trace-denied.json", () => renderTraceJson(deniedTraceFixture)],
    ["findings.json", () => renderFindingsJson(headFindings)],
  ];
  for (const [golden, render] of outputs) {
    it(`renders ${golden.replace(".json", "")} as in the golden file, versioned meshplan/v1`, () => {
      const out = render();
      assert.equal(JSON.parse(out).schemaVersion, "meshplan/v1");
      assert.ok(out.endsWith("}\n"));
      assertGolden(golden, out);
    });
  }

  it("prints keys in a fixed order whatever order the engine built objects in", () => {
    assert.equal(renderRoutesJson(reversedKeys(headTable)), renderRoutesJson(headTable));
    assert.equal(renderPlanJson(reversedKeys(planFixture())), renderPlanJson(planFixture()));
    assert.equal(renderTraceJson(reversedKeys(traceFixture)), renderTraceJson(traceFixture));
  });

  it("prints the trace as the DESIGN.md contract object, plus noRoute and the version", () => {
    const out = JSON.parse(renderTraceJson(traceFixture));
    assert.deepEqual(Object.keys(out), [
      "schemaVersion",
      "request",
      "allowed",
      "deniedBy",
      "matchedBy",
      "backends",
      "timeout",
      "retries",
      "fault",
      "mirror",
      "noRoute",
    ]);
    assert.deepEqual(out.backends, [{ service: "reviews.default.svc.cluster.local", subset: "v2", port: 9080, weight: 100 }]);
  });

  it("keeps full hosts in JSON where text shows short names", () => {
    const out = renderPlanJson(planFixture());
    assert.match(out, /"service": "reviews\.default\.svc\.cluster\.local"/);
    assert.doesNotMatch(out, /"reviews v1"/);
  });

  it("keeps an optional field the engines set (AccessRule direction)", () => {
    const rule = { ...headTable.access.rules[0]!, direction: "ingress" as const };
    const t: RoutingTable = { ...headTable, access: { ...headTable.access, rules: [rule] } };
    assert.equal(JSON.parse(renderRoutesJson(t)).access.rules[0].direction, "ingress");
  });
});
