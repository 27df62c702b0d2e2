import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { fqdn, hostRoutes, split, tableFromYaml } from "./istio-table.js";

const root = (delegateRef: string, extra = "") => `
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: bookinfo, namespace: front }
spec:
  hosts: [bookinfo.example.com]
  gateways: [edge]
  http:
  - name: reviews
    match: [{ uri: { prefix: /reviews } }]
    timeout: 5s
    delegate: ${delegateRef}
${extra}  - route: [{ destination: { host: productpage.shop.svc.cluster.local } }]
`;

const delegateVs = (exportTo = "") => `
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: reviews, namespace: shop }
spec:
${exportTo}  http:
  - name: jason
    match: [{ headers: { end-user: { exact: jason } } }]
    route: [{ destination: { host: reviews, subset: v2 } }]
  - match: [{ uri: { prefix: /reviews/v3 } }]
    timeout: 1s
    route: [{ destination: { host: reviews, subset: v3 } }]
  - match: [{ uri: { exact: /ratings } }]
    route: [{ destination: { host: ratings } }]
  - route: [{ destination: { host: reviews, subset: v1 } }]
`;

const subsets = `
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: { name: reviews, namespace: shop }
spec:
  host: reviews
  subsets:
  - { name: v1, labels: { version: v1 } }
  - { name: v2, labels: { version: v2 } }
  - { name: v3, labels: { version: v3 } }
`;

const GW = "gateway:front/edge";

describe("Istio VirtualService delegation", () => {
  const result = tableFromYaml({
    "root.yaml": root("{ name: reviews, namespace: shop }"),
    "delegate.yaml": delegateVs(),
    "dr.yaml": subsets,
  });
  const h = hostRoutes(result, "bookinfo.example.com", GW);

  it("inlines the delegate's routes where the root route stood, before the root's next route", () => {
    assert.deepEqual(
      h.rules.map((r) => `${r.origin.resource.name} ${r.origin.path}`),
      ["reviews spec.http[0]", "reviews spec.http[1]", "reviews spec.http[3]", "bookinfo spec.http[1]"],
    );
    assert.deepEqual(split(h, 0), ["v2:100"]);
    assert.deepEqual(split(h, 3), ["productpage.shop.svc.cluster.local:100"]);
  });

  it("ANDs the root match with each delegate match", () => {
    assert.deepEqual(h.rules[0]!.matches, [
      { uri: { type: "prefix", value: "/reviews" }, headers: [{ name: "end-user", match: { type: "exact", value: "jason" } }] },
    ]);
    assert.deepEqual(h.rules[1]!.matches, [{ uri: { type: "prefix", value: "/reviews/v3" } }]);
    assert.deepEqual(h.rules[2]!.matches, [{ uri: { type: "prefix", value: "/reviews" } }]);
  });

  it("resolves the delegate's short hosts in the delegate's namespace", () => {
    assert.deepEqual(h.rules[2]!.backends, [
      { service: fqdn("reviews", "shop"), subset: "v1", port: null, weight: 100, selector: { version: "v1" } },
    ]);
  });

  it("fills what a delegate route leaves unset from the root route, and joins route names", () => {
    assert.equal(h.rules[0]!.policies.timeout, "5s");
    assert.equal(h.rules[1]!.policies.timeout, "1s");
    assert.deepEqual(h.rules.map((r) => r.name), ["reviews-jason", "reviews", "reviews", null]);
  });

  it("drops a delegate route whose match is outside the root's (exact /ratings under prefix /reviews)", () => {
    assert.deepEqual(
      result.findings.map((f) => [f.code, f.severity, f.resource?.name, f.path]),
      [["MP0203", "warning", "reviews", "spec.http[2].match"]],
    );
  });

  it("does not route the delegate on its own: it has no hosts", () => {
    assert.deepEqual(result.hosts.map((x) => x.key), [`istio|${GW}|bookinfo.example.com|*|http`]);
  });

  it("names the delegate among the host's origins", () => {
    assert.ok(h.origins.some((o) => o.resource.name === "reviews" && o.resource.namespace === "shop" && o.path === "metadata.name"));
  });

  it("drops the root route and reports MP0202 when the delegate is missing", () => {
    const missing = tableFromYaml({ "root.yaml": root("{ name: nothing, namespace: shop }") });
    const rules = hostRoutes(missing, "bookinfo.example.com", GW).rules;
    assert.deepEqual(rules.map((r) => r.origin.path), ["spec.http[1]"]);
    assert.deepEqual(missing.findings.map((f) => [f.code, f.path, f.line]), [["MP0202", "spec.http[0].delegate", 12]]);
  });

  it("looks for a delegate without namespace in the root's namespace", () => {
    const local = tableFromYaml({
      "root.yaml": root("{ name: reviews }"),
      "delegate.yaml": delegateVs().replace("namespace: shop", "namespace: front"),
    });
    const rules = hostRoutes(local, "bookinfo.example.com", GW).rules;
    assert.equal(rules.length, 4);
    assert.equal(rules[0]!.backends[0]!.service, fqdn("reviews", "front"));
  });

  it("drops the root route when the delegate is not exported to the root's namespace", () => {
    const hidden = tableFromYaml({
      "root.yaml": root("{ name: reviews, namespace: shop }"),
      "delegate.yaml": delegateVs('  exportTo: ["."]\n'),
      "dr.yaml": subsets,
    });
    assert.deepEqual(hostRoutes(hidden, "bookinfo.example.com", GW).rules.map((r) => r.origin.resource.name), ["bookinfo"]);
    assert.deepEqual(hidden.findings.map((f) => f.code), ["MP0202"]);
    assert.match(hidden.findings[0]!.message, /not exported to namespace front/);
  });
});
