import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { externalNamePortNameInvalid } from "../../../../src/lint/rules/istio-config/external-name-port-name-invalid.js";
import { lintAnalyzerTestdata, lintYaml, located } from "./lint.js";

function externalName(port: string, type = "ExternalName"): string {
  return `apiVersion: v1
kind: Service
metadata: { name: payments, namespace: shop }
spec:
  type: ${type}
  externalName: payments.example.com
  ports:
  - ${port}
`;
}

describe("MP1071 ExternalName Service port name is invalid (istioctl IST0150)", () => {
  it("reports the unnamed, the unconventional and the bare tcp port of incorrect-port-name-external-name-service-type.yaml", () => {
    const findings = lintAnalyzerTestdata(externalNamePortNameInvalid, ["incorrect-port-name-external-name-service-type.yaml"]);
    assert.deepEqual(located(findings), [
      "Service nginx-ns/nginx spec.ports[0].name",
      "Service nginx-ns2/nginx-svc2 spec.ports[0]",
      "Service nginx-ns3/nginx-svc3 spec.ports[0].name",
    ]);
    assert.ok(findings.every((f) => f.severity === "warning" && f.equivalents.includes("IST0150")));
  });

  it("accepts an ExternalName port named https (correct-port-name-external-name-service-type.yaml)", () => {
    assert.deepEqual(lintAnalyzerTestdata(externalNamePortNameInvalid, ["correct-port-name-external-name-service-type.yaml"]), []);
  });

  const cases: { name: string; yaml: string; reported: boolean }[] = [
    { name: "a port named exactly tcp", yaml: externalName("{ name: tcp, port: 5432 }"), reported: true },
    { name: "a port named tcp-db", yaml: externalName("{ name: tcp-db, port: 5432 }"), reported: false },
    { name: "a port with appProtocol tls", yaml: externalName("{ name: db, appProtocol: tls, port: 5432 }"), reported: false },
    { name: "a ClusterIP Service port named tcp", yaml: externalName("{ name: tcp, port: 5432 }", "ClusterIP"), reported: false },
    { name: "a ClusterIP Service port named db (MP1070 reports it)", yaml: externalName("{ name: db, port: 5432 }", "ClusterIP"), reported: false },
  ];
  for (const c of cases) {
    it(`${c.reported ? "reports" : "does not report"} ${c.name}`, () => {
      assert.equal(lintYaml(externalNamePortNameInvalid, { "svc.yaml": c.yaml }).length, c.reported ? 1 : 0);
    });
  }
});
