import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { destinationRuleHostUnknown } from "../../../../src/lint/rules/istio-config/destination-rule-host-unknown.js";
import { lintAnalyzerTestdata, lintYaml, located } from "./lint.js";

function service(name: string, namespace: string, annotations = "{}"): string {
  return `---
apiVersion: v1
kind: Service
metadata: { name: ${name}, namespace: ${namespace}, annotations: ${annotations} }
spec:
  selector: { app: ${name} }
  ports: [{ name: http, port: 80 }]
`;
}

function serviceEntry(name: string, namespace: string, hosts: string, exportTo = ""): string {
  return `---
apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata: { name: ${name}, namespace: ${namespace} }
spec:
  hosts: ${hosts}
  ports: [{ number: 443, name: https, protocol: HTTPS }]
  resolution: DNS
${exportTo ? `  exportTo: ${exportTo}\n` : ""}`;
}

function destinationRule(host: string, namespace = "shop", exportTo = ""): string {
  return `---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: { name: dr, namespace: ${namespace} }
spec:
  host: "${host}"
${exportTo ? `  exportTo: ${exportTo}\n` : ""}  trafficPolicy: { loadBalancer: { simple: LEAST_REQUEST } }
`;
}

describe("MP1075 DestinationRule host matches no service (istioctl IST0174)", () => {
  it("reports the fake host of destinationrule-with-fake-host.yaml at spec.host", () => {
    const findings = lintAnalyzerTestdata(destinationRuleHostUnknown, ["destinationrule-with-fake-host.yaml"]);
    assert.deepEqual(located(findings), ["DestinationRule default/fake-host spec.host"]);
    assert.equal(findings[0]!.severity, "warning");
    assert.deepEqual(findings[0]!.equivalents, ["IST0174", "KIA0202"]);
  });

  it("accepts a host that is a Service (destinationrule-subsets-not-select-pods.yaml)", () => {
    assert.deepEqual(lintAnalyzerTestdata(destinationRuleHostUnknown, ["destinationrule-subsets-not-select-pods.yaml"]), []);
  });

  const cases: { name: string; yaml: string; reported: boolean }[] = [
    { name: "a short host naming a Service of the rule's namespace", yaml: service("reviews", "shop") + destinationRule("reviews"), reported: false },
    { name: "a short host naming a Service of another namespace", yaml: service("reviews", "books") + destinationRule("reviews"), reported: true },
    { name: "a fully qualified host of another namespace's Service", yaml: service("reviews", "books") + destinationRule("reviews.books.svc.cluster.local"), reported: false },
    { name: "a host written as name.namespace (Istio takes it literally)", yaml: service("reviews", "books") + destinationRule("reviews.books"), reported: true },
    {
      name: "a Service exported only to its own namespace (networking.istio.io/exportTo: .)",
      yaml: service("reviews", "books", '{ networking.istio.io/exportTo: "." }') + destinationRule("reviews.books.svc.cluster.local"),
      reported: true,
    },
    {
      name: "a Service exported to the rule's namespace by name",
      yaml: service("reviews", "books", "{ networking.istio.io/exportTo: shop }") + destinationRule("reviews.books.svc.cluster.local"),
      reported: false,
    },
    { name: "a ServiceEntry host", yaml: serviceEntry("ext", "shop", "[api.example.com]") + destinationRule("api.example.com"), reported: false },
    {
      name: "a ServiceEntry of another namespace exported only there",
      yaml: serviceEntry("ext", "egress", "[api.example.com]", '["."]') + destinationRule("api.example.com"),
      reported: true,
    },
    {
      name: "a host under a wildcard ServiceEntry host",
      yaml: serviceEntry("ext", "egress", '["*.example.com"]') + destinationRule("api.example.com"),
      reported: false,
    },
    { name: "a mesh-wide wildcard host matching Services", yaml: service("reviews", "books") + destinationRule("*.local", "istio-system"), reported: false },
    { name: "a wildcard host matching nothing", yaml: service("reviews", "books") + destinationRule("*.example.org"), reported: true },
  ];
  for (const c of cases) {
    it(`${c.reported ? "reports" : "accepts"} ${c.name}`, () => {
      assert.equal(lintYaml(destinationRuleHostUnknown, { "mesh.yaml": c.yaml }).length, c.reported ? 1 : 0);
    });
  }

  it("accepts hosts listed in externalHosts (managed outside the repository)", () => {
    const yaml = destinationRule("payments.billing.svc.cluster.local") + destinationRule("storage.googleapis.com", "data");
    assert.equal(lintYaml(destinationRuleHostUnknown, { "mesh.yaml": yaml }).length, 2);
    assert.deepEqual(lintYaml(destinationRuleHostUnknown, { "mesh.yaml": yaml }, { externalHosts: ["*.googleapis.com", "payments.billing.svc.cluster.local"] }), []);
  });
});
