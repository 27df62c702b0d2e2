import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { defaultPackPolicy, findingsOf, OWNED } from "./default-pack-policy.js";

const policy = defaultPackPolicy("max-retry-attempts");

const virtualService = (attempts: number) => `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: details
  namespace: shop
${OWNED}spec:
  hosts: [details]
  http:
    - retries: { attempts: ${attempts}, perTryTimeout: 2s }
      route:
        - destination: { host: details }
`;

const osmRetry = (numRetries: number) => `apiVersion: policy.openservicemesh.io/v1alpha1
kind: Retry
metadata:
  name: bookstore
  namespace: bookbuyer
${OWNED}spec:
  source: { kind: ServiceAccount, name: bookbuyer, namespace: bookbuyer }
  destinations: [{ kind: Service, name: bookstore, namespace: bookstore }]
  retryPolicy: { retryOn: 5xx, perTryTimeout: 1s, numRetries: ${numRetries}, retryBackoffBaseInterval: 1s }
`;

const httpRoute = (attempts: number) => `apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: store
  namespace: shop
${OWNED}spec:
  parentRefs: [{ name: store, kind: Service, group: "" }]
  rules:
    - backendRefs: [{ name: store, port: 80 }]
      retry: { attempts: ${attempts} }
`;

describe("default pack: max-retry-attempts", () => {
  it("passes 3 retry attempts on an Istio route", () => {
    assert.deepEqual(findingsOf(policy, { "vs.yaml": virtualService(3) }), []);
  });

  it("warns about 4 attempts at spec.http", () => {
    const findings = findingsOf(policy, { "vs.yaml": virtualService(4) });
    assert.deepEqual(findings.map((f) => [f.severity, f.path, f.message]), [["warning", "spec.http", "more than 3 retry attempts: 4"]]);
  });

  it("checks OSM Retry numRetries", () => {
    assert.deepEqual(findingsOf(policy, { "retry.yaml": osmRetry(2) }), []);
    const findings = findingsOf(policy, { "retry.yaml": osmRetry(5) });
    assert.deepEqual(findings.map((f) => [f.path, f.message]), [["spec.retryPolicy.numRetries", "more than 3 retries: numRetries is 5"]]);
  });

  it("checks Gateway API rule retry attempts", () => {
    assert.deepEqual(findingsOf(policy, { "route.yaml": httpRoute(1) }), []);
    assert.deepEqual(findingsOf(policy, { "route.yaml": httpRoute(10) }).map((f) => f.path), ["spec.rules"]);
  });
});
