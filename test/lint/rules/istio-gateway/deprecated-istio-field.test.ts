import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { deprecatedIstioField as rule } from "../../../../src/lint/rules/istio-gateway/deprecated-istio-field.js";
import { lintCorpus, lintYaml, subjects } from "./lint-tree.js";

function virtualService(delay: string): string {
  return `
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: ratings, namespace: shop }
spec:
  hosts: [ratings]
  http:
  - route: [{ destination: { host: ratings } }]
  - fault: { delay: { fixedDelay: 7s, ${delay} } }
    route: [{ destination: { host: ratings } }]
`;
}

describe("MP1048 deprecated Istio field or kind (istioctl deprecation.FieldAnalyzer, IST0002)", () => {
  it("reports the VirtualService and the Sidecar of deprecation.yaml, not the EnvoyFilter nor the QuotaSpec", () => {
    const findings = lintCorpus(rule, ["istio-analyzers/testdata/deprecation.yaml"]);
    assert.deepEqual(subjects(findings), [
      "Sidecar default/no-selector spec.outboundTrafficPolicy.egressProxy",
      "VirtualService foo/productpage spec.http[0].fault.delay.percent",
    ]);
    assert.ok(findings.every((f) => f.severity === "warning" && f.equivalents.join() === "IST0002"));
    assert.match(findings.find((f) => f.resource?.kind === "VirtualService")!.hint ?? "", /percentage: \{ value: 50 \}/);
  });

  it("locates fault.delay.percent in the route that uses it", () => {
    const [f] = lintYaml(rule, { "vs.yaml": virtualService("percent: 10") });
    assert.equal(f?.path, "spec.http[1].fault.delay.percent");
    assert.equal(f?.line, 9);
  });

  it("does not report percentage, nor a percent of 0", () => {
    assert.deepEqual(lintYaml(rule, { "vs.yaml": virtualService("percentage: { value: 10 }") }), []);
    assert.deepEqual(lintYaml(rule, { "vs.yaml": virtualService("percent: 0") }), []);
  });

  it("reports a CustomResourceDefinition of the removed rbac.istio.io API", () => {
    const crd = (kind: string, group: string) => `
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: { name: ${kind.toLowerCase()}s.${group} }
spec:
  group: ${group}
  names: { kind: ${kind}, plural: ${kind.toLowerCase()}s }
  scope: Namespaced
`;
    const findings = lintYaml(rule, { "old.yaml": crd("ServiceRole", "rbac.istio.io"), "new.yaml": crd("AuthorizationPolicy", "security.istio.io") });
    assert.deepEqual(subjects(findings), ["CustomResourceDefinition -/serviceroles.rbac.istio.io spec.names.kind"]);
  });
});
