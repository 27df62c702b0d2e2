import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { serviceEntryAddressesRequired } from "../../../../src/lint/rules/istio-config/service-entry-addresses-required.js";
import { lintAnalyzerTestdata, lintYaml, located, meshConfigMap } from "./lint.js";

function entry(spec: string, status = ""): string {
  return `apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata: { name: db, namespace: shop }
spec:
  hosts: [db.example.com]
  resolution: DNS
${spec}
${status}`;
}

describe("MP1076 ServiceEntry TCP port needs addresses (istioctl IST0134)", () => {
  it("reports the entries of serviceentry-missing-addresses-protocol.yaml with a TCP or unset protocol and no addresses", () => {
    const findings = lintAnalyzerTestdata(serviceEntryAddressesRequired, ["serviceentry-missing-addresses-protocol.yaml"]);
    assert.deepEqual(located(findings), [
      "ServiceEntry default/service-entry-test-03 spec.ports[0]",
      "ServiceEntry default/service-entry-test-04 spec.ports[0].protocol",
      "ServiceEntry default/service-entry-test-07 spec.ports[0].protocol",
    ]);
    assert.ok(findings.every((f) => f.severity === "warning" && f.equivalents.includes("IST0134")));
  });

  it("compares the protocol case-insensitively (serviceentry-address-required-lowercase.yaml)", () => {
    const findings = lintAnalyzerTestdata(serviceEntryAddressesRequired, ["serviceentry-address-required-lowercase.yaml"]);
    assert.deepEqual(located(findings), ["ServiceEntry -/address-missing-lowercase spec.ports[0].protocol"]);
  });

  it("accepts addresses the allocation controller wrote to the status (serviceentry-address-allocated.yaml)", () => {
    assert.deepEqual(lintAnalyzerTestdata(serviceEntryAddressesRequired, ["serviceentry-address-allocated.yaml"]), []);
  });

  const meshConfigs: { name: string; mesh: string; reported: boolean }[] = [
    {
      name: "DNS capture with ISTIO_META_DNS_AUTO_ALLOCATE",
      mesh: 'defaultConfig:\n  proxyMetadata:\n    ISTIO_META_DNS_CAPTURE: "true"\n    ISTIO_META_DNS_AUTO_ALLOCATE: "true"',
      reported: false,
    },
    {
      name: "DNS capture with PILOT_ENABLE_IP_AUTOALLOCATE",
      mesh: 'defaultConfig:\n  proxyMetadata:\n    ISTIO_META_DNS_CAPTURE: "true"\n    PILOT_ENABLE_IP_AUTOALLOCATE: "true"',
      reported: false,
    },
    { name: "DNS capture alone", mesh: 'defaultConfig:\n  proxyMetadata:\n    ISTIO_META_DNS_CAPTURE: "true"', reported: true },
    { name: "auto-allocation without DNS capture", mesh: 'defaultConfig:\n  proxyMetadata:\n    ISTIO_META_DNS_AUTO_ALLOCATE: "true"', reported: true },
    { name: "a mesh value that is not YAML", mesh: "defaultConfig: [unclosed", reported: true },
  ];
  for (const c of meshConfigs) {
    it(`${c.reported ? "still reports" : "accepts"} a TCP entry without addresses under a MeshConfig with ${c.name}`, () => {
      const files = { "mesh.yaml": meshConfigMap(c.mesh), "db.yaml": entry("  ports: [{ number: 5432, name: tcp-db, protocol: TCP }]") };
      assert.equal(lintYaml(serviceEntryAddressesRequired, files).length, c.reported ? 1 : 0);
    });
  }

  const cases: { name: string; yaml: string; reported: number }[] = [
    { name: "an entry with addresses", yaml: entry("  addresses: [10.1.2.3]\n  ports: [{ number: 5432, name: tcp-db, protocol: TCP }]"), reported: 0 },
    { name: "an empty addresses list", yaml: entry("  addresses: []\n  ports: [{ number: 5432, name: tcp-db, protocol: TCP }]"), reported: 1 },
    { name: "an HTTPS port (routed by SNI)", yaml: entry("  ports: [{ number: 443, name: https, protocol: HTTPS }]"), reported: 0 },
    { name: "one finding per TCP port", yaml: entry("  ports:\n  - { number: 5432, name: tcp-db, protocol: TCP }\n  - { number: 6432, name: tcp-pool }"), reported: 2 },
    { name: "an entry without ports", yaml: entry(""), reported: 0 },
  ];
  for (const c of cases) {
    it(`reports ${c.reported} finding(s) for ${c.name}`, () => {
      assert.equal(lintYaml(serviceEntryAddressesRequired, { "db.yaml": c.yaml }).length, c.reported);
    });
  }
});
