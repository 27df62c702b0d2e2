/**
 * Where requests go, end to end on real manifests: load -> model -> every
 * routing engine -> trace. Each case names the spec behaviour it pins down.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { analyzeTree } from "../../src/jobs/analyze-tree.js";
import type { SourceFile } from "../../src/manifests/types.js";
import { requestFrom, traceRequest } from "../../src/routing/trace.js";
import type { TraceResult } from "../../src/routing/trace-types.js";
import { corpusPath } from "../support/corpus.js";

type Req = Parameters<typeof requestFrom>[0];

function corpusFiles(paths: string[]): SourceFile[] {
  return paths.map((p) => ({ path: p, content: readFileSync(corpusPath(p)) }));
}

function trace(files: SourceFile[], req: Req): TraceResult {
  const a = analyzeTree(files);
  return traceRequest(a.model, a.table, requestFrom(req));
}

/** `reviews.default.svc.cluster.local/v2=100` for compact expectations. */
function shares(r: TraceResult): string[] {
  return r.backends.map((b) => `${b.service}${b.subset ? `/${b.subset}` : ""}${b.port ? `:${b.port}` : ""}=${b.weight}`);
}

const bookinfo = ["bookinfo/platform/kube/bookinfo.yaml", "bookinfo/networking/destination-rule-all.yaml"];
const withVs = (vs: string) => corpusFiles([...bookinfo, `bookinfo/networking/${vs}`]);
const reviews = "reviews.default.svc.cluster.local";

describe("trace: Istio VirtualService (first match wins)", () => {
  const cases: [string, string, Req, string[]][] = [
    ["routes end-user=jason to reviews v2", "virtual-service-reviews-jason-v2-v3.yaml", { host: "reviews", headers: { "end-user": "jason" } }, [`${reviews}/v2=100`]],
    ["header names are case-insensitive: End-User=jason still reaches v2", "virtual-service-reviews-jason-v2-v3.yaml", { host: "reviews", headers: { "End-User": "jason" } }, [`${reviews}/v2=100`]],
    ["header values are exact: Jason is not jason and falls through to v3", "virtual-service-reviews-jason-v2-v3.yaml", { host: "reviews", headers: { "end-user": "Jason" } }, [`${reviews}/v3=100`]],
    ["requests without the header take the default rule (v3)", "virtual-service-reviews-jason-v2-v3.yaml", { host: "reviews" }, [`${reviews}/v3=100`]],
    ["splits reviews 50/50 between v1 and v3", "virtual-service-reviews-50-v3.yaml", { host: "reviews" }, [`${reviews}/v1=50`, `${reviews}/v3=50`]],
    ["splits reviews 80/20 between v1 and v2", "virtual-service-reviews-80-20.yaml", { host: "reviews" }, [`${reviews}/v1=80`, `${reviews}/v2=20`]],
    ["a short host in another namespace's request still names the VS namespace's service", "virtual-service-reviews-v3.yaml", { host: "reviews.default", from: { namespace: "other", serviceAccount: "x" } }, [`${reviews}/v3=100`]],
    ["hosts without a VirtualService go to the Service itself, 100%", "virtual-service-reviews-v3.yaml", { host: "details" }, ["details.default.svc.cluster.local=100"]],
  ];
  for (const [name, vs, req, want] of cases) {
    it(name, () => {
      const r = trace(withVs(vs), req);
      assert.deepEqual(shares(r), want);
      assert.equal(r.noRoute, null);
      assert.equal(r.allowed, true);
    });
  }

  it("reports the VirtualService and line of the matching rule", () => {
    const r = trace(withVs("virtual-service-reviews-jason-v2-v3.yaml"), { host: "reviews", headers: { "end-user": "jason" } });
    assert.equal(r.matchedBy?.resource.kind, "VirtualService");
    assert.equal(r.matchedBy?.file, "bookinfo/networking/virtual-service-reviews-jason-v2-v3.yaml");
    assert.equal(r.matchedBy?.line, 9);
    assert.equal(r.matchedBy?.source, "istio");
  });

  it("applies the 7s delay fault to jason's ratings requests only", () => {
    const jason = trace(withVs("virtual-service-ratings-test-delay.yaml"), { host: "ratings", headers: { "end-user": "jason" } });
    assert.equal(jason.fault?.delay?.fixedDelay, "7s");
    assert.equal(jason.fault?.delay?.percentage, 100);
    const other = trace(withVs("virtual-service-ratings-test-delay.yaml"), { host: "ratings" });
    assert.equal(other.fault, null);
  });

  it("applies the abort fault (500) to jason's ratings requests", () => {
    const r = trace(withVs("virtual-service-ratings-test-abort.yaml"), { host: "ratings", headers: { "end-user": "jason" } });
    assert.equal(r.fault?.abort?.httpStatus, 500);
  });
});

describe("trace: Istio gateway traffic", () => {
  const files = corpusFiles([...bookinfo, "bookinfo/networking/bookinfo-gateway.yaml"]);
  const gw = { host: "bookinfo.example.com", attachment: "gateway:default/bookinfo-gateway" };
  it("routes /productpage through the gateway to productpage:9080", () => {
    assert.deepEqual(shares(trace(files, { ...gw, path: "/productpage" })), ["productpage.default.svc.cluster.local:9080=100"]);
  });
  it("Istio prefix /static is a plain string prefix: /staticfiles matches too", () => {
    assert.deepEqual(shares(trace(files, { ...gw, path: "/staticfiles/app.css" })), ["productpage.default.svc.cluster.local:9080=100"]);
  });
  it("a path no rule matches gets no route (404)", () => {
    const r = trace(files, { ...gw, path: "/admin" });
    assert.deepEqual(r.backends, []);
    assert.match(r.noRoute ?? "", /404/);
  });
  it("gateway-only routes do not apply to mesh traffic", () => {
    const r = trace(files, { host: "productpage", path: "/admin" });
    assert.equal(r.matchedBy?.source, "service");
  });
});

describe("trace: Gateway API GAMMA routes (spec precedence)", () => {
  const files = corpusFiles(["gateway-api/conformance/mesh/manifests.yaml", "gateway-api/conformance/tests/mesh/httproute-matching.yaml"]);
  const echo = (r: Omit<Req, "host">): Req => ({ host: "echo.gateway-conformance-mesh", port: 80, ...r });
  const v1 = ["echo-v1.gateway-conformance-mesh.svc.cluster.local:8080=100"];
  const v2 = ["echo-v2.gateway-conformance-mesh.svc.cluster.local:8080=100"];
  const cases: [string, Req, string[]][] = [
    ["/ goes to echo-v1", echo({ path: "/" }), v1],
    ["the longest PathPrefix wins: /v2/example goes to echo-v2", echo({ path: "/v2/example" }), v2],
    ["PathPrefix /v2 matches whole elements: /v2example goes to echo-v1", echo({ path: "/v2example" }), v1],
    ["with equal paths, more header matches win: version=two goes to echo-v2", echo({ path: "/", headers: { version: "two" } }), v2],
  ];
  for (const [name, req, want] of cases) it(name, () => assert.deepEqual(shares(trace(files, req)), want));
});

describe("trace: SMI TrafficSplit and TrafficTarget (OSM bookstore)", () => {
  const apps = ["bookbuyer", "bookthief", "bookstore", "bookstore-v2", "bookwarehouse"].map((a) => `osm/manifests/apps/${a}.yaml`);
  const files = corpusFiles([...apps, "osm/manifests/split/traffic-split-50-50.yaml", "osm/manifests/access/traffic-access-v1.yaml"]);
  const buy = {
    host: "bookstore.bookstore",
    path: "/books-bought",
    headers: { "user-agent": "Go-http-client/1.1", "client-app": "bookbuyer" },
  };
  it("splits bookstore 50/50 between bookstore-v1 and bookstore-v2", () => {
    const r = trace(files, { ...buy, from: { namespace: "bookbuyer", serviceAccount: "bookbuyer" } });
    assert.deepEqual(shares(r), ["bookstore-v1.bookstore.svc.cluster.local=50", "bookstore-v2.bookstore.svc.cluster.local=50"]);
    assert.equal(r.allowed, true);
  });
  it("denies bookthief, which no TrafficTarget lists", () => {
    const r = trace(files, { ...buy, from: { namespace: "bookthief", serviceAccount: "bookthief" } });
    assert.equal(r.allowed, false);
    assert.equal(r.deniedBy?.engine, "smi");
    assert.equal(r.deniedBy?.resource.kind, "TrafficTarget");
  });
});

describe("trace: ingress-nginx canary", () => {
  const yaml = (name: string, annotations: Record<string, string>, service: string) => `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: ${name}
  namespace: shop
  annotations:
${Object.entries({ "kubernetes.io/ingress.class": "nginx", ...annotations })
  .map(([k, v]) => `    ${k}: "${v}"`)
  .join("\n")}
spec:
  rules:
  - host: shop.example.com
    http:
      paths:
      - path: /
        pathType: Prefix
        backend:
          service:
            name: ${service}
            port:
              number: 80
`;
  const files: SourceFile[] = [
    { path: "main.yaml", content: yaml("shop", {}, "shop") },
    {
      path: "canary.yaml",
      content: yaml("shop-canary", { "nginx.ingress.kubernetes.io/canary": "true", "nginx.ingress.kubernetes.io/canary-weight": "20", "nginx.ingress.kubernetes.io/canary-by-header": "X-Canary" }, "shop-next"),
    },
  ];
  const req = (headers: Record<string, string> = {}): Req => ({ host: "shop.example.com", path: "/cart", attachment: "ingress:nginx", headers });
  it("sends 20% of plain traffic to the canary", () => {
    assert.deepEqual(shares(trace(files, req())), ["shop.shop.svc.cluster.local:80=80", "shop-next.shop.svc.cluster.local:80=20"]);
  });
  it("X-Canary: always sends everything to the canary", () => {
    assert.deepEqual(shares(trace(files, req({ "x-canary": "always" }))), ["shop-next.shop.svc.cluster.local:80=100"]);
  });
  it("X-Canary: never keeps everything on the main service", () => {
    assert.deepEqual(shares(trace(files, req({ "x-canary": "never" }))), ["shop.shop.svc.cluster.local:80=100"]);
  });
});
