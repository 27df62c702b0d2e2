import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { defaultPackPolicy, findingsOf, OWNED } from "./default-pack-policy.js";

const policy = defaultPackPolicy("no-wildcard-gateway-hosts");

const istioGateway = (hosts: string) => `apiVersion: networking.istio.io/v1
kind: Gateway
metadata:
  name: public
  namespace: edge
${OWNED}spec:
  selector: { istio: ingressgateway }
  servers:
    - port: { number: 80, name: http, protocol: HTTP }
      hosts: ${hosts}
`;

const gatewayApi = (listeners: string) => `apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata:
  name: public
  namespace: edge
${OWNED}spec:
  gatewayClassName: istio
  listeners: ${listeners}
`;

describe("default pack: no-wildcard-gateway-hosts", () => {
  it("passes Istio servers that name their hosts, subdomain wildcards included", () => {
    assert.deepEqual(findingsOf(policy, { "gw.yaml": istioGateway("[shop.example.com, '*.example.com', 'edge/api.example.com']") }), []);
  });

  it("warns about `*` and `namespace/*` hosts on an Istio Gateway", () => {
    for (const hosts of ["['*']", "['edge/*']"]) {
      const findings = findingsOf(policy, { "gw.yaml": istioGateway(hosts) });
      assert.deepEqual(findings.map((f) => [f.severity, f.path]), [["warning", "spec.servers"]], hosts);
    }
  });

  it("passes Gateway API listeners with hostnames, and TCP listeners without", () => {
    const listeners = "[{ name: web, port: 80, protocol: HTTP, hostname: shop.example.com }, { name: db, port: 5432, protocol: TCP }]";
    assert.deepEqual(findingsOf(policy, { "gw.yaml": gatewayApi(listeners) }), []);
  });

  it("warns about a Gateway API HTTP listener without a hostname, naming it", () => {
    const listeners = "[{ name: web, port: 80, protocol: HTTP }, { name: tls, port: 443, protocol: HTTPS, hostname: shop.example.com }]";
    const findings = findingsOf(policy, { "gw.yaml": gatewayApi(listeners) });
    assert.deepEqual(findings.map((f) => [f.path, f.message]), [["spec.listeners", "listener(s) without a hostname accept any host: web"]]);
  });
});
