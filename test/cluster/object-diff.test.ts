import { describe, it } from "node:test";
import assert from "node:assert/strict";
import {
  LAST_APPLIED_ANNOTATION,
  comparePaths,
  diffObjects,
  renderFieldChange,
  valueText,
  withoutServerFields,
} from "../../src/cluster/object-diff.js";
import { asApplied, reviewsDesired } from "./live-fixtures.js";

describe("withoutServerFields", () => {
  it("drops managedFields, resourceVersion, uid, generation, creationTimestamp, selfLink and status", () => {
    const live = asApplied(reviewsDesired());
    live.metadata["selfLink"] = "/apis/networking.istio.io/v1/namespaces/bookinfo/virtualservices/reviews";
    assert.deepEqual(withoutServerFields(live), reviewsDesired());
  });

  it("leaves its input untouched", () => {
    const live = asApplied(reviewsDesired());
    const before = structuredClone(live);
    withoutServerFields(live);
    assert.deepEqual(live, before);
  });

  it("drops kubectl's last-applied annotation, and the annotations map when nothing else is in it", () => {
    const o = { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "c", annotations: { [LAST_APPLIED_ANNOTATION]: "{}" } } };
    assert.deepEqual(withoutServerFields(o), { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "c" } });
    const kept = { ...o, metadata: { name: "c", annotations: { [LAST_APPLIED_ANNOTATION]: "{}", team: "mesh" } } };
    assert.deepEqual(withoutServerFields(kept).metadata, { name: "c", annotations: { team: "mesh" } });
  });

  it("keeps deletionTimestamp: an object being deleted is a change", () => {
    const o = { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "c", deletionTimestamp: "2026-11-24T10:00:00Z" } };
    assert.deepEqual(withoutServerFields(o), o);
  });
});

describe("diffObjects", () => {
  it("finds nothing between equal objects", () => {
    assert.deepEqual(diffObjects(reviewsDesired(), reviewsDesired()), []);
  });

  it("reports a changed weight at its path", () => {
    const after = reviewsDesired() as any;
    after.spec.http[1].route[0].weight = 100;
    assert.deepEqual(diffObjects(reviewsDesired(), after), [
      { path: ["spec", "http", 1, "route", 0, "weight"], change: "changed", before: 50, after: 100 },
    ]);
  });

  it("reports map keys added and removed, in sorted order", () => {
    assert.deepEqual(diffObjects({ b: 1, d: { x: 1 } }, { a: 2, b: 1, c: [1] }), [
      { path: ["a"], change: "added", after: 2 },
      { path: ["c"], change: "added", after: [1] },
      { path: ["d"], change: "removed", before: { x: 1 } },
    ]);
  });

  it("reports the elements past the common length of a list", () => {
    assert.deepEqual(diffObjects({ l: [1, 2, 3] }, { l: [1, 5] }), [
      { path: ["l", 1], change: "changed", before: 2, after: 5 },
      { path: ["l", 2], change: "removed", before: 3 },
    ]);
    assert.deepEqual(diffObjects({ l: [1] }, { l: [1, { a: 1 }] }), [{ path: ["l", 1], change: "added", after: { a: 1 } }]);
  });

  it("compares scalars strictly: a string is not a number, and quantities are strings", () => {
    assert.deepEqual(diffObjects({ w: "50", q: "500m" }, { w: 50, q: "0.5" }), [
      { path: ["q"], change: "changed", before: "500m", after: "0.5" },
      { path: ["w"], change: "changed", before: "50", after: 50 },
    ]);
  });

  it("reports a value that changed shape as one change", () => {
    assert.deepEqual(diffObjects({ a: { x: 1 }, b: [], c: null }, { a: [1], b: {}, c: {} }), [
      { path: ["a"], change: "changed", before: { x: 1 }, after: [1] },
      { path: ["b"], change: "changed", before: [], after: {} },
      { path: ["c"], change: "changed", before: null, after: {} },
    ]);
  });

  it("handles a large object in one pass", () => {
    const before = { items: Array.from({ length: 20_000 }, (_, i) => ({ name: `n${i}`, weight: i })) };
    const after = structuredClone(before);
    after.items[12_345]!.weight = -1;
    assert.deepEqual(diffObjects(before, after), [{ path: ["items", 12_345, "weight"], change: "changed", before: 12_345, after: -1 }]);
  });
});

describe("renderFieldChange", () => {
  it("renders a path and both values as compact JSON", () => {
    assert.equal(
      renderFieldChange({ path: ["spec", "http", 0, "route", 0, "weight"], change: "changed", before: 100, after: 50 }),
      "spec.http[0].route[0].weight: 100 → 50",
    );
    assert.equal(renderFieldChange({ path: ["spec", "timeout"], change: "added", after: "5s" }), 'spec.timeout: (absent) → "5s"');
    assert.equal(renderFieldChange({ path: ["spec", "x"], change: "removed", before: { a: 1 } }), 'spec.x: {"a":1} → (absent)');
  });

  it("shortens long values", () => {
    const text = valueText({ hosts: Array.from({ length: 50 }, (_, i) => `host-${i}`) }, { maxLength: 20 });
    assert.equal(text.length, 20);
    assert.ok(text.endsWith("…"));
  });
});

describe("comparePaths", () => {
  it("orders list indexes numerically and by element", () => {
    const paths = [["spec", "http", 10], ["spec", "http", 2, "route"], ["metadata"], ["spec", "http", 2]];
    assert.deepEqual(paths.sort(comparePaths), [["metadata"], ["spec", "http", 2], ["spec", "http", 2, "route"], ["spec", "http", 10]]);
  });
});
