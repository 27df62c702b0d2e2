import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { singleDestinationWeight } from "../../../../src/lint/rules/virtual-service/single-destination-weight.js";
import { lintYaml } from "./lint-virtual-services.js";
import { httpRules } from "./route-manifests.js";

const lone = (weight: string) => httpRules("reviews", [`{ route: [{ destination: { host: reviews, subset: v2 }${weight} }] }`]);

describe("MP1013 weight on a single destination is ignored", () => {
  it("reports weight 10 on the only destination: it gets 100%", () => {
    const findings = lintYaml(singleDestinationWeight, { "vs.yaml": lone(", weight: 10") });
    assert.deepEqual(findings.map((f) => f.path), ["spec.http[0].route[0].weight"]);
    assert.equal(findings[0]!.severity, "warning");
  });

  for (const [name, weight] of [["no weight", ""], ["weight 100", ", weight: 100"], ["weight 0 (unset)", ", weight: 0"]] as const) {
    it(`accepts ${name}`, () => assert.deepEqual(lintYaml(singleDestinationWeight, { "vs.yaml": lone(weight) }), []));
  }

  it("accepts weights on several destinations", () => {
    const doc = httpRules("reviews", ["{ route: [{ destination: { host: reviews, subset: v1 }, weight: 10 }, { destination: { host: reviews, subset: v2 }, weight: 30 }] }"]);
    assert.deepEqual(lintYaml(singleDestinationWeight, { "vs.yaml": doc }), []);
  });
});
