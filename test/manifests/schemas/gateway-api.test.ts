import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { inputCodes } from "../../../src/manifests/codes.js";
import { schemaFor } from "../../../src/manifests/schemas/index.js";
import { splitApiVersion } from "../../../src/manifests/types.js";
import { modelFromCorpus } from "../../support/model.js";

function parse(apiVersion: string, kind: string, spec: unknown) {
  const { group, version } = splitApiVersion(apiVersion);
  const schema = schemaFor(group, version, kind);
  assert.ok(schema, `no schema for ${apiVersion} ${kind}`);
  return schema.schema.safeParse({ apiVersion, kind, metadata: { name: "x", namespace: "default" }, spec });
}

function issues(result: ReturnType<typeof parse>): string[] {
  return result.success ? [] : result.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
}

const G = "gateway.networking.k8s.io";
const route = (rule: unknown) => ({ parentRefs: [{ name: "gw" }], rules: [rule] });

describe("Gateway API schemas: kinds and versions", () => {
  const served: [string, string[], boolean][] = [
    ["GatewayClass", ["v1", "v1beta1"], false],
    ["Gateway", ["v1", "v1beta1"], true],
    ["HTTPRoute", ["v1", "v1beta1"], true],
    ["GRPCRoute", ["v1", "v1alpha2"], true],
    ["ReferenceGrant", ["v1", "v1beta1", "v1alpha2"], true],
  ];
  for (const [kind, versions, namespaced] of served)
    it(`serves ${kind} in ${versions.join(", ")} (${namespaced ? "namespaced" : "cluster-scoped"})`, () => {
      for (const v of versions) {
        assert.equal(schemaFor(G, v, kind)?.kind, kind);
        assert.equal(schemaFor(G, v, kind)?.namespaced, namespaced);
      }
      assert.equal(schemaFor(G, "v0", kind), undefined);
    });

  it("validates every manifest of the Gateway API corpus and the bookinfo HTTPRoutes", () => {
    const { findings, resources } = modelFromCorpus(["gateway-api", "bookinfo/gateway-api"]);
    // The examples reuse names across files (duplicate declarations); none may violate the schema.
    const schemaFindings: string[] = [inputCodes.schemaViolation.code, inputCodes.unknownVersion.code];
    assert.deepEqual(findings.filter((f) => schemaFindings.includes(f.code)).map((f) => `${f.file}: ${f.message}`), []);
    assert.ok(resources.filter((r) => r.group === G).length >= 30);
  });
});

describe("Gateway API schemas: what the CRD validation rejects", () => {
  const rejected: [string, string, string, unknown, string][] = [
    ["an unknown path match type", "v1", "HTTPRoute", route({ matches: [{ path: { type: "Glob", value: "/x" } }] }), "spec.rules.0.matches.0.path.type"],
    ["a Service backendRef without port", "v1", "HTTPRoute", route({ backendRefs: [{ name: "svc" }] }), "spec.rules.0.backendRefs.0.port"],
    ["a negative weight", "v1", "HTTPRoute", route({ backendRefs: [{ name: "svc", port: 80, weight: -1 }] }), "spec.rules.0.backendRefs.0.weight"],
    ["a redirect status code outside 301/302/303/307/308", "v1", "HTTPRoute", route({ filters: [{ type: "RequestRedirect", requestRedirect: { statusCode: 404 } }] }), "spec.rules.0.filters.0.requestRedirect.statusCode"],
    ["a timeout that is not a Gateway API duration (GEP-2257)", "v1", "HTTPRoute", route({ timeouts: { request: "10 seconds" } }), "spec.rules.0.timeouts.request"],
    ["a lower-case method", "v1", "HTTPRoute", route({ matches: [{ method: "get" }] }), "spec.rules.0.matches.0.method"],
    ["a mirror to a Service without port", "v1", "HTTPRoute", route({ filters: [{ type: "RequestMirror", requestMirror: { backendRef: { name: "b" } } }] }), "spec.rules.0.filters.0.requestMirror.backendRef.port"],
    ["a Gateway without listeners", "v1", "Gateway", { gatewayClassName: "c", listeners: [] }, "spec.listeners"],
    ["a listener port out of range", "v1", "Gateway", { gatewayClassName: "c", listeners: [{ name: "l", port: 70000, protocol: "HTTP" }] }, "spec.listeners.0.port"],
    ["a GRPCRoute filter HTTPRoute-only (URLRewrite)", "v1", "GRPCRoute", route({ filters: [{ type: "URLRewrite" }] }), "spec.rules.0.filters.0.type"],
    ["a ReferenceGrant without from", "v1beta1", "ReferenceGrant", { to: [{ group: "", kind: "Service" }] }, "spec.from"],
  ];
  for (const [name, version, kind, spec, at] of rejected)
    it(`rejects ${name}`, () => {
      const found = issues(parse(`${G}/${version}`, kind, spec));
      assert.ok(found.some((i) => i.startsWith(`${at}:`)), found.join("; ") || "accepted");
    });

  it("accepts a ServiceImport or custom backend without port, and unknown fields", () => {
    const r = parse(`${G}/v1`, "HTTPRoute", {
      ...route({ backendRefs: [{ group: "multicluster.x-k8s.io", kind: "ServiceImport", name: "a" }, { group: "acme.io", kind: "CustomBackend", name: "b" }] }),
      futureField: { x: 1 },
    });
    assert.deepEqual(issues(r), []);
  });

  it("accepts null for optional fields, as the API server does", () => {
    assert.deepEqual(issues(parse(`${G}/v1`, "HTTPRoute", { parentRefs: null, hostnames: null, rules: [{ matches: null, backendRefs: [{ name: "s", port: 80, weight: null }] }] })), []);
  });
});
