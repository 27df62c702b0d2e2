import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { serviceEntryProtocolConflict } from "../../../../src/lint/rules/istio-config/service-entry-protocol-conflict.js";
import { lintAnalyzerTestdata, lintYaml, located } from "./lint.js";

function entry(name: string, namespace: string, hosts: string, ports: string, exportTo = ""): string {
  return `---
apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata: { name: ${name}, namespace: ${namespace} }
spec:
  hosts: ${hosts}
  ports: ${ports}
  resolution: DNS
${exportTo ? `  exportTo: ${exportTo}\n` : ""}`;
}

describe("MP1077 ServiceEntries give one host and port different protocols (istioctl IST0177)", () => {
  it("reports both entries of serviceentry-conflicting-protocol.yaml declaring example.com:13835 as HTTP and HTTPS", () => {
    const findings = lintAnalyzerTestdata(serviceEntryProtocolConflict, ["serviceentry-conflicting-protocol.yaml"]);
    assert.deepEqual(located(findings), ["ServiceEntry default/se-http spec.ports[0].protocol", "ServiceEntry default/se-https spec.ports[0].protocol"]);
    assert.match(findings[0]!.message, /default\/se-http, default\/se-https declare host example.com port 13835 with different protocols \(HTTP, HTTPS\)/);
  });

  it("accepts entries that agree on the protocol (serviceentry-no-conflict-protocol.yaml)", () => {
    assert.deepEqual(lintAnalyzerTestdata(serviceEntryProtocolConflict, ["serviceentry-no-conflict-protocol.yaml"]), []);
  });

  it("accepts entries whose exportTo scopes do not overlap (serviceentry-conflicting-exportto.yaml)", () => {
    assert.deepEqual(lintAnalyzerTestdata(serviceEntryProtocolConflict, ["serviceentry-conflicting-exportto.yaml"]), []);
  });

  const cases: { name: string; yaml: string; reported: string[] }[] = [
    {
      name: "a namespace-local entry and an entry exported everywhere",
      yaml:
        entry("local", "ns1", "[api.example.com]", "[{ number: 443, name: tls, protocol: TLS }]", '["."]') +
        entry("global", "ns2", "[api.example.com]", "[{ number: 443, name: https, protocol: HTTPS }]"),
      reported: ["ServiceEntry ns1/local spec.ports[0].protocol", "ServiceEntry ns2/global spec.ports[0].protocol"],
    },
    {
      name: "protocols that differ only in case",
      yaml:
        entry("a", "ns1", "[api.example.com]", "[{ number: 80, name: http, protocol: http }]") +
        entry("b", "ns2", "[api.example.com]", "[{ number: 80, name: http, protocol: HTTP }]"),
      reported: [],
    },
    {
      name: "the same host on different ports",
      yaml:
        entry("a", "ns1", "[api.example.com]", "[{ number: 80, name: http, protocol: HTTP }]") +
        entry("b", "ns1", "[api.example.com]", "[{ number: 443, name: https, protocol: HTTPS }]"),
      reported: [],
    },
    {
      name: "an entry conflicting on two hosts, reported once",
      yaml:
        entry("a", "ns1", "[a.example.com, b.example.com]", "[{ number: 80, name: http, protocol: HTTP }]") +
        entry("b", "ns1", "[a.example.com, b.example.com]", "[{ number: 80, name: tcp, protocol: TCP }]"),
      reported: ["ServiceEntry ns1/a spec.ports[0].protocol", "ServiceEntry ns1/b spec.ports[0].protocol"],
    },
  ];
  for (const c of cases) {
    it(`${c.reported.length ? "reports" : "accepts"} ${c.name}`, () => {
      assert.deepEqual(located(lintYaml(serviceEntryProtocolConflict, { "egress.yaml": c.yaml })), c.reported);
    });
  }
});
