import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ambientEnrolled, sidecarInjected } from "../../../../src/lint/rules/istio-config/mesh-membership.js";
import { modelFromYaml } from "../../../support/model.js";

function tree(nsLabels: string | null, podMeta: string, containers = "[{ name: app, image: app:1 }]"): string {
  const ns = nsLabels === null ? "" : `apiVersion: v1\nkind: Namespace\nmetadata: { name: shop, labels: ${nsLabels} }\n---\n`;
  return `${ns}apiVersion: v1
kind: Pod
metadata: { name: web, namespace: shop, ${podMeta} }
spec:
  containers: ${containers}
`;
}

function membership(yaml: string): { sidecar: boolean; ambient: boolean } {
  const { model } = modelFromYaml({ "shop.yaml": yaml });
  const [w] = model.workloads;
  assert.ok(w);
  return { sidecar: sidecarInjected(model, w), ambient: ambientEnrolled(model, w) };
}

describe("mesh membership of a workload's pods (Istio injection policy, ambient enrolment)", () => {
  const cases: { name: string; yaml: string; sidecar: boolean; ambient: boolean }[] = [
    { name: "a pod in an istio-injection=enabled namespace", yaml: tree("{ istio-injection: enabled }", "labels: {}"), sidecar: true, ambient: false },
    { name: "a pod in an istio.io/rev namespace", yaml: tree("{ istio.io/rev: canary }", "labels: {}"), sidecar: true, ambient: false },
    { name: "a pod in a namespace without labels", yaml: tree("{}", "labels: {}"), sidecar: false, ambient: false },
    { name: "a pod labelled inject=true in a plain namespace", yaml: tree("{}", 'labels: { sidecar.istio.io/inject: "true" }'), sidecar: true, ambient: false },
    { name: "a pod annotated inject=true (deprecated annotation)", yaml: tree(null, 'annotations: { sidecar.istio.io/inject: "true" }'), sidecar: true, ambient: false },
    { name: "a pod labelled inject=false in an injected namespace", yaml: tree("{ istio-injection: enabled }", 'labels: { sidecar.istio.io/inject: "false" }'), sidecar: false, ambient: false },
    { name: "a pod labelled inject=true in an istio-injection=disabled namespace", yaml: tree("{ istio-injection: disabled }", 'labels: { sidecar.istio.io/inject: "true" }'), sidecar: false, ambient: false },
    { name: "a pod with a manually injected istio-proxy container", yaml: tree("{}", "labels: {}", "[{ name: app, image: app:1 }, { name: istio-proxy, image: proxyv2 }]"), sidecar: true, ambient: false },
    { name: "a pod in an ambient namespace", yaml: tree("{ istio.io/dataplane-mode: ambient }", "labels: {}"), sidecar: false, ambient: true },
    { name: "a pod opting out of an ambient namespace", yaml: tree("{ istio.io/dataplane-mode: ambient }", "labels: { istio.io/dataplane-mode: none }"), sidecar: false, ambient: false },
    { name: "a pod the CNI already redirects", yaml: tree(null, "annotations: { ambient.istio.io/redirection: enabled }"), sidecar: false, ambient: true },
  ];
  for (const c of cases) {
    it(`${c.name}: sidecar ${c.sidecar}, ambient ${c.ambient}`, () => {
      assert.deepEqual(membership(c.yaml), { sidecar: c.sidecar, ambient: c.ambient });
    });
  }
});
