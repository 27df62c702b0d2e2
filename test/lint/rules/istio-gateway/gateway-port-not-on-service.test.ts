import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { gatewayPortNotOnService as rule } from "../../../../src/lint/rules/istio-gateway/gateway-port-not-on-service.js";
import { lintCorpus, lintYaml, subjects } from "./lint-tree.js";

const pod = `
apiVersion: v1
kind: Pod
metadata: { name: gw-pod, namespace: edge, labels: { app: edge-gw } }
spec: { containers: [{ name: istio-proxy, image: proxyv2 }] }
`;

function service(ports: string, namespace = "edge"): string {
  return `
apiVersion: v1
kind: Service
metadata: { name: edge-gw, namespace: ${namespace} }
spec:
  selector: { app: edge-gw }
  ports:
${ports}
`;
}

function gateway(...ports: number[]): string {
  return `
apiVersion: networking.istio.io/v1
kind: Gateway
metadata: { name: edge, namespace: shop }
spec:
  selector: { app: edge-gw }
  servers:
${ports.map((p) => `  - port: { number: ${p}, name: p${p}, protocol: HTTP }\n    hosts: ["*"]`).join("\n")}
`;
}

describe("MP1041 Gateway port not exposed by the gateway's Service (istioctl IngressGatewayPortAnalyzer, IST0162)", () => {
  const table: { name: string; ports: string; servers: number[]; unreachable: number[] }[] = [
    { name: "a server on the Service's target port", ports: "  - { name: http, port: 80, targetPort: 8080 }", servers: [8080], unreachable: [] },
    { name: "a server on the Service port, which pilot translates to its target port", ports: "  - { name: http, port: 80, targetPort: 8080 }", servers: [80], unreachable: [] },
    { name: "a server on neither", ports: "  - { name: http, port: 80, targetPort: 8080 }", servers: [80, 8443], unreachable: [8443] },
    { name: "a UDP Service port does not count", ports: "  - { name: dns, port: 53, protocol: UDP }", servers: [53], unreachable: [53] },
    { name: "a named target port counts as the Service port", ports: "  - { name: http, port: 80, targetPort: http-alt }", servers: [80, 8080], unreachable: [8080] },
    { name: "a quoted numeric target port is a number", ports: "  - { name: http, port: 80, targetPort: '8080' }", servers: [8080], unreachable: [] },
  ];
  for (const c of table) {
    it(`${c.name}: ${c.unreachable.length ? `reports ${c.unreachable.join(", ")}` : "no finding"}`, () => {
      const findings = lintYaml(rule, { "pod.yaml": pod, "svc.yaml": service(c.ports), "gw.yaml": gateway(...c.servers) });
      const reported = findings.map((f) => Number(/listens on port (\d+)/.exec(f.message)?.[1]));
      assert.deepEqual(reported, c.unreachable);
      for (const f of findings) {
        assert.equal(f.severity, "warning");
        assert.deepEqual(f.equivalents, ["IST0162"]);
        assert.match(f.path ?? "", /^spec\.servers\[\d+\]\.port\.number$/);
      }
    });
  }

  it("reports every server when no Service selects the gateway pods (a Service in another namespace selects nothing there)", () => {
    const findings = lintYaml(rule, {
      "pod.yaml": pod,
      "svc.yaml": service("  - { name: http, port: 80 }", "shop"),
      "gw.yaml": gateway(80, 443),
    });
    assert.deepEqual(subjects(findings), ["Gateway shop/edge spec.servers[0].port.number", "Gateway shop/edge spec.servers[1].port.number"]);
    assert.match(findings[0]!.message, /no Service selects them/);
  });

  it("leaves a Gateway that selects no pod to MP1040", () => {
    assert.deepEqual(lintYaml(rule, { "svc.yaml": service("  - { name: http, port: 80 }"), "gw.yaml": gateway(8443) }), []);
  });

  it("reports port 8002 of httpbin8002-gateway, whose selector picks the 8001 pod (gateway-custom-ingressgateway-svcselector.yaml)", () => {
    const findings = lintCorpus(rule, ["istio-analyzers/testdata/gateway-custom-ingressgateway-svcselector.yaml"]);
    assert.deepEqual(subjects(findings), ["Gateway -/httpbin8002-gateway spec.servers[0].port.number"]);
  });
});
