import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { attachmentOf, resolveGatewayName } from "../../../src/routing/istio/resolve-gateway-name.js";

/** Istio VirtualService `gateways`: how each written form names a gateway, for a VirtualService in namespace `shop`. */
const cases: [string, string][] = [
  ["mesh", "mesh"],
  ["edge", "shop/edge"],
  ["infra/public", "infra/public"],
  ["./edge", "shop/edge"],
  ["edge.infra.svc.cluster.local", "infra/edge"],
  ["edge.infra", "infra/edge"],
];

describe("Istio gateway names", () => {
  for (const [written, resolved] of cases) {
    it(`resolves ${written} to ${resolved}`, () => {
      assert.equal(resolveGatewayName(written, "shop"), resolved);
    });
  }

  it("attaches mesh to the sidecars and a gateway by its namespaced name", () => {
    assert.equal(attachmentOf("mesh"), "mesh");
    assert.equal(attachmentOf("infra/public"), "gateway:infra/public");
  });
});
