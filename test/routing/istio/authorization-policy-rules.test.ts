import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { AccessRule } from "../../../src/routing/types.js";
import { tableFromCorpus, tableFromYaml } from "./istio-table.js";

const CORPUS = "istio-analyzers/testdata/authorizationpolicies.yaml";

function byName(rules: AccessRule[], namespace: string, name: string): AccessRule[] {
  return rules.filter((r) => r.origin.resource.name === name && r.origin.resource.namespace === namespace);
}

function policy(spec: string, name = "p", namespace = "shop"): string {
  return `
apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: { name: ${name}, namespace: ${namespace} }
spec:
${spec
  .trim()
  .split("\n")
  .map((l) => `  ${l}`)
  .join("\n")}
`;
}

describe("Istio AuthorizationPolicy translation (istio-analyzers authorizationpolicies.yaml)", () => {
  const { access, findings } = tableFromCorpus([CORPUS]);

  it("gives one access rule per policy rule, and one per policy without rules", () => {
    assert.equal(access.length, 10);
    assert.deepEqual(findings, []);
    assert.ok(access.every((r) => r.engine === "istio" && r.action === "ALLOW"));
  });

  it("translates selector, sources, operations and conditions of httpbin/httpbin", () => {
    const [rule] = byName(access, "httpbin", "httpbin");
    assert.ok(rule);
    assert.deepEqual(rule.target, { namespace: "httpbin", selector: { app: "httpbin", version: "v1" }, serviceAccount: null });
    assert.deepEqual(rule.from, [{ principals: ["cluster.local/ns/default/sa/sleep"] }, { namespaces: ["httpbin"] }]);
    assert.deepEqual(rule.to, [
      { methods: ["GET"], paths: ["/info*"] },
      { methods: ["POST"], paths: ["/data"] },
    ]);
    assert.deepEqual(rule.when, [{ key: "request.auth.claims[iss]", values: ["https://accounts.google.com"] }]);
    assert.equal(rule.matchesNothing, false);
    assert.equal(rule.origin.path, "spec.rules[0]");
    assert.equal(
      rule.summary,
      "allow principal cluster.local/ns/default/sa/sleep or namespace httpbin -> httpbin/app=httpbin,version=v1 " +
        "GET /info* or POST /data when request.auth.claims[iss] in https://accounts.google.com",
    );
  });

  it("makes an ALLOW policy with spec {} in the root namespace a mesh-wide rule that matches nothing", () => {
    const [rule] = byName(access, "istio-system", "meshwide-httpbin");
    assert.ok(rule);
    assert.deepEqual(rule.target, { namespace: null, selector: null, serviceAccount: null });
    assert.equal(rule.matchesNothing, true);
    assert.deepEqual([rule.from, rule.to, rule.when], [[], [], []]);
    assert.equal(rule.summary, "allow nothing -> mesh-wide * (ALLOW policy without rules: every request is denied)");
  });

  it("keeps a root-namespace selector mesh-wide", () => {
    const [rule] = byName(access, "istio-system", "meshwide-httpbin-v1");
    assert.deepEqual(rule?.target, { namespace: null, selector: { version: "bogus-version" }, serviceAccount: null });
    assert.equal(rule?.matchesNothing, true);
  });

  it("applies a policy without selector to its whole namespace", () => {
    const [rule] = byName(access, "httpbin-empty", "httpbin-empty-namespace-wide");
    assert.deepEqual(rule?.target, { namespace: "httpbin-empty", selector: null, serviceAccount: null });
  });

  it("keeps notNamespaces patterns as written", () => {
    const [rule] = byName(access, "httpbin", "httpbin-bogus-not-ns");
    assert.deepEqual(rule?.from[1], { notNamespaces: ["prod-*", "*-test", "*-bogus", "bogus-*", "*", "httpbin"] });
  });

  it("gives every rule a distinct id", () => {
    assert.equal(new Set(access.map((r) => r.id)).size, access.length);
  });
});

describe("Istio AuthorizationPolicy semantics from inline policies", () => {
  it("makes a DENY policy without rules deny nothing", () => {
    const { access } = tableFromYaml({ "p.yaml": policy("action: DENY") });
    assert.equal(access.length, 1);
    assert.equal(access[0]!.action, "DENY");
    assert.equal(access[0]!.matchesNothing, true);
    assert.equal(access[0]!.summary, "deny nothing -> shop/* (DENY policy without rules matches no request)");
  });

  it("makes rules: [{}] match every request", () => {
    const { access } = tableFromYaml({ "p.yaml": policy("rules: [{}]") });
    assert.equal(access[0]!.matchesNothing, false);
    assert.deepEqual([access[0]!.from, access[0]!.to, access[0]!.when], [[], [], []]);
    assert.equal(access[0]!.summary, "allow any source -> shop/* any request");
  });

  it("turns each rule into its own access rule located at spec.rules[i], with port strings as numbers", () => {
    const { access } = tableFromYaml({
      "p.yaml": policy(`
selector: { matchLabels: { app: cart } }
action: DENY
rules:
- to: [{ operation: { ports: ["8080"], notMethods: [GET], hosts: [cart.example.com] } }]
- from: [{ source: { notPrincipals: ["cluster.local/ns/shop/sa/*"] } }]
  when: [{ key: source.ip, notValues: [10.0.0.0/8] }]
`),
    });
    assert.deepEqual(access.map((r) => r.origin.path), ["spec.rules[0]", "spec.rules[1]"]);
    assert.deepEqual(access[0]!.to, [{ notMethods: ["GET"], ports: [8080], hosts: ["cart.example.com"] }]);
    assert.deepEqual(access[1]!.from, [{ notPrincipals: ["cluster.local/ns/shop/sa/*"] }]);
    assert.deepEqual(access[1]!.when, [{ key: "source.ip", notValues: ["10.0.0.0/8"] }]);
    assert.notEqual(access[0]!.id, access[1]!.id);
  });

  it("marks ipBlocks and request principals as unevaluated sources and shows them in the summary", () => {
    const { access } = tableFromYaml({
      "p.yaml": policy(`
rules:
- from:
  - source: { ipBlocks: [192.168.0.0/16], requestPrincipals: ["issuer/*"], namespaces: [shop] }
`),
    });
    assert.deepEqual(access[0]!.from, [{ namespaces: ["shop"], unevaluated: ["requestPrincipals", "ipBlocks"] }]);
    assert.equal(access[0]!.summary, "allow request principal issuer/* and namespace shop and ipBlock 192.168.0.0/16 -> shop/* any request");
  });

  it("serviceAccounts (ns/name) become principals in any trust domain", () => {
    const { access } = tableFromYaml({
      "p.yaml": policy(`
rules:
- from:
  - source: { serviceAccounts: [shop/cart], notServiceAccounts: [shop/legacy] }
`),
    });
    assert.deepEqual(access[0]!.from, [{ principals: ["*/ns/shop/sa/cart"], notPrincipals: ["*/ns/shop/sa/legacy"] }]);
  });

  it("names the CUSTOM provider in the summary", () => {
    const { access } = tableFromYaml({
      "p.yaml": policy(`
action: CUSTOM
provider: { name: ext-authz }
rules: [{ to: [{ operation: { paths: ["/admin/*"] } }] }]
`),
    });
    assert.equal(access[0]!.action, "CUSTOM");
    assert.equal(access[0]!.summary, "custom(ext-authz) any source -> shop/* /admin/*");
  });

  it("attaches a targetRef to a Gateway's proxies and to a Service's pods, and reports one that resolves to nothing", () => {
    const { access, findings } = tableFromYaml({
      "svc.yaml": `
apiVersion: v1
kind: Service
metadata: { name: cart, namespace: shop }
spec: { selector: { app: cart }, ports: [{ port: 80 }] }
`,
      "p.yaml": policy(`
targetRefs:
- { group: gateway.networking.k8s.io, kind: Gateway, name: edge }
- { kind: Service, group: "", name: cart }
- { kind: Service, group: "", name: gone }
rules: [{}]
`),
    });
    assert.deepEqual(
      access.map((r) => r.target),
      [
        { namespace: "shop", selector: { "gateway.networking.k8s.io/gateway-name": "edge" }, serviceAccount: null },
        { namespace: "shop", selector: { app: "cart" }, serviceAccount: null },
      ],
    );
    assert.deepEqual(findings.map((f) => [f.code, f.path]), [["MP0206", "spec.targetRefs[2]"]]);
  });

  it("keeps ids stable when policies move between files, and unique when a policy repeats a rule", () => {
    const spec = "rules: [{ from: [{ source: { namespaces: [front] } }] }, { from: [{ source: { namespaces: [front] } }] }]";
    const one = tableFromYaml({ "a.yaml": policy(spec) }).access.map((r) => r.id);
    const two = tableFromYaml({ "z/other.yaml": `${policy("rules: [{}]", "q")}---${policy(spec)}` }).access
      .filter((r) => r.origin.resource.name === "p")
      .map((r) => r.id);
    assert.deepEqual(one, two);
    assert.equal(one[1], `${one[0]}#2`);
    assert.match(one[0]!, /^istio:shop\/p:[0-9a-f]{8}$/);
  });
});
