import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { sameValue } from "../../src/manifests/same-value.js";
import { effectiveRoutes } from "../../src/routing/effective-routes.js";
import { shareUnchanged } from "../../src/routing/share-unchanged.js";
import { modelFromYaml } from "../support/model.js";

const tree = (subset: string) => ({
  "mesh.yaml": `apiVersion: v1
kind: Service
metadata: {name: reviews, namespace: shop}
spec: {selector: {app: reviews}, ports: [{name: http, port: 9080}]}
---
apiVersion: v1
kind: Service
metadata: {name: ratings, namespace: shop}
spec: {selector: {app: ratings}, ports: [{name: http, port: 9080}]}
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: reviews, namespace: shop}
spec:
  hosts: [reviews]
  http:
  - route:
    - destination: {host: reviews, subset: ${subset}}
`,
});

describe("shareUnchanged: one copy of the routing two revisions have in common", () => {
  const base = effectiveRoutes(modelFromYaml(tree("v1")).model).table;
  const head = effectiveRoutes(modelFromYaml(tree("v2")).model).table;
  const shared = shareUnchanged(base, head);
  const byKey = (t: typeof base, host: string) => t.hosts.find((h) => h.host.startsWith(host))!;

  it("uses the base's object for a host that routes the same way", () => {
    assert.equal(byKey(shared, "ratings."), byKey(base, "ratings."));
  });

  it("keeps the head's routing for a host whose routing changed, not the base's", () => {
    assert.notEqual(byKey(shared, "reviews."), byKey(base, "reviews."));
    assert.deepEqual(byKey(shared, "reviews."), byKey(head, "reviews."));
    assert.equal(byKey(shared, "reviews.").rules[0]!.backends[0]!.subset, "v2");
  });

  it("shares a host the head built with its fields in another order", () => {
    const reordered = { ...head, hosts: head.hosts.map((h) => Object.fromEntries(Object.entries(h).reverse()) as typeof h) };
    assert.equal(byKey(shareUnchanged(base, reordered), "ratings."), byKey(base, "ratings."));
  });

  it("shares what the plan's head analysis shares: effectiveRoutes with the base table", () => {
    const planned = effectiveRoutes(modelFromYaml(tree("v2")).model, base).table;
    assert.equal(byKey(planned, "ratings."), byKey(base, "ratings."));
    assert.deepEqual(planned, head);
  });

  it("is equal to the head's table", () => {
    assert.ok(sameValue(shared, head));
  });
});

describe("sameValue", () => {
  const cases: [string, unknown, unknown, boolean][] = [
    ["equal objects", { a: 1, b: [1, { c: "x" }] }, { a: 1, b: [1, { c: "x" }] }, true],
    ["keys in another order", { a: 1, b: 2 }, { b: 2, a: 1 }, false],
    ["a missing key against an undefined one", { a: 1 }, { a: 1, b: undefined }, false],
    ["NaN and NaN", NaN, NaN, true],
    ["an array and an object", [], {}, false],
    ["null and an object", null, {}, false],
    ["class instances that are not the same", new Date(0), new Date(0), false],
  ];
  for (const [name, a, b, equal] of cases) it(`${equal ? "equal" : "not equal"}: ${name}`, () => assert.equal(sameValue(a, b), equal));

  const anyOrder: [string, unknown, unknown, boolean][] = [
    ["keys in another order", { a: 1, b: { c: 1, d: [{ e: 1, f: 2 }] } }, { b: { d: [{ f: 2, e: 1 }], c: 1 }, a: 1 }, true],
    ["a key the other lacks, same count", { a: 1, b: 2 }, { a: 1, c: 2 }, false],
    ["a missing key against an undefined one", { a: 1 }, { a: 1, b: undefined }, false],
    ["items in another order", [1, 2], [2, 1], false],
    ["a value that differs below", { a: { b: 1 } }, { a: { b: 2 } }, false],
  ];
  for (const [name, a, b, equal] of anyOrder) {
    it(`in any key order, ${equal ? "equal" : "not equal"}: ${name}`, () => assert.equal(sameValue(a, b, true), equal));
  }
});
