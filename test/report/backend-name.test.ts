import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { backendName, backendNamer } from "../../src/report/backend-name.js";

describe("backendName", () => {
  const cases: { service: string; subset: string | null; port: number | null; namespace: string | null; withPort?: boolean; shown: string }[] = [
    { service: "reviews.default.svc.cluster.local", subset: "v1", port: null, namespace: "default", shown: "reviews v1" },
    { service: "reviews-v2.default.svc.cluster.local", subset: null, port: 9080, namespace: "default", shown: "reviews-v2" },
    { service: "ratings.prod.svc.cluster.local", subset: "v1", port: null, namespace: "default", shown: "ratings.prod v1" },
    { service: "reviews.default.svc.mesh.example", subset: null, port: null, namespace: "default", shown: "reviews" },
    { service: "httpbin.org", subset: null, port: 443, namespace: "default", shown: "httpbin.org" },
    { service: "productpage.default.svc.cluster.local", subset: null, port: 9080, namespace: "default", withPort: true, shown: "productpage:9080" },
    { service: "reviews.default.svc.cluster.local", subset: "v1", port: 9080, namespace: null, shown: "reviews.default v1" },
  ];
  for (const c of cases) {
    it(`shows ${c.service}${c.subset ? ` subset ${c.subset}` : ""} seen from ${c.namespace ?? "no namespace"} as "${c.shown}"`, () => {
      assert.equal(backendName(c, { namespace: c.namespace, withPort: c.withPort }), c.shown);
    });
  }

  it("adds ports only where the same service and subset occur on two ports", () => {
    const a = { service: "productpage.default.svc.cluster.local", subset: null, port: 9080 };
    const b = { ...a, port: 9081 };
    const c = { service: "reviews.default.svc.cluster.local", subset: "v1", port: 9080 };
    const name = backendNamer([a, b, c], "default");
    assert.deepEqual([a, b, c].map(name), ["productpage:9080", "productpage:9081", "reviews v1"]);
  });
});
