/**
 * A plan over bookinfo and the OSM bookstore, touching every kind of change a
 * report shows: a canary share change with new timeout and retries, a new
 * header rule, a fault injected for one user, a catch-all replaced by a
 * prefix rule (404 for the rest), a gateway rule reordered, an ingress host
 * added, a host removed, an SMI split shifted, access rules added and removed,
 * findings new, kept and fixed.
 */
import { diffFindings, diffRouting } from "../../src/routing/diff.js";
import type { TraceResult } from "../../src/routing/trace-types.js";
import type { RoutingTable } from "../../src/routing/types.js";
import type { PlanReport } from "../../src/report/plan-report.js";
import { access, finding, host, match, rule, table } from "./table-builder.js";

const jason = match.header("end-user", "jason");
const gateway = { attachment: "gateway:istio-system/bookinfo-gateway" };
const bookinfo = (base: boolean) =>
  host(
    "bookinfo.example.com",
    [
      ...(base ? [] : [rule("bookinfo/api", { matches: [match.prefix("/api/v1/products")], to: "productpage:9080 100", resource: "bookinfo", line: 30 })]),
      rule("bookinfo/productpage", { matches: [match.exact("/productpage")], to: "productpage:9080 100", resource: "bookinfo", line: 18 }),
      rule("bookinfo/static", { matches: [match.prefix("/static")], to: "productpage:9080 100", resource: "bookinfo", line: 20 }),
      rule("bookinfo/login", { matches: [match.exact("/login"), match.exact("/logout")], to: "productpage:9080 100", resource: "bookinfo", line: 22 }),
      ...(base ? [rule("bookinfo/api", { matches: [match.prefix("/api/v1/products")], to: "productpage:9080 100", resource: "bookinfo", line: 26 })] : []),
    ],
    { ...gateway, line: 10 },
  );

const reviewsViewer = access("ap/default/reviews-viewer", "allow cluster.local/ns/default/sa/bookinfo-productpage -> reviews GET", {
  selector: { app: "reviews" },
  line: 8,
});
const bookbuyer = access("tt/bookstore/bookbuyer", "allow bookbuyer -> bookstore GET /books*", {
  engine: "smi",
  namespace: "bookstore",
  serviceAccount: "bookstore",
  line: 12,
});
const bookthief = access("tt/bookstore/bookthief", "allow bookthief -> bookstore GET /books*", {
  engine: "smi",
  namespace: "bookstore",
  serviceAccount: "bookstore",
  line: 40,
});
const ratingsNoPost = access("ap/default/ratings-no-post", "deny * -> ratings POST /ratings/*", {
  action: "DENY",
  selector: { app: "ratings" },
  line: 5,
});

export const baseTable: RoutingTable = table(
  [
    host("reviews", [
      rule("reviews/jason", { matches: [jason], to: "reviews v2 100", line: 12, path: "spec.http[0]" }),
      rule("reviews/default", { to: "reviews v1 100", policies: { timeout: "10s" }, line: 20, path: "spec.http[1]" }),
    ], { line: 4 }),
    host("ratings", [rule("ratings/default", { to: "ratings v1 100", line: 9 })], { line: 4 }),
    host("details", [rule("details/default", { to: "details v1 100", line: 9 })], { line: 4 }),
    host("httpbin", [rule("httpbin/default", { to: "httpbin 100", line: 9 })], { line: 4 }),
    bookinfo(true),
    host("bookstore", [rule("bookstore/split", { to: "bookstore-v1 100", resource: "bookstore-split", line: 8 }, "bookstore")], {
      source: "smi",
      kind: "TrafficSplit",
      namespace: "bookstore",
      line: 3,
    }),
  ],
  [reviewsViewer, bookbuyer, bookthief],
);

export const headTable: RoutingTable = table(
  [
    host("reviews", [
      rule("reviews/tester", { matches: [match.header("x-canary", "always")], to: "reviews v3 100", line: 12, path: "spec.http[0]" }),
      rule("reviews/jason", { matches: [jason], to: "reviews v2 100", line: 18, path: "spec.http[1]" }),
      rule("reviews/default", {
        to: "reviews v1 50, reviews v3 50",
        policies: { timeout: "5s", retries: { attempts: 3, perTryTimeout: "2s", retryOn: "5xx,reset" } },
        line: 26,
        path: "spec.http[2]",
      }),
    ], { line: 4 }),
    host("ratings", [
      rule("ratings/jason", {
        matches: [jason],
        to: "ratings v1 100",
        policies: { fault: { delay: { fixedDelay: "7s", percentage: 100 }, abort: null } },
        line: 9,
      }),
      rule("ratings/default", { to: "ratings v1 100", line: 20 }),
    ], { line: 4 }),
    host("details", [rule("details/api", { matches: [match.prefix("/details")], to: "details v1 100", line: 9 })], { line: 4 }),
    bookinfo(false),
    host("bookstore", [rule("bookstore/split", { to: "bookstore-v1 75, bookstore-v2 25", resource: "bookstore-split", line: 8 }, "bookstore")], {
      source: "smi",
      kind: "TrafficSplit",
      namespace: "bookstore",
      line: 3,
    }),
    host("shop.example.com", [
      rule("shop/canary", { matches: [match.header("x-canary", "yes")], to: "storefront-canary:8080 100", resource: "shop", line: 14 }),
      rule("shop/root", { matches: [{ uri: { type: "pathPrefix", value: "/" } }], to: "storefront:8080 80, storefront-canary:8080 20", resource: "shop", line: 14 }),
    ], { source: "ingress", attachment: "ingress:nginx", kind: "Ingress", line: 6 }),
  ],
  [reviewsViewer, bookbuyer, ratingsNoPost],
);

const unusedHost = finding("MP1201", "warning", "VirtualService default/details routes host `details` that no Gateway or sidecar uses", {
  name: "details",
  line: 3,
  path: "spec.hosts[0]",
});
const fixedSubset = finding("MP1101", "error", "subset v4 of reviews is not defined by DestinationRule default/reviews", {
  line: 21,
  path: "spec.http[1].route[0].destination.subset",
});
const newSubset = finding("MP1101", "error", "subset v3 of reviews is not defined by DestinationRule default/reviews", {
  line: 28,
  path: "spec.http[2].route[1].destination.subset",
});
const pipeInMessage = finding("MP1310", "info", "regex `^/api/(v1|v2)/.*` matches every path under /api; a prefix match is cheaper", {
  name: "bookinfo",
  line: 30,
  path: "spec.http[0].match[0].uri",
});

export const baseFindings = [unusedHost, fixedSubset];
export const headFindings = [{ ...unusedHost, line: 5 }, newSubset, pipeInMessage];

export function planFixture(): PlanReport {
  const f = diffFindings(baseFindings, headFindings);
  return {
    schemaVersion: "meshplan/v1",
    base: { label: "main", commit: "3f1c2a9e0b7d4c5a6e8f9a0b1c2d3e4f5a6b7c8d", files: 14, resources: 31, hosts: baseTable.hosts.length },
    head: { label: "canary-reviews-v3", commit: "9b8a7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f1a0b", files: 15, resources: 34, hosts: headTable.hosts.length },
    diff: diffRouting(baseTable, headTable),
    findings: headFindings,
    newFindings: f.added,
    fixedFindings: f.fixed,
    suppressed: 0,
    rulesChange: null,
  };
}

export const traceFixture: TraceResult = {
  request: {
    host: "reviews",
    resolvedHost: "reviews.default.svc.cluster.local",
    port: 9080,
    path: "/reviews/0",
    query: {},
    method: "GET",
    scheme: "http",
    headers: { "end-user": "jason" },
    sourceLabels: { app: "productpage", version: "v1" },
    from: { namespace: "default", serviceAccount: "bookinfo-productpage" },
    attachment: "mesh",
  },
  allowed: true,
  deniedBy: null,
  matchedBy: {
    resource: { apiVersion: "networking.istio.io/v1", kind: "VirtualService", namespace: "default", name: "reviews" },
    file: "networking/reviews.yaml",
    line: 18,
    source: "istio",
    hostKey: "istio|mesh|reviews.default.svc.cluster.local|*|http",
    rule: "reviews/jason",
    name: null,
    path: "spec.http[1]",
  },
  backends: [{ service: "reviews.default.svc.cluster.local", subset: "v2", port: 9080, weight: 100 }],
  timeout: "5s",
  retries: { attempts: 3, perTryTimeout: "2s", retryOn: "5xx,reset" },
  fault: null,
  mirror: [{ service: "reviews.default.svc.cluster.local", subset: "v3", port: 9080, percentage: 10 }],
  noRoute: null,
};

export const deniedTraceFixture: TraceResult = {
  ...traceFixture,
  request: { ...traceFixture.request, host: "ratings", resolvedHost: "ratings.default.svc.cluster.local", method: "POST", path: "/ratings/0", headers: {} },
  allowed: false,
  deniedBy: {
    resource: { apiVersion: "security.istio.io/v1", kind: "AuthorizationPolicy", namespace: "default", name: "ratings-no-post" },
    file: "security/ratings-no-post.yaml",
    line: 5,
    engine: "istio",
    summary: "deny * -> ratings POST /ratings/*",
  },
  matchedBy: null,
  backends: [],
  timeout: null,
  retries: null,
  mirror: [],
  noRoute: null,
};
