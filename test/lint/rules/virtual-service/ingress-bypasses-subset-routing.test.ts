import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ingressBypassesSubsetRouting } from "../../../../src/lint/rules/virtual-service/ingress-bypasses-subset-routing.js";
import { lintYaml, located, service } from "./lint-virtual-services.js";

const gatewayVs = (destination: string, gateways = "[istio-system/web]") => `
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: web, namespace: default }
spec:
  hosts: [www.example.com]
  gateways: ${gateways}
  http:
  - route: [{ destination: ${destination} }]
`;

const meshCanary = `
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: ratings, namespace: default }
spec:
  hosts: [ratings]
  http:
  - route:
    - { destination: { host: ratings, subset: v1 }, weight: 90 }
    - { destination: { host: ratings, subset: v2 }, weight: 10 }
`;

describe("MP1004 ingress route bypasses subset routing", () => {
  it("reports a gateway route to a host whose mesh VirtualService splits it into subsets", () => {
    const findings = lintYaml(ingressBypassesSubsetRouting, { "s.yaml": service("ratings", "default", [80]), "mesh.yaml": meshCanary, "gw.yaml": gatewayVs("{ host: ratings }") });
    assert.deepEqual(located(findings), ["web spec.http[0].route[0].destination.host"]);
    assert.deepEqual(findings[0]!.equivalents, ["IST0140"]);
    assert.match(findings[0]!.message, /default\/ratings/);
  });

  it("matches the destination by its fully qualified name too", () => {
    const findings = lintYaml(ingressBypassesSubsetRouting, { "mesh.yaml": meshCanary, "gw.yaml": gatewayVs("{ host: ratings.default.svc.cluster.local }") });
    assert.equal(findings.length, 1);
  });

  const quiet: [string, string, string][] = [
    ["a gateway route that names a subset", "{ host: ratings, subset: v1 }", "[istio-system/web]"],
    ["a mesh-only VirtualService routing to the host", "{ host: ratings }", "[mesh]"],
    ["a gateway route to another host", "{ host: details }", "[istio-system/web]"],
  ];
  for (const [name, destination, gateways] of quiet) {
    it(`does not report ${name}`, () => {
      assert.deepEqual(lintYaml(ingressBypassesSubsetRouting, { "mesh.yaml": meshCanary, "gw.yaml": gatewayVs(destination, gateways) }), []);
    });
  }

  it("does not report when the host's VirtualService routes without subsets", () => {
    const plain = meshCanary.replace(/, subset: v\d/g, "");
    assert.deepEqual(lintYaml(ingressBypassesSubsetRouting, { "mesh.yaml": plain, "gw.yaml": gatewayVs("{ host: ratings }") }), []);
  });
});
