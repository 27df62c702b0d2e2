import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { destinationPortRequired } from "../../../../src/lint/rules/virtual-service/destination-port-required.js";
import { lintCorpus, lintYaml, located, service } from "./lint-virtual-services.js";

const vs = (destination: string, mirror = "") => `
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: checkout, namespace: shop }
spec:
  hosts: [checkout]
  http:
  - route: [{ destination: ${destination} }]${mirror ? `\n    mirror: ${mirror}` : ""}
`;

describe("MP1002 destination port required", () => {
  it("reports a destination of a two-port Service that names no port", () => {
    const findings = lintYaml(destinationPortRequired, { "s.yaml": service("checkout", "shop", [80, 443]), "vs.yaml": vs("{ host: checkout }") });
    assert.deepEqual(located(findings), ["checkout spec.http[0].route[0].destination"]);
    assert.deepEqual(findings[0]!.equivalents, ["IST0112"]);
    assert.match(findings[0]!.message, /80, 443/);
  });

  it("reports a mirror of a two-port Service that names no port", () => {
    const findings = lintYaml(destinationPortRequired, {
      "s.yaml": service("checkout", "shop", [80, 443]),
      "vs.yaml": vs("{ host: checkout, port: { number: 80 } }", "{ host: checkout }"),
    });
    assert.deepEqual(located(findings), ["checkout spec.http[0].mirror"]);
  });

  const quiet: [string, string, number[]][] = [
    ["a destination that names one of the ports", "{ host: checkout, port: { number: 443 } }", [80, 443]],
    ["a destination of a one-port Service", "{ host: checkout }", [80]],
    ["a destination whose host is not found (that is MP1001)", "{ host: nowhere }", [80, 443]],
  ];
  for (const [name, destination, ports] of quiet) {
    it(`accepts ${name}`, () => {
      assert.deepEqual(lintYaml(destinationPortRequired, { "s.yaml": service("checkout", "shop", ports), "vs.yaml": vs(destination) }), []);
    });
  }

  it("reports the bookinfo googleapis ServiceEntry route only when its port is dropped", () => {
    assert.deepEqual(lintCorpus(destinationPortRequired, ["bookinfo/networking/egress-rule-google-apis.yaml"]), []);
    const findings = lintYaml(destinationPortRequired, {
      "se.yaml": `
apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata: { name: googleapis, namespace: default }
spec:
  hosts: [www.googleapis.com]
  ports: [{ number: 80, name: http, protocol: HTTP }, { number: 443, name: https, protocol: HTTPS }]
`,
      "vs.yaml": vs("{ host: www.googleapis.com }"),
    });
    assert.equal(findings.length, 1);
  });
});
