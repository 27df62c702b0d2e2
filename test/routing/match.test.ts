import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { matchRequest, matchString, pathPrefixMatches } from "../../src/routing/match.js";
import { re2FullMatch, compileRe2 } from "../../src/routing/regex.js";
import { requestFrom } from "../../src/routing/trace.js";
import type { RequestMatch, StringMatch } from "../../src/routing/types.js";

describe("string matching", () => {
  const cases: [string, StringMatch, string, boolean][] = [
    ["Istio prefix is a plain string prefix: /api/order matches /api/orders", { type: "prefix", value: "/api/order" }, "/api/orders", true],
    ["Gateway API PathPrefix matches whole elements: /api/order does not match /api/orders", { type: "pathPrefix", value: "/api/order" }, "/api/orders", false],
    ["PathPrefix /api/order matches /api/order/42", { type: "pathPrefix", value: "/api/order" }, "/api/order/42", true],
    ["PathPrefix /api/order matches /api/order itself", { type: "pathPrefix", value: "/api/order" }, "/api/order", true],
    ["PathPrefix ignores a trailing slash in the prefix", { type: "pathPrefix", value: "/api/order/" }, "/api/order", true],
    ["PathPrefix / matches everything", { type: "pathPrefix", value: "/" }, "/anything/at/all", true],
    ["exact is exact", { type: "exact", value: "/productpage" }, "/productpage/", false],
    ["RE2 regex must match the whole value, not a substring", { type: "regex", value: "v1" }, "v12", false],
    ["RE2 regex matching the whole value", { type: "regex", value: "v[0-9]+" }, "v12", true],
    ["regex is not searched inside the value", { type: "regex", value: "/reviews/[0-9]+" }, "/api/reviews/7", false],
    ["present matches any value", { type: "present" }, "", true],
  ];
  for (const [name, m, value, want] of cases) {
    it(name, () => assert.equal(matchString(m, value), want));
  }

  it("rejects regex syntax RE2 does not have (lookahead) instead of using JavaScript RegExp", () => {
    const c = compileRe2("(?=foo)bar");
    assert.equal(c.ok, false);
    assert.equal(re2FullMatch("(?=foo)bar", "bar"), false);
  });

  it("pathPrefixMatches treats the empty prefix like /", () => {
    assert.equal(pathPrefixMatches("", "/x"), true);
  });
});

describe("request matching", () => {
  const req = requestFrom({
    host: "reviews",
    path: "/reviews/1?user=jason&x=1&user=other",
    method: "post",
    headers: { "End-User": "jason", Cookie: "session=abc" },
    sourceLabels: { app: "productpage", version: "v1" },
    from: { namespace: "default", serviceAccount: "bookinfo-productpage" },
    port: 9080,
  });

  const cases: [string, RequestMatch, boolean][] = [
    ["header names compare case-insensitively (End-User vs end-user)", { headers: [{ name: "end-user", match: { type: "exact", value: "jason" } }] }, true],
    ["header values are case-sensitive", { headers: [{ name: "end-user", match: { type: "exact", value: "Jason" } }] }, false],
    ["a query string in the path is matched by query-parameter rules", { queryParams: [{ name: "user", match: { type: "exact", value: "jason" } }] }, true],
    ["a repeated query parameter keeps its first value", { queryParams: [{ name: "user", match: { type: "exact", value: "other" } }] }, false],
    ["query parameter names are case-sensitive", { queryParams: [{ name: "User", match: { type: "exact", value: "jason" } }] }, false],
    ["uri is matched without the query string", { uri: { type: "exact", value: "/reviews/1" } }, true],
    ["method compares upper-case", { method: { type: "exact", value: "POST" } }, true],
    ["all conditions of one block must hold (AND)", { uri: { type: "prefix", value: "/reviews" }, method: { type: "exact", value: "GET" } }, false],
    ["sourceLabels must all be on the caller", { sourceLabels: { app: "productpage" } }, true],
    ["sourceLabels with a label the caller lacks", { sourceLabels: { app: "productpage", version: "v2" } }, false],
    ["sourceNamespace is the caller's namespace", { sourceNamespace: "default" }, true],
    ["port must equal the destination port", { port: 9081 }, false],
    ["gateways: mesh traffic matches a block that names mesh", { gateways: ["mesh"] }, true],
    ["gateways: mesh traffic does not match a gateway-only block", { gateways: ["default/bookinfo-gateway"] }, false],
    ["ignoreUriCase compares the uri case-insensitively", { uri: { type: "exact", value: "/REVIEWS/1" }, ignoreUriCase: true }, true],
    ["withoutHeaders: a header with another value matches", { headers: [{ name: "end-user", match: { type: "exact", value: "mike" }, invert: true }] }, true],
    ["withoutHeaders: a header with that value does not match", { headers: [{ name: "end-user", match: { type: "exact", value: "jason" }, invert: true }] }, false],
    // Envoy HeaderUtility::matchHeaders: an absent header fails an inverted value matcher.
    ["withoutHeaders with a value does not match a request lacking the header", { headers: [{ name: "x-canary", match: { type: "exact", value: "1" }, invert: true }] }, false],
    ["withoutHeaders presence matches a request lacking the header", { headers: [{ name: "x-canary", match: { type: "present" }, invert: true }] }, true],
    ["a regex on a missing header does not match", { headers: [{ name: "x-canary", match: { type: "regex", value: ".*" } }] }, false],
    ["cookie regex matched against the whole cookie header", { headers: [{ name: "cookie", match: { type: "regex", value: "(.*;\\s*)?session=abc(;.*)?" } }] }, true],
  ];
  for (const [name, m, want] of cases) {
    it(name, () => assert.equal(matchRequest(m, req), want));
  }

  it("requestFrom defaults to GET / over the mesh", () => {
    const r = requestFrom({ host: "x" });
    assert.deepEqual([r.method, r.path, r.attachment, r.from, r.port], ["GET", "/", "mesh", null, null]);
  });
});
