import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { multipleNamespaceWideSidecars as rule } from "../../../../src/lint/rules/istio-gateway/multiple-namespace-wide-sidecars.js";
import { lintCorpus, lintYaml, subjects } from "./lint-tree.js";
import { namespace, sidecar } from "./manifests.js";

describe("MP1046 several Sidecars without a workload selector (istioctl sidecar.SelectorAnalyzer, IST0111)", () => {
  it("reports has-conflict-1 and has-conflict-2 in ns2 of sidecar-default-selector.yaml, nothing in ns1 or the ambient namespace", () => {
    const findings = lintCorpus(rule, ["istio-analyzers/testdata/sidecar-default-selector.yaml"]);
    assert.deepEqual(subjects(findings), ["Sidecar ns2/has-conflict-1 metadata.name", "Sidecar ns2/has-conflict-2 metadata.name"]);
    assert.ok(findings.every((f) => f.severity === "error" && f.equivalents.join() === "IST0111"));
    assert.match(findings[0]!.message, /ns2\/has-conflict-1, ns2\/has-conflict-2 in namespace ns2/);
  });

  it("counts a Sidecar with empty workloadSelector labels as namespace-wide", () => {
    const files = { "a.yaml": sidecar("a", "shop"), "b.yaml": sidecar("b", "shop", "{}") };
    assert.equal(lintYaml(rule, files).length, 2);
  });

  it("does not compare Sidecars of different namespaces", () => {
    assert.deepEqual(lintYaml(rule, { "a.yaml": sidecar("a", "shop"), "b.yaml": sidecar("b", "blog") }), []);
  });

  it("leaves a namespace in ambient mode to MP1047", () => {
    const files = { "ns.yaml": namespace("shop", "{ istio.io/dataplane-mode: ambient }"), "a.yaml": sidecar("a", "shop"), "b.yaml": sidecar("b", "shop") };
    assert.deepEqual(lintYaml(rule, files), []);
  });
});
