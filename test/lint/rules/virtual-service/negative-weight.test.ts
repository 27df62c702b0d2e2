import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { negativeWeight } from "../../../../src/lint/rules/virtual-service/negative-weight.js";
import { lintYaml } from "./lint-virtual-services.js";
import { httpRules } from "./route-manifests.js";

const split = (w1: number, w2: number) =>
  httpRules("reviews", [`{ route: [{ destination: { host: reviews, subset: v1 }, weight: ${w1} }, { destination: { host: reviews, subset: v2 }, weight: ${w2} }] }`]);

describe("MP1012 negative destination weight", () => {
  it("reports a negative weight at the weight, as an error", () => {
    const findings = lintYaml(negativeWeight, { "vs.yaml": split(110, -10) });
    assert.deepEqual(findings.map((f) => f.path), ["spec.http[0].route[1].weight"]);
    assert.equal(findings[0]!.severity, "error");
  });

  for (const [w1, w2] of [[90, 10], [0, 100], [1, 3]]) {
    it(`accepts weights ${w1} and ${w2}`, () => assert.deepEqual(lintYaml(negativeWeight, { "vs.yaml": split(w1!, w2!) }), []));
  }

  it("does not repeat the engine's all-zero finding (MP0205)", () => {
    assert.deepEqual(lintYaml(negativeWeight, { "vs.yaml": split(0, 0) }), []);
  });
});
