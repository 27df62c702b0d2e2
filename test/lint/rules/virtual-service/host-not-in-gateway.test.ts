import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { hostNotInGateway } from "../../../../src/lint/rules/virtual-service/host-not-in-gateway.js";
import { boundVs, istioGateway, kubernetesGateway } from "./gateway-manifests.js";
import { lintCorpus, lintYaml, located } from "./lint-virtual-services.js";

describe("MP1006 VirtualService host not in gateway", () => {
  // [case, gateway server hosts (gateway in istio-system), VirtualService namespace, VirtualService hosts, reported]
  const cases: [string, string[], string, string[], boolean][] = [
    ["an exact host the gateway serves", ["shop.example.com"], "default", ["shop.example.com"], false],
    ["a host the gateway does not serve", ["shop.example.com"], "default", ["wrong.example.com"], true],
    ["a host under the gateway's wildcard", ["*.example.com"], "default", ["web.example.com"], false],
    ["a deeper host under the gateway's wildcard", ["*.example.com"], "default", ["a.b.example.com"], false],
    ["a host outside the gateway's wildcard", ["*.example.com"], "default", ["web.example.org"], true],
    ["the VirtualService wildcard * against a named gateway host", ["shop.example.com"], "default", ["*"], false],
    ["./host when the VirtualService is in the gateway's namespace", ["./shop.example.com"], "istio-system", ["shop.example.com"], false],
    ["./host when the VirtualService is in another namespace", ["./shop.example.com"], "default", ["shop.example.com"], true],
    ["*/host from any namespace", ["*/shop.example.com"], "default", ["shop.example.com"], false],
    ["*/* from any namespace", ["*/*"], "default", ["shop.example.com"], false],
    ["ns/host for the VirtualService's namespace", ["default/shop.example.com"], "default", ["shop.example.com"], false],
    ["ns/host for another namespace", ["team/shop.example.com"], "default", ["shop.example.com"], true],
  ];
  for (const [name, gatewayHosts, namespace, hosts, reported] of cases) {
    it(`${reported ? "reports" : "accepts"} ${name}`, () => {
      const findings = lintYaml(hostNotInGateway, {
        "gw.yaml": istioGateway("web", "istio-system", gatewayHosts),
        "vs.yaml": boundVs("web", namespace, ["istio-system/web"], hosts),
      });
      assert.deepEqual(located(findings), reported ? ["web spec.gateways[0]"] : []);
      if (reported) assert.deepEqual(findings[0]!.equivalents, ["IST0132"]);
    });
  }

  it("checks each gateway a VirtualService binds to", () => {
    const findings = lintYaml(hostNotInGateway, {
      "a.yaml": istioGateway("api", "istio-system", ["*.api.example.com"]),
      "b.yaml": istioGateway("home", "istio-system", ["*.home.example.com"]),
      "vs.yaml": boundVs("web", "default", ["istio-system/api", "istio-system/home", "mesh"], ["user.api.example.com"]),
    });
    assert.deepEqual(located(findings), ["web spec.gateways[1]"]);
  });

  it("reports a gateway that does not exist, as istioctl does", () => {
    assert.equal(lintYaml(hostNotInGateway, { "vs.yaml": boundVs("web", "default", ["nowhere"], ["*"]) }).length, 1);
  });

  it("matches Kubernetes Gateway listener hostnames, and a listener without hostname takes any host", () => {
    const vs = boundVs("web", "default", ["default/gw"], ["wrong.example.com"]);
    assert.equal(lintYaml(hostNotInGateway, { "gw.yaml": kubernetesGateway("gw", "default", ["example.com"]), "vs.yaml": vs }).length, 1);
    assert.equal(lintYaml(hostNotInGateway, { "gw.yaml": kubernetesGateway("gw", "default", ["*.example.com"]), "vs.yaml": vs }).length, 0);
    assert.equal(lintYaml(hostNotInGateway, { "gw.yaml": kubernetesGateway("gw", "default", ["example.com", null]), "vs.yaml": vs }).length, 0);
  });

  it("accepts bookinfo's gateway binding", () => {
    assert.deepEqual(lintCorpus(hostNotInGateway, ["bookinfo/networking/bookinfo-gateway.yaml"]), []);
  });
});
