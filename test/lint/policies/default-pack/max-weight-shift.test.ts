import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { defaultPackPolicy, findingsOf, OWNED } from "./default-pack-policy.js";

const policy = defaultPackPolicy("max-weight-shift");

const reviews = (...weights: [string, number][]) => ({
  "vs.yaml": `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: reviews
  namespace: bookinfo
${OWNED}spec:
  hosts: [reviews]
  http:
    - name: jason
      match: [{ headers: { end-user: { exact: jason } } }]
      route:
        - destination: { host: reviews, subset: v2 }
    - route:
${weights.map(([subset, w]) => `        - destination: { host: reviews, subset: ${subset} }\n          weight: ${w}\n`).join("")}`,
});

const split = (weights: [string, number][]) => ({
  "split.yaml": `apiVersion: split.smi-spec.io/v1alpha2
kind: TrafficSplit
metadata:
  name: bookstore-split
  namespace: bookstore
${OWNED}spec:
  service: bookstore
  backends:
${weights.map(([service, w]) => `    - service: ${service}\n      weight: ${w}\n`).join("")}`,
});

const httpRoute = (weights: [string, number][]) => ({
  "route.yaml": `apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: store
  namespace: shop
${OWNED}spec:
  parentRefs: [{ name: public, namespace: edge }]
  rules:
    - backendRefs:
${weights.map(([name, w]) => `        - { name: ${name}, port: 80, weight: ${w} }\n`).join("")}`,
});

describe("default pack: max-weight-shift", () => {
  it("passes reviews v1 100% -> v1 80% / v3 20%: each backend moves exactly the 20-point limit", () => {
    assert.deepEqual(findingsOf(policy, reviews(["v1", 80], ["v3", 20]), reviews(["v1", 100])), []);
  });

  it("fails reviews v1 100% -> v1 50% / v3 50% at the VirtualService, naming both moves", () => {
    const findings = findingsOf(policy, reviews(["v1", 50], ["v3", 50]), reviews(["v1", 100]));
    assert.deepEqual(
      findings.map((f) => [f.code, f.severity, f.file, f.line, f.message]),
      [
        [
          "max-weight-shift",
          "error",
          "vs.yaml",
          1,
          "traffic moves more than 20 points in one change: reviews v1 100% -> 50%, reviews v3 0% -> 50%",
        ],
      ],
    );
  });

  it("fails reviews v1 100% -> v1 70% / v3 30% under the shipped 20 points, passes it with params.maxShift 30", () => {
    const step = reviews(["v1", 70], ["v3", 30]);
    const base = reviews(["v1", 100]);
    assert.deepEqual(findingsOf(policy, step, base).map((f) => f.message), [
      "traffic moves more than 20 points in one change: reviews v1 100% -> 70%, reviews v3 0% -> 30%",
    ]);
    const lenient = defaultPackPolicy("max-weight-shift", { maxShift: 30 });
    assert.deepEqual(findingsOf(lenient, step, base), []);
    assert.equal(findingsOf(lenient, reviews(["v1", 50], ["v3", 50]), base).length, 1);
  });

  it("counts a rule that moves all its traffic to another version as a 100-point shift; an unchanged object passes", () => {
    const base = reviews(["v1", 100]);
    const head = reviews(["v1", 100]);
    head["vs.yaml"] = head["vs.yaml"].replace("subset: v2 }", "subset: v3 }");
    assert.equal(findingsOf(policy, head, base).length, 1);
    assert.deepEqual(findingsOf(policy, base, base), []);
  });

  it("passes a new object: there is no oldObject to shift from", () => {
    assert.deepEqual(findingsOf(policy, reviews(["v1", 50], ["v3", 50])), []);
    assert.deepEqual(findingsOf(policy, reviews(["v1", 50], ["v3", 50]), { "other.yaml": "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: bookinfo\n" }), []);
  });

  it("checks SMI TrafficSplits", () => {
    assert.deepEqual(findingsOf(policy, split([["v1", 80], ["v2", 20]]), split([["v1", 100]])), []);
    assert.deepEqual(findingsOf(policy, split([["v1", 25], ["v2", 75]]), split([["v1", 100]])).map((f) => f.resource?.kind), ["TrafficSplit"]);
  });

  it("checks Gateway API HTTPRoutes, in both directions", () => {
    assert.deepEqual(findingsOf(policy, httpRoute([["v1", 1], ["v2", 1]]), httpRoute([["v1", 3], ["v2", 2]])), []);
    assert.deepEqual(
      findingsOf(policy, httpRoute([["v1", 100], ["v2", 0]]), httpRoute([["v1", 50], ["v2", 50]])).map((f) => f.message),
      ["traffic moves more than 20 points in one change: v1:80 50% -> 100%, v2:80 50% -> 0%"],
    );
  });
});
