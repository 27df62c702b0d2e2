import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { servicePortProtocolUndeclared } from "../../../../src/lint/rules/istio-config/service-port-protocol-undeclared.js";
import { lintAnalyzerTestdata, lintYaml, located } from "./lint.js";

function service(opts: { ports: string; namespace?: string; labels?: string; type?: string }): string {
  return `apiVersion: v1
kind: Service
metadata:
  name: web
  namespace: ${opts.namespace ?? "shop"}
  labels: ${opts.labels ?? "{}"}
spec:
  type: ${opts.type ?? "ClusterIP"}
  ${opts.type === "ExternalName" ? "externalName: web.example.com" : "selector: { app: web }"}
  ports:
${opts.ports}
`;
}

describe("MP1070 Service port declares no protocol (istioctl IST0118)", () => {
  it("reports each unnamed or unconventionally named port of service-no-port-name.yaml", () => {
    const findings = lintAnalyzerTestdata(servicePortProtocolUndeclared, ["service-no-port-name.yaml"]);
    assert.deepEqual(located(findings), [
      "Service my-namespace1/my-service1 spec.ports[0]",
      "Service my-namespace1/my-service1 spec.ports[1]",
      "Service my-namespace2/my-service2 spec.ports[0].name",
    ]);
    assert.ok(findings.every((f) => f.severity === "info" && f.equivalents.includes("IST0118")));
    assert.match(findings.find((f) => f.path === "spec.ports[0].name")!.message, /port name `foo` declares no protocol/);
  });

  it("accepts conventional names and skips Istio's waypoint and gateway Services (service-port-name.yaml)", () => {
    assert.deepEqual(lintAnalyzerTestdata(servicePortProtocolUndeclared, ["service-port-name.yaml"]), []);
  });

  it("skips Kubernetes system namespaces and the Istio control plane (service-no-port-name-system-namespace.yaml)", () => {
    assert.deepEqual(lintAnalyzerTestdata(servicePortProtocolUndeclared, ["service-no-port-name-system-namespace.yaml"]), []);
  });

  const cases: { name: string; yaml: string; reported: boolean }[] = [
    { name: "a port named http-web", yaml: service({ ports: "  - { name: http-web, port: 80 }" }), reported: false },
    { name: "a port named web", yaml: service({ ports: "  - { name: web, port: 80 }" }), reported: true },
    { name: "an appProtocol that overrides a bad name", yaml: service({ ports: "  - { name: web, port: 80, appProtocol: http }" }), reported: false },
    { name: "an appProtocol Istio does not know", yaml: service({ ports: "  - { name: http, port: 80, appProtocol: web }" }), reported: true },
    { name: "an unnamed MySQL port 3306", yaml: service({ ports: "  - { port: 3306 }" }), reported: false },
    { name: "an unnamed UDP port", yaml: service({ ports: "  - { port: 5353, protocol: UDP }" }), reported: false },
    { name: "a Service in istio-system without Istio labels", yaml: service({ namespace: "istio-system", ports: "  - { port: 8080 }" }), reported: true },
    { name: "a Service in kube-node-lease", yaml: service({ namespace: "kube-node-lease", ports: "  - { port: 8080 }" }), reported: false },
    { name: "a Service labelled istio: pilot", yaml: service({ labels: "{ istio: pilot }", ports: "  - { port: 8080 }" }), reported: false },
    {
      name: "an Istio-managed gateway Service",
      yaml: service({ labels: "{ gateway.istio.io/managed: istio.io-gateway-controller }", ports: "  - { name: default, port: 80 }" }),
      reported: false,
    },
    {
      name: "a Service labelled gateway.istio.io/managed by someone else",
      yaml: service({ labels: "{ gateway.istio.io/managed: acme }", ports: "  - { name: default, port: 80 }" }),
      reported: true,
    },
    { name: "an ExternalName Service (MP1071 reports it)", yaml: service({ type: "ExternalName", ports: "  - { name: web, port: 443 }" }), reported: false },
  ];
  for (const c of cases) {
    it(`${c.reported ? "reports" : "does not report"} ${c.name}`, () => {
      const findings = lintYaml(servicePortProtocolUndeclared, { "svc.yaml": c.yaml });
      assert.equal(findings.length, c.reported ? 1 : 0, JSON.stringify(findings));
    });
  }
});
