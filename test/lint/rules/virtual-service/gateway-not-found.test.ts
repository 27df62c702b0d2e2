import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { gatewayNotFound } from "../../../../src/lint/rules/virtual-service/gateway-not-found.js";
import { boundVs, istioGateway, kubernetesGateway } from "./gateway-manifests.js";
import { lintCorpus, lintYaml, located } from "./lint-virtual-services.js";

describe("MP1005 gateway not found", () => {
  it("reports a gateway name that no Gateway has, at the gateways entry", () => {
    const findings = lintYaml(gatewayNotFound, {
      "gw.yaml": istioGateway("web", "default", ["*"]),
      "vs.yaml": boundVs("web", "default", ["mesh", "web-bogus"], ["*"]),
    });
    assert.deepEqual(located(findings), ["web spec.gateways[1]"]);
    assert.deepEqual(findings[0]!.equivalents, ["IST0101"]);
    assert.match(findings[0]!.message, /default\/web-bogus/);
  });

  it("resolves a short gateway name in the VirtualService's namespace", () => {
    const files = { "gw.yaml": istioGateway("web", "edge", ["*"]), "vs.yaml": boundVs("web", "shop", ["web"], ["*"]) };
    assert.equal(lintYaml(gatewayNotFound, files).length, 1);
  });

  const found: [string, string, string[]][] = [
    ["namespace/name of an Istio Gateway", istioGateway("web", "edge", ["*"]), ["edge/web"]],
    ["./name in the VirtualService's namespace", istioGateway("web", "shop", ["*"]), ["./web"]],
    ["the legacy name.namespace.svc.cluster.local form", istioGateway("web", "edge", ["*"]), ["web.edge.svc.cluster.local"]],
    ["a Kubernetes Gateway", kubernetesGateway("web", "edge", ["example.com"]), ["edge/web"]],
    ["mesh", "", ["mesh"]],
  ];
  for (const [name, gateway, gateways] of found) {
    it(`accepts ${name}`, () => {
      assert.deepEqual(lintYaml(gatewayNotFound, { ...(gateway ? { "gw.yaml": gateway } : {}), "vs.yaml": boundVs("web", "shop", gateways, ["*"]) }), []);
    });
  }

  it("accepts a Gateway that fails validation: it still exists", () => {
    const invalid = "apiVersion: networking.istio.io/v1\nkind: Gateway\nmetadata: { name: web, namespace: shop }\nspec:\n  selector: { istio: ingressgateway }\n";
    assert.deepEqual(lintYaml(gatewayNotFound, { "gw.yaml": invalid, "vs.yaml": boundVs("web", "shop", ["web"], ["*"]) }), []);
  });

  it("finds bookinfo's gateway", () => {
    assert.deepEqual(lintCorpus(gatewayNotFound, ["bookinfo/networking/bookinfo-gateway.yaml"]), []);
  });
});
