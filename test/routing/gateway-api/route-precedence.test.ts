import { describe, it } from "node:test";
import assert from "node:assert/strict";
import type { RulePrecedence } from "../../../src/routing/gateway-api/route-precedence.js";
import { comparePrecedence, httpMatchKeys } from "../../../src/routing/gateway-api/route-precedence.js";
import type { RequestMatch } from "../../../src/routing/types.js";

const rule = (match: RequestMatch, over: Partial<RulePrecedence> = {}): RulePrecedence => ({
  routeHostname: "",
  matchKeys: httpMatchKeys(match),
  creationTimestamp: null,
  routeKey: "default/r",
  ruleIndex: 0,
  matchIndex: 0,
  ...over,
});
const prefix = (value: string): RequestMatch => ({ uri: { type: "pathPrefix", value } });

// apis/v1 HTTPRouteRule.matches: "precedence must be given to the match having ..."
describe("comparePrecedence: which of two HTTPRoute matches the data plane tries first", () => {
  const cases: [string, RulePrecedence, RulePrecedence][] = [
    ["an Exact path before a longer PathPrefix", rule({ uri: { type: "exact", value: "/a" } }), rule(prefix("/a/b/c/d"))],
    ["the longer PathPrefix first", rule(prefix("/api/v1")), rule(prefix("/api"))],
    ["a trailing slash does not make a prefix longer", rule(prefix("/api"), { ruleIndex: 0 }), rule(prefix("/api/"), { ruleIndex: 1 })],
    ["a PathPrefix before a RegularExpression (implementation-specific; as Istio)", rule(prefix("/")), rule({ uri: { type: "regex", value: "/api/.*" } })],
    ["a method match before none", rule({ ...prefix("/"), method: { type: "exact", value: "GET" } }), rule({ ...prefix("/"), headers: [{ name: "a", match: { type: "exact", value: "1" } }] })],
    [
      "more header matches first",
      rule({ ...prefix("/"), headers: [{ name: "a", match: { type: "exact", value: "1" } }, { name: "b", match: { type: "exact", value: "2" } }] }),
      rule({ ...prefix("/"), headers: [{ name: "a", match: { type: "exact", value: "1" } }], queryParams: [{ name: "q", match: { type: "exact", value: "1" } }] }),
    ],
    ["more query param matches first", rule({ ...prefix("/"), queryParams: [{ name: "q", match: { type: "exact", value: "1" } }] }), rule(prefix("/"))],
    ["the older route on a tie", rule(prefix("/"), { routeKey: "z/late", creationTimestamp: "2020-01-01T00:00:00Z" }), rule(prefix("/"), { routeKey: "a/early", creationTimestamp: "2021-06-01T00:00:00Z" })],
    ["namespace/name alphabetically when age does not decide", rule(prefix("/"), { routeKey: "a/x" }), rule(prefix("/"), { routeKey: "b/x" })],
    ["rule order within one route last", rule(prefix("/"), { ruleIndex: 1 }), rule(prefix("/"), { ruleIndex: 2 })],
    ["an exact route hostname before a wildcard one", rule(prefix("/"), { routeHostname: "foo.example.com" }), rule({ uri: { type: "exact", value: "/" } }, { routeHostname: "*.example.com" })],
    ["the longer wildcard hostname first", rule(prefix("/"), { routeHostname: "*.a.example.com" }), rule(prefix("/"), { routeHostname: "*.example.com" })],
  ];
  for (const [name, first, second] of cases)
    it(name, () => {
      assert.ok(comparePrecedence(first, second) < 0);
      assert.ok(comparePrecedence(second, first) > 0);
    });
});
