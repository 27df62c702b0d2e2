import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { matchCovers } from "../../../../src/lint/rules/virtual-service/match-covers.js";
import type { RequestMatch } from "../../../../src/routing/types.js";

describe("match block coverage", () => {
  // [case, a, b, a covers b]
  const cases: [string, RequestMatch, RequestMatch, boolean][] = [
    ["an empty block covers anything", {}, { uri: { type: "exact", value: "/x" }, port: 80 }, true],
    ["a prefix covers a longer prefix", { uri: { type: "prefix", value: "/api" } }, { uri: { type: "prefix", value: "/apis" } }, true],
    ["a prefix covers an exact path it starts", { uri: { type: "prefix", value: "/api" } }, { uri: { type: "exact", value: "/api/1" } }, true],
    ["an exact path does not cover a prefix", { uri: { type: "exact", value: "/api" } }, { uri: { type: "prefix", value: "/api" } }, false],
    ["a uri condition does not cover a block without one", { uri: { type: "prefix", value: "/api" } }, {}, false],
    ["prefix / covers a block without uri", { uri: { type: "prefix", value: "" } }, { port: 8080 }, true],
    ["a regex covers only the same regex", { uri: { type: "regex", value: "/v[0-9]+" } }, { uri: { type: "regex", value: "/v[0-9]+" } }, true],
    ["a regex does not cover a matching exact path (not proven)", { uri: { type: "regex", value: "/v[0-9]+" } }, { uri: { type: "exact", value: "/v1" } }, false],
    ["a case-sensitive prefix does not cover a case-insensitive one", { uri: { type: "prefix", value: "/a" } }, { uri: { type: "prefix", value: "/a" }, ignoreUriCase: true }, false],
    ["a case-insensitive prefix covers differently cased paths", { uri: { type: "prefix", value: "/API" }, ignoreUriCase: true }, { uri: { type: "exact", value: "/api/x" } }, true],
    ["a header presence check covers a header value", { headers: [{ name: "x", match: { type: "present" } }] }, { headers: [{ name: "x", match: { type: "exact", value: "1" } }] }, true],
    ["a header condition is not covered by its inverse", { headers: [{ name: "x", match: { type: "exact", value: "1" } }] }, { headers: [{ name: "x", match: { type: "exact", value: "1" }, invert: true }] }, false],
    ["a without-header condition covers the same one", { headers: [{ name: "x", match: { type: "exact", value: "1" }, invert: true }] }, { headers: [{ name: "x", match: { type: "exact", value: "1" }, invert: true }] }, true],
    ["a port does not cover another port", { port: 80 }, { port: 81 }, false],
    ["fewer source labels cover more", { sourceLabels: { app: "web" } }, { sourceLabels: { app: "web", version: "v1" } }, true],
    ["gateways cover a subset of them", { gateways: ["mesh", "ns/gw"] }, { gateways: ["ns/gw"] }, true],
    ["named gateways do not cover a block on every gateway", { gateways: ["ns/gw"] }, {}, false],
    ["a method does not cover no method", { method: { type: "exact", value: "GET" } }, {}, false],
    ["a query parameter prefix covers a longer exact value", { queryParams: [{ name: "v", match: { type: "prefix", value: "1" } }] }, { queryParams: [{ name: "v", match: { type: "exact", value: "12" } }] }, true],
  ];
  for (const [name, a, b, covers] of cases) {
    it(name, () => assert.equal(matchCovers(a, b), covers));
  }
});
