import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { conflictingMeshVirtualServices } from "../../../../src/lint/rules/virtual-service/conflicting-mesh-virtual-services.js";
import { lintYaml } from "./lint-virtual-services.js";

const vs = (name: string, namespace: string, hosts: string[], extra: { gateways?: string[]; exportTo?: string[] } = {}) => `
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: ${name}, namespace: ${namespace} }
spec:
  hosts: [${hosts.map((h) => `"${h}"`).join(", ")}]${extra.gateways ? `\n  gateways: [${extra.gateways.join(", ")}]` : ""}${extra.exportTo ? `\n  exportTo: [${extra.exportTo.map((e) => `"${e}"`).join(", ")}]` : ""}
  http:
  - route: [{ destination: { host: ratings } }]
`;

function reported(...docs: string[]): string[] {
  return lintYaml(conflictingMeshVirtualServices, { "vs.yaml": docs.join("---\n") })
    .map((f) => `${f.resource!.namespace}/${f.resource!.name}`)
    .sort();
}

describe("MP1008 conflicting VirtualServices for a mesh host", () => {
  it("reports both VirtualServices that define one host for the mesh, at metadata.name", () => {
    const findings = lintYaml(conflictingMeshVirtualServices, { "vs.yaml": [vs("productpage", "foo", ["productpage"]), vs("bogus", "foo", ["productpage"])].join("---\n") });
    assert.equal(findings.length, 2);
    assert.ok(findings.every((f) => f.path === "metadata.name" && f.equivalents[0] === "IST0109"));
    assert.match(findings[0]!.message, /foo\/bogus/);
  });

  it("compares short and fully qualified names of the same host", () => {
    assert.deepEqual(reported(vs("ratings", "foo", ["ratings"], { gateways: ["mesh"] }), vs("ratings", "bar", ["ratings.foo.svc.cluster.local"], { gateways: ["istio-ingressgateway", "mesh"] })), ["bar/ratings", "foo/ratings"]);
  });

  it("ignores VirtualServices bound only to gateways", () => {
    assert.deepEqual(reported(vs("reviews", "foo", ["reviews"]), vs("reviews", "bar", ["reviews.foo.svc.cluster.local"], { gateways: ["istio-ingressgateway"] })), []);
  });

  it("keeps VirtualServices exported to different namespaces apart", () => {
    assert.deepEqual(reported(vs("ratings", "team1", ["ratings"], { exportTo: ["."] }), vs("ratings", "team2", ["ratings.team1.svc.cluster.local"], { exportTo: ["."] })), []);
  });

  it("reports a namespace-scoped VirtualService against an all-namespaces one for the same host", () => {
    assert.deepEqual(reported(vs("a", "team2", ["google.com"], { exportTo: ["."] }), vs("b", "bar", ["google.com"])), ["bar/b", "team2/a"]);
  });

  it("treats exportTo containing * as all namespaces", () => {
    assert.deepEqual(reported(vs("ratings", "team3", ["ratings"], { exportTo: ["*"] }), vs("ratings", "team4", ["ratings.team3.svc.cluster.local"])), ["team3/ratings", "team4/ratings"]);
  });

  it("reports overlapping wildcard hosts between a scoped and an all-namespaces VirtualService", () => {
    assert.deepEqual(reported(vs("d", "foo", ["*.productpage.d"], { exportTo: ["."] }), vs("d", "bar", ["*.d"], { exportTo: ["*"] })), ["bar/d", "foo/d"]);
    assert.deepEqual(reported(vs("b", "foo", ["*.productpage.b"], { exportTo: ["foo"] }), vs("b", "bar", ["*.productpage.b"], { exportTo: ["."] })), []);
  });

  it("does not report one VirtualService that lists the same host twice", () => {
    assert.deepEqual(reported(vs("ratings", "foo", ["ratings", "ratings.foo.svc.cluster.local"])), []);
  });

  it("reports each VirtualService once even when it conflicts on several hosts", () => {
    assert.equal(lintYaml(conflictingMeshVirtualServices, { "vs.yaml": [vs("a", "foo", ["x", "y"]), vs("b", "foo", ["x", "y"])].join("---\n") }).length, 2);
  });
});
