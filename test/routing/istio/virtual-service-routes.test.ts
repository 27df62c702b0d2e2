import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { istioRoutes } from "../../../src/routing/istio/istio-routes.js";
import { modelFromCorpus } from "../../support/model.js";
import { fqdn, hostRoutes, split, tableFromYaml } from "./istio-table.js";

const reviewsDr = (namespace: string) => `
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: { name: reviews, namespace: ${namespace} }
spec:
  host: reviews
  subsets:
  - { name: v1, labels: { version: v1 } }
  - { name: v2, labels: { version: v2 } }
  - { name: v3, labels: { version: v3 } }
`;

const reviewsService = (namespace: string) => `
apiVersion: v1
kind: Service
metadata: { name: reviews, namespace: ${namespace} }
spec:
  selector: { app: reviews }
  ports: [{ name: http, port: 9080 }]
`;

describe("Istio VirtualService hosts", () => {
  it("resolves short host names in the VirtualService's namespace, not the default one", () => {
    const result = tableFromYaml({
      "vs.yaml": `
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: reviews, namespace: shop }
spec:
  hosts: [reviews]
  http:
  - route: [{ destination: { host: reviews, subset: v2 } }]
`,
      "dr.yaml": reviewsDr("shop"),
      "svc.yaml": reviewsService("shop"),
    });
    const h = hostRoutes(result, fqdn("reviews", "shop"));
    assert.equal(h.host, "reviews.shop.svc.cluster.local");
    assert.deepEqual(h.rules[0]!.backends, [
      { service: fqdn("reviews", "shop"), subset: "v2", port: null, weight: 100, selector: { app: "reviews", version: "v2" } },
    ]);
    assert.deepEqual(result.findings, []);
  });

  it("keeps reviews.default as written: a dotted name is not a short name, so it is no Kubernetes service", () => {
    const result = tableFromYaml({
      "vs.yaml": `
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: reviews, namespace: default }
spec:
  hosts: [reviews.default]
  http:
  - route: [{ destination: { host: reviews.default } }]
`,
      "svc.yaml": reviewsService("default"),
    });
    assert.deepEqual(result.hosts.map((h) => h.host), ["reviews.default"]);
    assert.deepEqual(result.hosts[0]!.rules[0]!.backends, [
      { service: "reviews.default", subset: null, port: null, weight: 100, selector: null },
    ]);
  });

  it("lets a VirtualService without gateways bind to the mesh and one naming gateways bind to each (short names in its namespace)", () => {
    const result = tableFromYaml({
      "vs.yaml": `
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: web, namespace: front }
spec:
  hosts: [web.example.com]
  gateways: [mesh, edge, infra/public, ./internal, legacy.ops.svc.cluster.local]
  http:
  - route: [{ destination: { host: web } }]
`,
    });
    assert.deepEqual(result.hosts.map((h) => h.attachment).sort(), [
      "gateway:front/edge",
      "gateway:front/internal",
      "gateway:infra/public",
      "gateway:ops/legacy",
      "mesh",
    ]);
    for (const h of result.hosts) assert.equal(h.key, `istio|${h.attachment}|web.example.com|*|http`);
  });

  it("applies a match block that names gateways only on those gateways", () => {
    const result = tableFromYaml({
      "vs.yaml": `
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: web, namespace: front }
spec:
  hosts: [web]
  gateways: [mesh, edge]
  http:
  - match:
    - { uri: { prefix: /admin }, gateways: [edge] }
    route: [{ destination: { host: admin } }]
  - match:
    - { uri: { prefix: /api }, gateways: [mesh] }
    - { uri: { prefix: /v2/api } }
    route: [{ destination: { host: api } }]
  - route: [{ destination: { host: web } }]
`,
    });
    const mesh = hostRoutes(result, fqdn("web", "front"));
    assert.deepEqual(mesh.rules.map((r) => r.backends[0]!.service), [fqdn("api", "front"), fqdn("web", "front")]);
    assert.deepEqual(mesh.rules[0]!.matches, [
      { uri: { type: "prefix", value: "/api" }, gateways: ["mesh"] },
      { uri: { type: "prefix", value: "/v2/api" } },
    ]);
    const edge = hostRoutes(result, fqdn("web", "front"), "gateway:front/edge");
    assert.deepEqual(edge.rules.map((r) => r.backends[0]!.service), [fqdn("admin", "front"), fqdn("api", "front"), fqdn("web", "front")]);
    assert.deepEqual(edge.rules[0]!.matches, [{ uri: { type: "prefix", value: "/admin" }, gateways: ["front/edge"] }]);
    assert.deepEqual(edge.rules[1]!.matches, [{ uri: { type: "prefix", value: "/v2/api" } }]);
  });

  it("claims the host with no rule (404) when every http rule is for another gateway", () => {
    const result = tableFromYaml({
      "vs.yaml": `
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: web, namespace: front }
spec:
  hosts: [web]
  gateways: [mesh, edge]
  http:
  - match: [{ gateways: [edge] }]
    route: [{ destination: { host: web } }]
`,
    });
    assert.deepEqual(hostRoutes(result, fqdn("web", "front")).rules, []);
    assert.equal(hostRoutes(result, fqdn("web", "front"), "gateway:front/edge").rules.length, 1);
  });
});

describe("Istio route weights", () => {
  const vsWithWeights = (weights: (number | null)[]) => `
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: reviews, namespace: default }
spec:
  hosts: [reviews]
  http:
  - route:
${weights.map((w, i) => `    - destination: { host: reviews, subset: v${i + 1} }${w === null ? "" : `\n      weight: ${w}`}`).join("\n")}
`;
  const cases: { weights: (number | null)[]; split: string[]; why: string }[] = [
    { weights: [1, 3], split: ["v1:25", "v2:75"], why: "weights are relative: 1 and 3 are 25% and 75%" },
    { weights: [1, 1, 1], split: ["v1:33.34", "v2:33.33", "v3:33.33"], why: "thirds are rounded so the rule sums to exactly 100" },
    { weights: [0], split: ["v1:100"], why: "a single destination gets everything whatever its weight" },
    { weights: [null], split: ["v1:100"], why: "a single destination without weight gets everything" },
    { weights: [100, 0], split: ["v1:100"], why: "a 0-weight destination among several gets no traffic (pilot drops it)" },
    { weights: [70, null, 30], split: ["v1:70", "v3:30"], why: "an unset weight among several is 0" },
    { weights: [2, 1], split: ["v1:66.67", "v2:33.33"], why: "two thirds round up by the largest remainder" },
  ];
  for (const c of cases) {
    it(`splits [${c.weights.map((w) => w ?? "unset").join(", ")}] as ${c.split.join(" ")}: ${c.why}`, () => {
      const result = tableFromYaml({ "vs.yaml": vsWithWeights(c.weights), "dr.yaml": reviewsDr("default") });
      assert.deepEqual(split(hostRoutes(result, fqdn("reviews")), 0), c.split);
      assert.deepEqual(result.findings, []);
    });
  }

  it("routes nowhere and reports MP0205 when several destinations all weigh 0", () => {
    const result = tableFromYaml({ "vs.yaml": vsWithWeights([0, 0]), "dr.yaml": reviewsDr("default") });
    assert.deepEqual(hostRoutes(result, fqdn("reviews")).rules[0]!.backends, []);
    assert.deepEqual(
      result.findings.map((f) => [f.code, f.severity, f.path, f.line]),
      [["MP0205", "error", "spec.http[0].route", 8]],
    );
  });
});

describe("Istio subsets", () => {
  it("reports a subset missing from the DestinationRule at the subset field, keeping the name with no selector", () => {
    const result = tableFromYaml({
      "dr.yaml": reviewsDr("default"),
      "svc.yaml": reviewsService("default"),
      "networking/reviews.yaml": `
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: reviews, namespace: default }
spec:
  hosts: [reviews]
  http:
  - route:
    - destination: { host: reviews, subset: v1 }
      weight: 90
    - destination:
        host: reviews
        subset: v9
      weight: 10
`,
    });
    const h = hostRoutes(result, fqdn("reviews"));
    assert.deepEqual(h.rules[0]!.backends[1], { service: fqdn("reviews"), subset: "v9", port: null, weight: 10, selector: null });
    assert.equal(result.findings.length, 1);
    const f = result.findings[0]!;
    assert.equal(f.code, "MP0201");
    assert.equal(f.severity, "error");
    assert.deepEqual(f.equivalents, ["IST0101"]);
    assert.equal(f.file, "networking/reviews.yaml");
    assert.equal(f.line, 13);
    assert.equal(f.path, "spec.http[0].route[1].destination.subset");
    assert.match(f.message, /subset "v9" of reviews\.default\.svc\.cluster\.local is not defined by DestinationRule default\/reviews/);
  });

  it("reports a subset when no DestinationRule applies to the host at all", () => {
    const result = tableFromYaml({
      "vs.yaml": `
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: ratings, namespace: default }
spec:
  hosts: [ratings]
  http:
  - route: [{ destination: { host: ratings, subset: v1 } }]
`,
    });
    assert.deepEqual(result.findings.map((f) => [f.code, f.path]), [["MP0201", "spec.http[0].route[0].destination.subset"]]);
    assert.match(result.findings[0]!.message, /no DestinationRule for this host applies to namespace default/);
  });

  it("agrees with istioctl analyze on virtualservice_destinationrules.yaml: IST0101 for the bogus subset and the bogus mirror subset only", () => {
    const { model } = modelFromCorpus(["istio-analyzers/testdata/virtualservice_destinationrules.yaml"]);
    const flagged = istioRoutes(model)
      .findings.filter((f) => f.equivalents.includes("IST0101"))
      .map((f) => `${f.resource?.namespace}/${f.resource?.name} ${f.path}`);
    assert.deepEqual(flagged.sort(), [
      "default/reviews-bogussubset spec.http[0].route[0].destination.subset",
      "default/reviews-mirror-bogussubset spec.http[0].mirror.subset",
    ]);
  });
});

describe("Istio tcp and tls routes", () => {
  it("builds tcp routes with their port match and weighted destinations", () => {
    const result = tableFromYaml({
      "vs.yaml": `
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: mongo, namespace: db }
spec:
  hosts: [mongo]
  tcp:
  - match: [{ port: 27017, sourceLabels: { app: api } }]
    route:
    - { destination: { host: mongo-a, port: { number: 27017 } }, weight: 3 }
    - { destination: { host: mongo-b, port: { number: 27017 } }, weight: 1 }
`,
    });
    assert.equal(result.hosts.length, 1, "a VirtualService with only tcp routes claims no HTTP routes");
    const h = hostRoutes(result, fqdn("mongo", "db"), "mesh", "tcp");
    assert.equal(h.key, `istio|mesh|${fqdn("mongo", "db")}|*|tcp`);
    assert.deepEqual(h.rules[0]!.matches, [{ port: 27017, sourceLabels: { app: "api" } }]);
    assert.deepEqual(
      h.rules[0]!.backends.map((b) => [b.service, b.port, b.weight]),
      [
        [fqdn("mongo-a", "db"), 27017, 75],
        [fqdn("mongo-b", "db"), 27017, 25],
      ],
    );
    assert.equal(h.rules[0]!.origin.path, "spec.tcp[0]");
  });

  it("matches tls routes on each SNI host, a wildcard SNI by suffix", () => {
    const result = tableFromYaml({
      "vs.yaml": `
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: tls, namespace: edge }
spec:
  hosts: ["*.bookinfo.com"]
  gateways: [ingress]
  tls:
  - match:
    - { port: 443, sniHosts: [login.bookinfo.com, "*.api.bookinfo.com"] }
    route: [{ destination: { host: login.prod.svc.cluster.local } }]
`,
    });
    const h = hostRoutes(result, "*.bookinfo.com", "gateway:edge/ingress", "tls");
    assert.deepEqual(h.rules[0]!.matches, [
      { port: 443, authority: { type: "exact", value: "login.bookinfo.com" } },
      { port: 443, authority: { type: "regex", value: ".+\\.api\\.bookinfo\\.com" } },
    ]);
    assert.deepEqual(split(h, 0), ["login.prod.svc.cluster.local:100"]);
  });
});
