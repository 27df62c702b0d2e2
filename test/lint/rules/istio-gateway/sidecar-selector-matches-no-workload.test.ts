import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { sidecarSelectorMatchesNoWorkload as rule } from "../../../../src/lint/rules/istio-gateway/sidecar-selector-matches-no-workload.js";
import { lintCorpus, lintYaml, subjects } from "./lint-tree.js";
import { deployment, sidecar } from "./manifests.js";

describe("MP1044 Sidecar selector matches no workload (istioctl sidecar.SelectorAnalyzer, IST0101)", () => {
  it("reports maps-to-nonexistent and maps-to-different-ns of sidecar-selector.yaml", () => {
    const findings = lintCorpus(rule, ["istio-analyzers/testdata/sidecar-selector.yaml"]);
    assert.deepEqual(subjects(findings), [
      "Sidecar default/maps-to-nonexistent spec.workloadSelector.labels",
      "Sidecar other/maps-to-different-ns spec.workloadSelector.labels",
    ]);
    assert.ok(findings.every((f) => f.severity === "error" && f.equivalents.join() === "IST0101"));
    const differentNs = findings.find((f) => f.resource?.name === "maps-to-different-ns")!;
    assert.match(differentNs.message, /Pod default\/reviews match, but a Sidecar applies only in its own namespace/);
  });

  it("matches a Deployment's pod template", () => {
    const files = { "sc.yaml": sidecar("reviews", "shop", "{ app: reviews }"), "deploy.yaml": deployment("reviews", "shop", "{ app: reviews, version: v1 }") };
    assert.deepEqual(lintYaml(rule, files), []);
  });

  it("stays silent for a namespace whose workloads the tree does not declare", () => {
    const files = { "sc.yaml": sidecar("reviews", "shop", "{ app: reviews }"), "deploy.yaml": deployment("web", "front", "{ app: web }") };
    assert.deepEqual(lintYaml(rule, files), []);
  });

  it("ignores namespace-wide Sidecars", () => {
    const files = { "sc.yaml": sidecar("default", "shop"), "deploy.yaml": deployment("web", "shop", "{ app: web }") };
    assert.deepEqual(lintYaml(rule, files), []);
  });
});
