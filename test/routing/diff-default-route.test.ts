import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { defaultRoute, isCatchAll } from "../../src/routing/diff.js";
import type { RequestMatch } from "../../src/routing/types.js";
import { host, rule } from "../report/table-builder.js";

describe("isCatchAll: which match blocks every request satisfies", () => {
  const cases: [string, RequestMatch[], boolean, { attachment?: string; port?: number }?][] = [
    ["no matches", [], true],
    ["an empty block", [{}], true],
    ["uri prefix / (Istio's usual catch-all)", [{ uri: { type: "prefix", value: "/" } }], true],
    ["uri path-prefix / (Gateway API default)", [{ uri: { type: "pathPrefix", value: "/" } }], true],
    ["uri regex .*", [{ uri: { type: "regex", value: ".*" } }], true],
    ["uri prefix /api", [{ uri: { type: "prefix", value: "/api" } }], false],
    ["a header, even a regex .* one (absent headers never match)", [{ headers: [{ name: "x", match: { type: "regex", value: ".*" } }] }], false],
    ["a source label", [{ sourceLabels: { app: "productpage" } }], false],
    ["a source namespace", [{ sourceNamespace: "default" }], false],
    ["gateways=mesh on a mesh host", [{ gateways: ["mesh"] }], true],
    ["gateways=mesh on a gateway host", [{ gateways: ["mesh"] }], false, { attachment: "gateway:istio-system/ingress" }],
    ["the host's own gateway", [{ gateways: ["istio-system/ingress"] }], true, { attachment: "gateway:istio-system/ingress" }],
    ["the host's own port", [{ port: 9080 }], true, { port: 9080 }],
    ["another port", [{ port: 9090 }], false, { port: 9080 }],
    ["one catch-all block among others", [{ uri: { type: "exact", value: "/a" } }, {}], true],
  ];
  for (const [what, matches, expected, spec] of cases) {
    it(`${expected ? "catches everything" : "does not catch everything"} with ${what}`, () => {
      const r = rule("r", { matches, to: "reviews v1 100" });
      assert.equal(isCatchAll(r, host("reviews", [r], spec)), expected);
    });
  }
});

describe("defaultRoute", () => {
  it("is the first catch-all rule, since first match wins", () => {
    const h = host("reviews", [rule("a", { to: "reviews v1 100" }), rule("b", { to: "reviews v2 100" })]);
    assert.deepEqual(defaultRoute(h), { kind: "backends", rule: "a", backends: [{ service: "reviews.default.svc.cluster.local", subset: "v1", port: null, weight: 100 }] });
  });

  const outcomes: [string, Parameters<typeof rule>[1], string][] = [
    ["a redirect", { policies: { redirect: { uri: "/v2", statusCode: 301 } } }, "redirect"],
    ["a direct response", { policies: { directResponse: { status: 503, body: null } } }, "directResponse"],
    ["no backends (all weights 0)", {}, "noBackends"],
  ];
  for (const [what, spec, kind] of outcomes) {
    it(`reports ${what} as ${kind}`, () => {
      assert.equal(defaultRoute(host("reviews", [rule("a", spec)])).kind, kind);
    });
  }

  it("is none when every rule can miss (unmatched requests get 404)", () => {
    assert.deepEqual(defaultRoute(host("reviews", [rule("a", { matches: [{ uri: { type: "prefix", value: "/api" } }], to: "reviews v1 100" })])), { kind: "none" });
  });
});
