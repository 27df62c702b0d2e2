import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { HttpMatchRequest } from "../../../src/manifests/schemas/istio.js";
import { httpMatch } from "../../../src/routing/istio/http-match.js";
import type { RequestMatch } from "../../../src/routing/types.js";

/** Istio API reference, VirtualService HTTPMatchRequest: each field and what the table must say for it. */
const cases: { name: string; match: HttpMatchRequest; want: RequestMatch }[] = [
  {
    name: "uri prefix stays a plain string prefix, not a path-element prefix",
    match: { uri: { prefix: "/api/order" } },
    want: { uri: { type: "prefix", value: "/api/order" } },
  },
  { name: "uri exact", match: { uri: { exact: "/productpage" } }, want: { uri: { type: "exact", value: "/productpage" } } },
  { name: "uri regex is kept for RE2", match: { uri: { regex: "/v[0-9]+/.*" } }, want: { uri: { type: "regex", value: "/v[0-9]+/.*" } } },
  { name: "an empty uri match sets no condition", match: { uri: {} }, want: {} },
  {
    name: "method, scheme and authority",
    match: { method: { exact: "GET" }, scheme: { exact: "https" }, authority: { prefix: "shop." } },
    want: { method: { type: "exact", value: "GET" }, scheme: { type: "exact", value: "https" }, authority: { type: "prefix", value: "shop." } },
  },
  {
    name: "header names are lower-cased and sorted; an empty header match checks presence",
    match: { headers: { "X-Canary": {}, "End-User": { exact: "jason" } } },
    want: {
      headers: [
        { name: "end-user", match: { type: "exact", value: "jason" } },
        { name: "x-canary", match: { type: "present" } },
      ],
    },
  },
  {
    name: "withoutHeaders become inverted header conditions",
    match: { headers: { "end-user": { exact: "jason" } }, withoutHeaders: { "X-Debug": {} } },
    want: {
      headers: [
        { name: "end-user", match: { type: "exact", value: "jason" } },
        { name: "x-debug", match: { type: "present" }, invert: true },
      ],
    },
  },
  {
    name: "query parameter names keep their case",
    match: { queryParams: { UserId: { regex: "\\d+" }, debug: { exact: "1" } } },
    want: {
      queryParams: [
        { name: "UserId", match: { type: "regex", value: "\\d+" } },
        { name: "debug", match: { type: "exact", value: "1" } },
      ],
    },
  },
  {
    name: "port, sourceLabels, sourceNamespace and ignoreUriCase",
    match: { port: 9080, sourceLabels: { app: "productpage" }, sourceNamespace: "front", uri: { prefix: "/Reviews" }, ignoreUriCase: true },
    want: { port: 9080, sourceLabels: { app: "productpage" }, sourceNamespace: "front", uri: { type: "prefix", value: "/Reviews" }, ignoreUriCase: true },
  },
  {
    name: "gateways resolve like the VirtualService's own gateways",
    match: { gateways: ["mesh", "edge", "infra/public"] },
    want: { gateways: ["mesh", "shop/edge", "infra/public"] },
  },
];

describe("Istio HTTPMatchRequest", () => {
  for (const c of cases) {
    it(c.name, () => {
      assert.deepEqual(httpMatch(c.match, "shop"), c.want);
    });
  }
});
