import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { destinationPortNotFound } from "../../../../src/lint/rules/virtual-service/destination-port-not-found.js";
import { lintYaml, located, service } from "./lint-virtual-services.js";

const vs = (destination: string) => `
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: reviews, namespace: default }
spec:
  hosts: [reviews]
  tcp:
  - route: [{ destination: ${destination} }]
`;

describe("MP1003 destination port not found", () => {
  it("reports a port the Service does not expose, at the port number", () => {
    const findings = lintYaml(destinationPortNotFound, { "s.yaml": service("reviews", "default", [42]), "vs.yaml": vs("{ host: reviews, port: { number: 999 } }") });
    assert.deepEqual(located(findings), ["reviews spec.tcp[0].route[0].destination.port.number"]);
    assert.deepEqual(findings[0]!.equivalents, ["IST0101"]);
    assert.match(findings[0]!.message, /port 999/);
  });

  it("reports a port on a ServiceEntry that declares no ports", () => {
    const findings = lintYaml(destinationPortNotFound, {
      "se.yaml": `
apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata: { name: ext, namespace: default }
spec:
  hosts: [ext.example.com]
`,
      "vs.yaml": vs("{ host: ext.example.com, port: { number: 443 } }"),
    });
    assert.equal(findings.length, 1);
  });

  for (const [name, destination] of [
    ["a port the Service exposes", "{ host: reviews, port: { number: 42 } }"],
    ["a destination without a port", "{ host: reviews }"],
    ["a port of a host that is not found (that is MP1001)", "{ host: nowhere, port: { number: 999 } }"],
  ] as const) {
    it(`accepts ${name}`, () => {
      assert.deepEqual(lintYaml(destinationPortNotFound, { "s.yaml": service("reviews", "default", [42]), "vs.yaml": vs(destination) }), []);
    });
  }
});
