/**
 * MP1102: Gateway API resolves equal matches of different routes on one parent
 * by route age, then namespace/name (apis/v1 Listener.allowedRoutes "Matching
 * precedence", HTTPRouteRule.matches); the losing route's rule is silently dead.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { routeMatchShadowed } from "../../../../src/lint/rules/general/route-match-shadowed.js";
import { lineOf, lint } from "./lint.js";

const gateway = `apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata:
  name: edge
  namespace: shop
spec:
  gatewayClassName: istio
  listeners:
  - name: http
    protocol: HTTP
    port: 80
`;

const services = `apiVersion: v1
kind: Service
metadata:
  name: catalog
  namespace: shop
spec:
  selector: {app: catalog}
  ports: [{port: 8080}]
---
apiVersion: v1
kind: Service
metadata:
  name: catalog-next
  namespace: shop
spec:
  selector: {app: catalog-next}
  ports: [{port: 8080}]
`;

interface RouteSpec {
  name: string;
  hostnames?: string[];
  matches?: string;
  created?: string;
  parent?: string;
  backend?: string;
  extraRule?: string;
}

function route(r: RouteSpec): string {
  return `apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: ${r.name}
  namespace: shop
${r.created ? `  creationTimestamp: "${r.created}"\n` : ""}spec:
  parentRefs:
  - ${r.parent ?? "name: edge"}
${r.hostnames ? `  hostnames: [${r.hostnames.map((h) => `"${h}"`).join(", ")}]\n` : ""}  rules:
  - ${r.matches ? `matches:\n    ${r.matches}\n    ` : ""}backendRefs:
    - name: ${r.backend ?? "catalog"}
      port: 8080
${r.extraRule ?? ""}`;
}

function tree(...routes: RouteSpec[]): Record<string, string> {
  const files: Record<string, string> = { "gateway.yaml": gateway, "services.yaml": services };
  for (const r of routes) files[`routes/${r.name}.yaml`] = route(r);
  return files;
}

const apiPrefix = "- path: {type: PathPrefix, value: /api}";

describe("a route rule shadowed by an older route on the same parent (MP1102)", () => {
  it("reports the alphabetically later route when the manifests carry no creation times", () => {
    const findings = lint(
      routeMatchShadowed,
      tree({ name: "catalog", hostnames: ["shop.example.com"], matches: apiPrefix }, { name: "catalog-v2", hostnames: ["shop.example.com"], matches: apiPrefix, backend: "catalog-next" }),
    );
    assert.deepEqual(
      findings.map((f) => [f.file, f.path, f.severity]),
      [["routes/catalog-v2.yaml", "spec.rules[0].matches[0]", "warning"]],
    );
    assert.match(findings[0]!.message, /HTTPRoute shop\/catalog\b/);
    assert.match(findings[0]!.message, /hostname shop\.example\.com/);
    assert.match(findings[0]!.message, /namespace\/name/);
    assert.equal(findings[0]!.line, lineOf(route({ name: "catalog-v2", hostnames: ["shop.example.com"], matches: apiPrefix }), "- path:"));
  });

  it("reports the younger route when creation times differ, whatever the names", () => {
    const findings = lint(
      routeMatchShadowed,
      tree(
        { name: "a-new", hostnames: ["shop.example.com"], matches: apiPrefix, created: "2024-05-01T10:00:00Z" },
        { name: "z-old", hostnames: ["shop.example.com"], matches: apiPrefix, created: "2023-01-01T10:00:00Z", backend: "catalog-next" },
      ),
    );
    assert.deepEqual(
      findings.map((f) => f.file),
      ["routes/a-new.yaml"],
    );
    assert.match(findings[0]!.message, /older \(created 2023-01-01T10:00:00Z/);
  });

  it("reports rules without matches, which both match every path (PathPrefix /)", () => {
    const findings = lint(routeMatchShadowed, tree({ name: "one", hostnames: ["shop.example.com"] }, { name: "two", hostnames: ["shop.example.com"], backend: "catalog-next" }));
    assert.deepEqual(
      findings.map((f) => [f.file, f.path]),
      [["routes/two.yaml", "spec.rules[0]"]],
    );
  });

  it("reports GAMMA routes on the same Service with the same match", () => {
    const parent = "{group: \"\", kind: Service, name: catalog, port: 8080}";
    const findings = lint(
      routeMatchShadowed,
      tree({ name: "mesh-a", parent, matches: apiPrefix }, { name: "mesh-b", parent, matches: apiPrefix, backend: "catalog-next" }),
    );
    assert.deepEqual(
      findings.map((f) => f.file),
      ["routes/mesh-b.yaml"],
    );
    assert.match(findings[0]!.message, /Service catalog\.shop\.svc\.cluster\.local/);
  });

  const distinct: [string, RouteSpec[]][] = [
    ["different hostnames", [
      { name: "a", hostnames: ["shop.example.com"], matches: apiPrefix },
      { name: "b", hostnames: ["api.example.com"], matches: apiPrefix },
    ]],
    ["a wildcard hostname and an exact one (the exact hostname wins by precedence, not by age)", [
      { name: "a", hostnames: ["*.example.com"], matches: apiPrefix },
      { name: "b", hostnames: ["shop.example.com"], matches: apiPrefix },
    ]],
    ["different paths", [
      { name: "a", hostnames: ["shop.example.com"], matches: apiPrefix },
      { name: "b", hostnames: ["shop.example.com"], matches: "- path: {type: PathPrefix, value: /api/v2}" },
    ]],
    ["the same path with an extra header condition", [
      { name: "a", hostnames: ["shop.example.com"], matches: apiPrefix },
      { name: "b", hostnames: ["shop.example.com"], matches: "- path: {type: PathPrefix, value: /api}\n      headers: [{name: x-canary, value: \"true\"}]" },
    ]],
    ["the same match on different Gateways", [
      { name: "a", hostnames: ["shop.example.com"], matches: apiPrefix },
      { name: "b", hostnames: ["shop.example.com"], matches: apiPrefix, parent: "name: other" },
    ]],
  ];
  for (const [name, routes] of distinct) {
    it(`accepts routes with ${name}`, () => {
      const files = tree(...routes);
      files["other.yaml"] = gateway.replace("name: edge", "name: other");
      assert.deepEqual(lint(routeMatchShadowed, files), []);
    });
  }

  it("does not report two equal rules of one route (not a conflict between routes)", () => {
    const extraRule = `  - matches:\n    ${apiPrefix}\n    backendRefs:\n    - name: catalog-next\n      port: 8080\n`;
    assert.deepEqual(lint(routeMatchShadowed, tree({ name: "solo", hostnames: ["shop.example.com"], matches: apiPrefix, extraRule })), []);
  });
});
