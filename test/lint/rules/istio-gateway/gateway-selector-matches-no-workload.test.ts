import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { gatewaySelectorMatchesNoWorkload as rule } from "../../../../src/lint/rules/istio-gateway/gateway-selector-matches-no-workload.js";
import { lintCorpus, lintYaml, subjects } from "./lint-tree.js";

const ingressDeployment = `
apiVersion: apps/v1
kind: Deployment
metadata: { name: istio-ingressgateway, namespace: istio-ingress }
spec:
  selector: { matchLabels: { istio: ingressgateway } }
  template:
    metadata: { labels: { istio: ingressgateway, app: istio-ingressgateway } }
    spec: { containers: [{ name: istio-proxy, image: auto }] }
`;

function gateway(selector: string, namespace = "shop"): string {
  return `
apiVersion: networking.istio.io/v1
kind: Gateway
metadata: { name: shop-gateway, namespace: ${namespace} }
spec:
  selector: ${selector}
  servers:
  - port: { number: 80, name: http, protocol: HTTP }
    hosts: ["shop.example.com"]
`;
}

describe("MP1040 Gateway selector matches no workload (istioctl IngressGatewayPortAnalyzer, IST0101)", () => {
  it("reports a selector with a typo when the tree declares the ingress gateway Deployment", () => {
    const findings = lintYaml(rule, { "gw.yaml": gateway("{ istio: ingress-gateway }"), "ingress.yaml": ingressDeployment });
    assert.deepEqual(subjects(findings), ["Gateway shop/shop-gateway spec.selector"]);
    const [f] = findings;
    assert.equal(f!.code, "MP1040");
    assert.equal(f!.severity, "error");
    assert.deepEqual(f!.equivalents, ["IST0101"]);
    assert.equal(f!.line, 6);
    assert.match(f!.message, /istio=ingress-gateway/);
  });

  it("finds gateway workloads in any namespace, as Istio does", () => {
    assert.deepEqual(lintYaml(rule, { "gw.yaml": gateway("{ istio: ingressgateway }"), "ingress.yaml": ingressDeployment }), []);
  });

  it("needs every selector label on one workload", () => {
    const findings = lintYaml(rule, {
      "gw.yaml": gateway("{ istio: ingressgateway, app: other }"),
      "ingress.yaml": ingressDeployment,
    });
    assert.deepEqual(subjects(findings), ["Gateway shop/shop-gateway spec.selector"]);
  });

  it("stays silent when no workload in the tree carries the selector's label keys (gateway installed elsewhere)", () => {
    const app = `
apiVersion: apps/v1
kind: Deployment
metadata: { name: web, namespace: shop }
spec:
  selector: { matchLabels: { app: web } }
  template: { metadata: { labels: { app: web } }, spec: { containers: [{ name: web, image: web }] } }
`;
    assert.deepEqual(lintYaml(rule, { "gw.yaml": gateway("{ istio: ingressgateway }"), "app.yaml": app }), []);
  });

  it("treats a Gateway without selector as selecting every workload", () => {
    const noSelector = gateway("{ istio: x }").replace("  selector: { istio: x }\n", "");
    assert.deepEqual(lintYaml(rule, { "gw.yaml": noSelector, "ingress.yaml": ingressDeployment }), []);
  });

  it("checks the selector of a Gateway the schema rejects (gateway-no-workload.yaml has no servers)", () => {
    const corpus = lintCorpus(rule, ["istio-analyzers/testdata/gateway-no-workload.yaml"]);
    assert.deepEqual(corpus, [], "no workload carries the key istio: nothing to judge against");
    const withGateway = lintYaml(rule, {
      "gateway-no-workload.yaml": "apiVersion: networking.istio.io/v1\nkind: Gateway\nmetadata: { name: httpbin-gateway }\nspec: { selector: { istio: ingresstypo } }\n",
      "ingress.yaml": ingressDeployment,
    });
    assert.deepEqual(subjects(withGateway), ["Gateway -/httpbin-gateway spec.selector"]);
  });
});
