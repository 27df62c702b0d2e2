import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { defaultPackPolicy, findingsOf, OWNED } from "./default-pack-policy.js";

const policy = defaultPackPolicy("max-route-timeout");

const virtualService = (timeouts: (string | null)[]) => `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: details
  namespace: shop
${OWNED}spec:
  hosts: [details]
  http:
${timeouts
  .map((t, i) => `    - name: r${i}\n${t === null ? "" : `      timeout: ${t}\n`}      route:\n        - destination: { host: details }\n`)
  .join("")}`;

const httpRoute = (timeouts: string) => `apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: store
  namespace: shop
${OWNED}spec:
  parentRefs: [{ name: store, kind: Service, group: "" }]
  rules:
    - backendRefs: [{ name: store, port: 80 }]
      timeouts: ${timeouts}
`;

describe("default pack: max-route-timeout", () => {
  it("passes Istio timeouts up to 30s in any duration form, and routes without a timeout", () => {
    assert.deepEqual(findingsOf(policy, { "vs.yaml": virtualService(["30s", "1.5s", "500ms", "0.5m", null]) }), []);
  });

  it("fails an Istio route timeout over 30s, at spec.http, naming it", () => {
    const findings = findingsOf(policy, { "vs.yaml": virtualService(["10s", "45s", "1m"]) });
    assert.deepEqual(
      findings.map((f) => [f.severity, f.path, f.message]),
      [["error", "spec.http", "route timeout over 30s: 45s, 1m"]],
    );
  });

  it("checks Gateway API request and backendRequest timeouts", () => {
    assert.deepEqual(findingsOf(policy, { "route.yaml": httpRoute("{ request: 30s, backendRequest: 10s }") }), []);
    const findings = findingsOf(policy, { "route.yaml": httpRoute("{ request: 20s, backendRequest: 2m }") });
    assert.deepEqual(findings.map((f) => [f.path, f.message]), [["spec.rules", "route timeout over 30s in 1 rule(s)"]]);
  });
});
