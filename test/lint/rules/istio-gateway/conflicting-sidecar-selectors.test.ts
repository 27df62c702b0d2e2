import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { conflictingSidecarSelectors as rule } from "../../../../src/lint/rules/istio-gateway/conflicting-sidecar-selectors.js";
import { lintCorpus, lintYaml, subjects } from "./lint-tree.js";
import { deployment, namespace, sidecar } from "./manifests.js";

describe("MP1045 Sidecars select the same workload (istioctl sidecar.SelectorAnalyzer, IST0110)", () => {
  it("reports dupe-1/dupe-2 (same selector) and overlap-1/overlap-2 (one pod carries both labels) of sidecar-selector.yaml", () => {
    const findings = lintCorpus(rule, ["istio-analyzers/testdata/sidecar-selector.yaml"]);
    assert.deepEqual(subjects(findings), [
      "Sidecar default/dupe-1 metadata.name",
      "Sidecar default/dupe-2 metadata.name",
      "Sidecar default/overlap-1 metadata.name",
      "Sidecar default/overlap-2 metadata.name",
    ]);
    assert.match(findings.find((f) => f.resource?.name === "overlap-1")!.message, /default\/overlap-1, default\/overlap-2 all select Pod default\/ratings/);
  });

  it("reports each Sidecar once per workload they share", () => {
    const files = {
      "a.yaml": sidecar("a", "shop", "{ tier: backend }"),
      "b.yaml": sidecar("b", "shop", "{ team: orders }"),
      "orders.yaml": deployment("orders", "shop", "{ app: orders, tier: backend, team: orders }"),
      "billing.yaml": deployment("billing", "shop", "{ app: billing, tier: backend, team: orders }"),
      "web.yaml": deployment("web", "shop", "{ app: web, tier: backend }"),
    };
    assert.deepEqual(subjects(lintYaml(rule, files)), [
      "Sidecar shop/a metadata.name",
      "Sidecar shop/a metadata.name",
      "Sidecar shop/b metadata.name",
      "Sidecar shop/b metadata.name",
    ]);
  });

  it("does not report Sidecars with disjoint selectors", () => {
    const files = {
      "a.yaml": sidecar("a", "shop", "{ app: orders }"),
      "b.yaml": sidecar("b", "shop", "{ app: web }"),
      "orders.yaml": deployment("orders", "shop", "{ app: orders }"),
      "web.yaml": deployment("web", "shop", "{ app: web }"),
    };
    assert.deepEqual(lintYaml(rule, files), []);
  });

  it("leaves workloads in ambient mode to MP1047: they run no sidecar", () => {
    const files = {
      "ns.yaml": namespace("shop", "{ istio.io/dataplane-mode: ambient }"),
      "a.yaml": sidecar("a", "shop", "{ app: orders }"),
      "b.yaml": sidecar("b", "shop", "{ app: orders }"),
      "orders.yaml": deployment("orders", "shop", "{ app: orders }"),
    };
    assert.deepEqual(lintYaml(rule, files), []);
  });
});
