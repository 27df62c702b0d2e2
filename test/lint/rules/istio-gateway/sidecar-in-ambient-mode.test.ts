import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { sidecarInAmbientMode as rule } from "../../../../src/lint/rules/istio-gateway/sidecar-in-ambient-mode.js";
import { lintCorpus, lintYaml, subjects } from "./lint-tree.js";
import { deployment, namespace, sidecar } from "./manifests.js";

describe("MP1047 Sidecar resource for workloads in ambient mode (istioctl sidecar.SelectorAnalyzer, IST0167)", () => {
  it("reports namespace-scoped and pod-scoped in ns-ambient of sidecar-default-selector.yaml, not the namespaces that also inject", () => {
    const findings = lintCorpus(rule, ["istio-analyzers/testdata/sidecar-default-selector.yaml"]);
    assert.deepEqual(subjects(findings), [
      "Sidecar ns-ambient/namespace-scoped metadata.namespace",
      "Sidecar ns-ambient/pod-scoped spec.workloadSelector",
    ]);
    assert.ok(findings.every((f) => f.severity === "warning" && f.equivalents.join() === "IST0167"));
  });

  it("takes a Deployment in an ambient namespace as ambient, though git never carries the redirection annotation", () => {
    const files = {
      "ns.yaml": namespace("shop", "{ istio.io/dataplane-mode: ambient }"),
      "sc.yaml": sidecar("orders", "shop", "{ app: orders }"),
      "orders.yaml": deployment("orders", "shop", "{ app: orders }"),
    };
    assert.deepEqual(subjects(lintYaml(rule, files)), ["Sidecar shop/orders spec.workloadSelector"]);
  });

  const quiet: { name: string; labels: string }[] = [
    { name: "opts out with istio.io/dataplane-mode=none", labels: "{ app: orders, istio.io/dataplane-mode: none }" },
    { name: "asks for a sidecar with sidecar.istio.io/inject=true", labels: '{ app: orders, sidecar.istio.io/inject: "true" }' },
  ];
  for (const c of quiet) {
    it(`does not report a workload in an ambient namespace that ${c.name}`, () => {
      const files = {
        "ns.yaml": namespace("shop", "{ istio.io/dataplane-mode: ambient }"),
        "sc.yaml": sidecar("orders", "shop", "{ app: orders }"),
        "orders.yaml": deployment("orders", "shop", c.labels),
      };
      assert.deepEqual(lintYaml(rule, files), []);
    });
  }

  it("does not report a Sidecar in a namespace with sidecar injection", () => {
    const files = { "ns.yaml": namespace("shop", "{ istio-injection: enabled }"), "sc.yaml": sidecar("default", "shop") };
    assert.deepEqual(lintYaml(rule, files), []);
  });
});
