import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { describeMatch, describeRule } from "../../src/report/describe-match.js";
import type { RequestMatch } from "../../src/routing/types.js";

describe("describeMatch", () => {
  const cases: [string, RequestMatch[]][] = [
    ["any request", []],
    ["any request", [{}]],
    ["headers[end-user]=jason", [{ headers: [{ name: "end-user", match: { type: "exact", value: "jason" } }] }]],
    ["uri prefix /api", [{ uri: { type: "prefix", value: "/api" } }]],
    ["uri path-prefix /api/order", [{ uri: { type: "pathPrefix", value: "/api/order" } }]],
    ["uri regex ^/v[0-9]+$", [{ uri: { type: "regex", value: "^/v[0-9]+$" } }]],
    ["uri (any case) prefix /API", [{ uri: { type: "prefix", value: "/API" }, ignoreUriCase: true }]],
    ["headers[x-debug] present", [{ headers: [{ name: "x-debug", match: { type: "present" } }] }]],
    ["headers[end-user]!=jason", [{ headers: [{ name: "end-user", match: { type: "exact", value: "jason" }, invert: true }] }]],
    ["headers[x-debug] absent", [{ headers: [{ name: "x-debug", match: { type: "present" }, invert: true }] }]],
    ["not headers[ua] prefix curl", [{ headers: [{ name: "ua", match: { type: "prefix", value: "curl" }, invert: true }] }]],
    ['query[q]=""', [{ queryParams: [{ name: "q", match: { type: "exact", value: "" } }] }]],
    ['headers[x-team]="blue team"', [{ headers: [{ name: "x-team", match: { type: "exact", value: "blue team" } }] }]],
    ["uri=/login and method=GET", [{ uri: { type: "exact", value: "/login" }, method: { type: "exact", value: "GET" } }]],
    ["uri=/login or uri=/logout", [{ uri: { type: "exact", value: "/login" } }, { uri: { type: "exact", value: "/logout" } }]],
    [
      "(uri prefix /api and method=POST) or port=9080",
      [{ uri: { type: "prefix", value: "/api" }, method: { type: "exact", value: "POST" } }, { port: 9080 }],
    ],
    ["source app=productpage,version=v1", [{ sourceLabels: { app: "productpage", version: "v1" } }]],
    ["source namespace=frontend and gateways=mesh", [{ sourceNamespace: "frontend", gateways: ["mesh"] }]],
  ];
  for (const [text, matches] of cases) {
    it(`reads ${JSON.stringify(matches)} as "${text}"`, () => assert.equal(describeMatch(matches), text));
  }

  it("labels a named rule with its name and what it matches", () => {
    assert.equal(describeRule({ name: "jason", matches: [{ headers: [{ name: "end-user", match: { type: "exact", value: "jason" } }] }] }), "jason (headers[end-user]=jason)");
  });
});
