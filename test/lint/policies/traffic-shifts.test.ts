import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parse } from "yaml";
import { trafficShifts } from "../../../src/lint/policies/traffic-shifts.js";

const vs = (http: string) =>
  parse(`apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: reviews, namespace: shop }
spec:
  hosts: [reviews]
  http:
${http}`);

const reviews = (...weights: [string, number][]) =>
  `    - route:\n${weights.map(([subset, w]) => `        - destination: { host: reviews, subset: ${subset} }\n          weight: ${w}\n`).join("")}`;

describe("trafficShifts: how backend shares move between two revisions of one object", () => {
  it("reports each backend whose share of a VirtualService rule changes, new backends from 0%", () => {
    assert.deepEqual(trafficShifts(vs(reviews(["v1", 100])), vs(reviews(["v1", 3], ["v3", 1]))), [
      { rule: "[]", backend: "reviews v1", from: 100, to: 75 },
      { rule: "[]", backend: "reviews v3", from: 0, to: 25 },
    ]);
  });

  it("a removed backend goes to 0%", () => {
    assert.deepEqual(trafficShifts(vs(reviews(["v1", 50], ["v2", 50])), vs(reviews(["v2", 1]))), [
      { rule: "[]", backend: "reviews v1", from: 50, to: 0 },
      { rule: "[]", backend: "reviews v2", from: 50, to: 100 },
    ]);
  });

  it("pairs rules by name and matches, not by position", () => {
    const jason = `    - name: jason\n      match: [{ headers: { end-user: { exact: jason } } }]\n      route:\n        - destination: { host: reviews, subset: v2 }\n`;
    const before = vs(`${jason}${reviews(["v1", 100])}`);
    const after = vs(`${reviews(["v1", 90], ["v3", 10])}${jason}`);
    assert.deepEqual(
      trafficShifts(before, after).map((s) => [s.backend, s.from, s.to]),
      [
        ["reviews v1", 100, 90],
        ["reviews v3", 0, 10],
      ],
    );
  });

  it("does not compare a new rule, a renamed one, or one that no longer routes", () => {
    const named = (name: string, subset: string) => `    - name: ${name}\n      route:\n        - destination: { host: reviews, subset: ${subset} }\n`;
    assert.deepEqual(trafficShifts(vs(named("a", "v1")), vs(named("b", "v2"))), []);
    assert.deepEqual(trafficShifts(vs(named("a", "v1")), vs(`${named("a", "v1")}${named("b", "v2")}`)), []);
    const redirect = `    - name: a\n      redirect: { uri: /elsewhere }\n`;
    assert.deepEqual(trafficShifts(vs(named("a", "v1")), vs(redirect)), []);
  });

  it("is empty for a new object, for different kinds and for kinds without weights", () => {
    assert.deepEqual(trafficShifts(null, vs(reviews(["v1", 100]))), []);
    const dr = { apiVersion: "networking.istio.io/v1", kind: "DestinationRule", spec: {} };
    assert.deepEqual(trafficShifts(dr, vs(reviews(["v1", 100]))), []);
    assert.deepEqual(trafficShifts(dr, dr), []);
  });

  it("reads Gateway API backendRefs with weight defaulting to 1", () => {
    const route = (refs: string) =>
      parse(`apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: { name: store }
spec:
  rules:
    - matches: [{ path: { type: PathPrefix, value: /store } }]
      backendRefs: ${refs}
`);
    assert.deepEqual(
      trafficShifts(route("[{ name: store-v1, port: 8080 }]"), route("[{ name: store-v1, port: 8080 }, { name: store-v2, port: 8080, weight: 3 }]")).map(
        (s) => [s.backend, s.from, s.to],
      ),
      [
        ["store-v1:8080", 100, 25],
        ["store-v2:8080", 0, 75],
      ],
    );
  });

  it("reads SMI v1alpha1 weights as Kubernetes quantities", () => {
    const split = (backends: string) =>
      parse(`apiVersion: split.smi-spec.io/v1alpha1
kind: TrafficSplit
metadata: { name: bookstore }
spec:
  service: bookstore
  backends: ${backends}
`);
    assert.deepEqual(
      trafficShifts(split("[{ service: v1, weight: 1 }]"), split("[{ service: v1, weight: 900m }, { service: v2, weight: 100m }]")).map((s) => [
        s.backend,
        s.from,
        s.to,
      ]),
      [
        ["v1", 100, 90],
        ["v2", 0, 10],
      ],
    );
  });
});
