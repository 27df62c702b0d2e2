import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { evaluateAccess, istioValueMatches, type DestinationWorkload } from "../../src/routing/access.js";
import { requestFrom } from "../../src/routing/trace.js";
import type { AccessRule, AccessTable } from "../../src/routing/types.js";

const origin = { resource: { apiVersion: "v1", kind: "X", namespace: "default", name: "x" }, file: "x.yaml", line: 1, column: 1, path: "spec" };

function rule(partial: Partial<AccessRule> & Pick<AccessRule, "id">): AccessRule {
  return {
    engine: "istio",
    action: "ALLOW",
    target: { namespace: "default", selector: null, serviceAccount: null },
    from: [],
    to: [],
    when: [],
    matchesNothing: false,
    summary: partial.id,
    origin,
    ...partial,
  };
}

const reviews: DestinationWorkload = { namespace: "default", labels: { app: "reviews", version: "v1" }, serviceAccount: "bookinfo-reviews" };
const fromProductpage = requestFrom({ host: "reviews", path: "/reviews/1", from: { namespace: "default", serviceAccount: "bookinfo-productpage" } });
const fromElsewhere = requestFrom({ host: "reviews", path: "/reviews/1", from: { namespace: "other", serviceAccount: "sleep" } });
const table = (rules: AccessRule[], smiPermissive = false): AccessTable => ({ rules, smiPermissive });

describe("Istio AuthorizationPolicy evaluation (CUSTOM, then DENY, then ALLOW)", () => {
  it("allows everything when no policy applies to the workload", () => {
    assert.equal(evaluateAccess(table([]), reviews, fromElsewhere).allowed, true);
  });

  it("denies what no ALLOW rule matches once any ALLOW policy selects the workload", () => {
    const allow = rule({ id: "allow-pp", from: [{ principals: ["cluster.local/ns/default/sa/bookinfo-productpage"] }] });
    assert.equal(evaluateAccess(table([allow]), reviews, fromProductpage).allowed, true);
    const d = evaluateAccess(table([allow]), reviews, fromElsewhere);
    assert.equal(d.allowed, false);
    assert.equal(d.deniedBy?.id, "allow-pp");
  });

  it("an ALLOW policy without rules allows nothing", () => {
    const allowNothing = rule({ id: "allow-nothing", matchesNothing: true });
    assert.equal(evaluateAccess(table([allowNothing]), reviews, fromProductpage).allowed, false);
  });

  it("DENY wins over a matching ALLOW", () => {
    const allowAll = rule({ id: "allow-all" });
    const denyGet = rule({ id: "deny-get", action: "DENY", to: [{ methods: ["GET"] }] });
    const d = evaluateAccess(table([allowAll, denyGet]), reviews, fromProductpage);
    assert.deepEqual([d.allowed, d.deniedBy?.id], [false, "deny-get"]);
  });

  it("a DENY for another method does not deny", () => {
    const denyPost = rule({ id: "deny-post", action: "DENY", to: [{ methods: ["POST"] }] });
    assert.equal(evaluateAccess(table([denyPost]), reviews, fromProductpage).allowed, true);
  });

  it("a policy whose selector does not select the workload does not apply", () => {
    const allowRatings = rule({ id: "ratings-only", target: { namespace: "default", selector: { app: "ratings" }, serviceAccount: null }, matchesNothing: true });
    assert.equal(evaluateAccess(table([allowRatings]), reviews, fromElsewhere).allowed, true);
  });

  it("a root-namespace policy (namespace null) applies mesh-wide", () => {
    const denyOther = rule({ id: "deny-other-ns", action: "DENY", target: { namespace: null, selector: null, serviceAccount: null }, from: [{ namespaces: ["other"] }] });
    assert.equal(evaluateAccess(table([denyOther]), reviews, fromElsewhere).allowed, false);
    assert.equal(evaluateAccess(table([denyOther]), reviews, fromProductpage).allowed, true);
  });

  it("notPaths and path prefix patterns follow Istio's `prefix*` syntax", () => {
    const allow = rule({ id: "allow-reviews", to: [{ paths: ["/reviews/*"], notPaths: ["/reviews/admin"] }] });
    assert.equal(evaluateAccess(table([allow]), reviews, fromProductpage).allowed, true);
    const admin = requestFrom({ host: "reviews", path: "/reviews/admin", from: { namespace: "default", serviceAccount: "x" } });
    assert.equal(evaluateAccess(table([allow]), reviews, admin).allowed, false);
  });

  it("when request.headers conditions read the traced headers", () => {
    const allow = rule({ id: "allow-header", when: [{ key: "request.headers[x-token]", values: ["abc"] }] });
    const withToken = requestFrom({ host: "reviews", headers: { "X-Token": "abc" } });
    assert.equal(evaluateAccess(table([allow]), reviews, withToken).allowed, true);
    assert.equal(evaluateAccess(table([allow]), reviews, fromProductpage).allowed, false);
  });

  it("a source on IP blocks or JWT principals cannot be shown to match a traced request", () => {
    const allowIp = rule({ id: "allow-ip", from: [{ unevaluated: ["ipBlocks"] }] });
    assert.equal(evaluateAccess(table([allowIp]), reviews, fromProductpage).allowed, false, "ALLOW on an IP block does not over-allow");
    const denyIp = rule({ id: "deny-ip", action: "DENY", from: [{ unevaluated: ["ipBlocks"] }] });
    assert.equal(evaluateAccess(table([denyIp]), reviews, fromProductpage).allowed, true, "DENY on an IP block does not over-deny");
  });

  it("principals require an authenticated caller", () => {
    const allow = rule({ id: "allow-any-principal", from: [{ principals: ["*"] }] });
    assert.equal(evaluateAccess(table([allow]), reviews, requestFrom({ host: "reviews" })).allowed, false);
  });

  it("istio value patterns: exact, prefix*, *suffix, * (non-empty)", () => {
    assert.equal(istioValueMatches("abc*", "abcd"), true);
    assert.equal(istioValueMatches("*abc", "xabc"), true);
    assert.equal(istioValueMatches("abc", "abcd"), false);
    assert.equal(istioValueMatches("*", ""), false);
  });
});

describe("SMI TrafficTarget evaluation", () => {
  const bookstore: DestinationWorkload = { namespace: "bookstore", labels: { app: "bookstore" }, serviceAccount: "bookstore" };
  const target = rule({
    id: "smi-bookbuyer",
    engine: "smi",
    target: { namespace: "bookstore", selector: null, serviceAccount: "bookstore" },
    from: [{ principals: ["cluster.local/ns/bookbuyer/sa/bookbuyer"] }],
    to: [{ matches: [{ uri: { type: "regex", value: "/books-bought" }, method: { type: "exact", value: "GET" } }] }],
  });
  const buyer = requestFrom({ host: "bookstore.bookstore", path: "/books-bought", from: { namespace: "bookbuyer", serviceAccount: "bookbuyer" } });
  const thief = requestFrom({ host: "bookstore.bookstore", path: "/books-bought", from: { namespace: "bookthief", serviceAccount: "bookthief" } });

  it("allows a listed source on a listed route", () => {
    assert.equal(evaluateAccess(table([target]), bookstore, buyer).allowed, true);
  });

  it("denies an unlisted source once any TrafficTarget covers the destination", () => {
    const d = evaluateAccess(table([target]), bookstore, thief);
    assert.deepEqual([d.allowed, d.deniedBy?.id], [false, "smi-bookbuyer"]);
  });

  it("denies a listed source on a route the HTTPRouteGroup does not list", () => {
    const post = requestFrom({ host: "bookstore.bookstore", path: "/books-bought", method: "POST", from: { namespace: "bookbuyer", serviceAccount: "bookbuyer" } });
    assert.equal(evaluateAccess(table([target]), bookstore, post).allowed, false);
  });

  it("permissive mode (OSM MeshConfig) enforces no SMI rule", () => {
    assert.equal(evaluateAccess(table([target], true), bookstore, thief).allowed, true);
  });

  it("a TrafficTarget for another service account does not cover the destination", () => {
    const other: DestinationWorkload = { namespace: "bookstore", labels: {}, serviceAccount: "bookstore-v2" };
    assert.equal(evaluateAccess(table([target]), other, thief).allowed, true);
  });

  it("an OSM Egress rule protects no mesh workload", () => {
    const egress = rule({ id: "egress", engine: "smi", direction: "egress", target: { namespace: null, selector: null, serviceAccount: null } });
    assert.equal(evaluateAccess(table([egress]), bookstore, thief).allowed, true);
  });

  it("an OSM IngressBackend governs ingress traffic, not mesh callers", () => {
    const ib = rule({
      id: "ingress-backend",
      engine: "smi",
      direction: "ingress",
      target: { namespace: "bookstore", selector: { app: "bookstore" }, serviceAccount: null },
      from: [{ principals: ["cluster.local/ns/ingress-nginx/sa/ingress-nginx"] }],
    });
    assert.equal(evaluateAccess(table([ib]), bookstore, thief).allowed, true, "mesh caller unaffected");
    const viaIngress = (sa: string) =>
      requestFrom({ host: "bookstore.example.com", attachment: "ingress:nginx", from: { namespace: "ingress-nginx", serviceAccount: sa } });
    assert.equal(evaluateAccess(table([ib]), bookstore, viaIngress("ingress-nginx")).allowed, true);
    const d = evaluateAccess(table([ib]), bookstore, viaIngress("other"));
    assert.deepEqual([d.allowed, d.deniedBy?.id], [false, "ingress-backend"]);
  });
});
