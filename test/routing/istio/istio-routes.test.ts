import assert from "node:assert/strict";
import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { istioRoutes } from "../../../src/routing/istio/istio-routes.js";
import { corpusPath } from "../../support/corpus.js";
import { modelFromCorpus } from "../../support/model.js";
import { BOOKINFO_PLATFORM, BOOKINFO_SUBSETS, fqdn, hostRoutes, split, tableFromCorpus, tableFromYaml } from "./istio-table.js";

const JASON = { headers: [{ name: "end-user", match: { type: "exact", value: "jason" } }] };

/**
 * Istio bookinfo "traffic management" tasks: each sample VirtualService with
 * the bookinfo services and destination-rule-all.yaml, and the split every
 * rule of the host must produce, as the Istio docs describe the task.
 */
const bookinfoCases: {
  file: string;
  host: string;
  rules: { matches: unknown[]; split: string[] }[];
}[] = [
  { file: "virtual-service-all-v1.yaml", host: "productpage", rules: [{ matches: [], split: ["v1:100"] }] },
  { file: "virtual-service-all-v1.yaml", host: "reviews", rules: [{ matches: [], split: ["v1:100"] }] },
  { file: "virtual-service-all-v1.yaml", host: "ratings", rules: [{ matches: [], split: ["v1:100"] }] },
  { file: "virtual-service-all-v1.yaml", host: "details", rules: [{ matches: [], split: ["v1:100"] }] },
  { file: "virtual-service-reviews-50-v3.yaml", host: "reviews", rules: [{ matches: [], split: ["v1:50", "v3:50"] }] },
  { file: "virtual-service-reviews-80-20.yaml", host: "reviews", rules: [{ matches: [], split: ["v1:80", "v2:20"] }] },
  { file: "virtual-service-reviews-90-10.yaml", host: "reviews", rules: [{ matches: [], split: ["v1:90", "v2:10"] }] },
  { file: "virtual-service-reviews-v3.yaml", host: "reviews", rules: [{ matches: [], split: ["v3:100"] }] },
  { file: "virtual-service-reviews-v2-v3.yaml", host: "reviews", rules: [{ matches: [], split: ["v2:50", "v3:50"] }] },
  {
    file: "virtual-service-reviews-jason-v2-v3.yaml",
    host: "reviews",
    rules: [
      { matches: [JASON], split: ["v2:100"] },
      { matches: [], split: ["v3:100"] },
    ],
  },
  {
    file: "virtual-service-reviews-test-v2.yaml",
    host: "reviews",
    rules: [
      { matches: [JASON], split: ["v2:100"] },
      { matches: [], split: ["v1:100"] },
    ],
  },
  { file: "virtual-service-details-v2.yaml", host: "details", rules: [{ matches: [], split: ["v2:100"] }] },
  { file: "virtual-service-ratings-db.yaml", host: "ratings", rules: [{ matches: [], split: ["v2:100"] }] },
];

describe("Istio routing of the bookinfo samples", () => {
  for (const c of bookinfoCases) {
    it(`${c.file}: routes ${c.host} ${c.rules.map((r) => r.split.join("/")).join(", then ")}`, () => {
      const result = tableFromCorpus([BOOKINFO_PLATFORM, BOOKINFO_SUBSETS, `bookinfo/networking/${c.file}`]);
      const h = hostRoutes(result, fqdn(c.host));
      assert.equal(h.key, `istio|mesh|${fqdn(c.host)}|*|http`);
      assert.equal(h.rules.length, c.rules.length);
      c.rules.forEach((want, i) => {
        assert.deepEqual(h.rules[i]!.matches, want.matches);
        assert.deepEqual(split(h, i), want.split);
        for (const b of h.rules[i]!.backends) {
          assert.equal(b.service, fqdn(c.host));
          assert.deepEqual(b.selector, { app: c.host, version: b.subset });
        }
      });
      assert.deepEqual(result.findings, []);
    });
  }

  it("routes end-user=jason to reviews v2 and records where the rule is written", () => {
    const result = tableFromCorpus([BOOKINFO_PLATFORM, BOOKINFO_SUBSETS, "bookinfo/networking/virtual-service-reviews-jason-v2-v3.yaml"]);
    const rule = hostRoutes(result, fqdn("reviews")).rules[0]!;
    assert.equal(rule.origin.file, "bookinfo/networking/virtual-service-reviews-jason-v2-v3.yaml");
    assert.equal(rule.origin.path, "spec.http[0]");
    assert.equal(rule.origin.line, 9);
    assert.deepEqual(rule.origin.resource, { apiVersion: "networking.istio.io/v1", kind: "VirtualService", namespace: null, name: "reviews" });
  });

  it("names the VirtualService host and the DestinationRule as the host's origins", () => {
    const result = tableFromCorpus([BOOKINFO_PLATFORM, BOOKINFO_SUBSETS, "bookinfo/networking/virtual-service-reviews-80-20.yaml"]);
    const h = hostRoutes(result, fqdn("reviews"));
    assert.deepEqual(
      h.origins.map((o) => `${o.resource.kind}/${o.resource.name} ${o.path}`),
      ["VirtualService/reviews spec.hosts[0]", "DestinationRule/reviews spec.host"],
    );
  });

  it("gives every rule an id from its matches, not its position", () => {
    const result = tableFromCorpus([BOOKINFO_PLATFORM, BOOKINFO_SUBSETS, "bookinfo/networking/virtual-service-reviews-test-v2.yaml"]);
    const [jason, rest] = hostRoutes(result, fqdn("reviews")).rules;
    assert.equal(jason!.id, '[{"headers":[{"match":{"type":"exact","value":"jason"},"name":"end-user"}]}]');
    assert.equal(rest!.id, "[]");
  });
});

describe("Istio fault injection (bookinfo fault-injection task)", () => {
  it("delays end-user=jason's calls to ratings by 7s for every request", () => {
    const result = tableFromCorpus([BOOKINFO_PLATFORM, BOOKINFO_SUBSETS, "bookinfo/networking/virtual-service-ratings-test-delay.yaml"]);
    const h = hostRoutes(result, fqdn("ratings"));
    assert.deepEqual(h.rules[0]!.matches, [JASON]);
    assert.deepEqual(h.rules[0]!.policies.fault, { delay: { fixedDelay: "7s", percentage: 100 }, abort: null });
    assert.deepEqual(split(h, 0), ["v1:100"]);
    assert.equal(h.rules[1]!.policies.fault, null);
  });

  it("aborts end-user=jason's calls to ratings with HTTP 500", () => {
    const result = tableFromCorpus([BOOKINFO_PLATFORM, BOOKINFO_SUBSETS, "bookinfo/networking/virtual-service-ratings-test-abort.yaml"]);
    const h = hostRoutes(result, fqdn("ratings"));
    assert.deepEqual(h.rules[0]!.policies.fault, { delay: null, abort: { httpStatus: 500, grpcStatus: null, percentage: 100 } });
    assert.equal(h.rules[1]!.policies.fault, null);
  });

  it("aborts every call to details with 555 before the catch-all rule (fault-injection-details-v1.yaml)", () => {
    const result = tableFromCorpus([BOOKINFO_PLATFORM, "bookinfo/networking/fault-injection-details-v1.yaml"]);
    const h = hostRoutes(result, fqdn("details"));
    assert.equal(h.rules.length, 2);
    assert.deepEqual(h.rules[0]!.matches, []);
    assert.deepEqual(h.rules[0]!.policies.fault?.abort, { httpStatus: 555, grpcStatus: null, percentage: 100 });
    assert.deepEqual(split(h, 0), ["v1:100"]);
    // Two catch-all rules share the same matches, so the second id is made unique.
    assert.deepEqual(h.rules.map((r) => r.id), ["[]", "[]#2"]);
  });
});

describe("Istio gateway attachment", () => {
  it("attaches the bookinfo routes to gateway:default/bookinfo-gateway, not to the mesh", () => {
    const result = tableFromCorpus([BOOKINFO_PLATFORM, "bookinfo/networking/bookinfo-gateway.yaml"]);
    assert.deepEqual(result.hosts.map((h) => h.key), ["istio|gateway:default/bookinfo-gateway|*|*|http"]);
    const h = hostRoutes(result, "*", "gateway:default/bookinfo-gateway");
    assert.deepEqual(h.rules[0]!.matches, [
      { uri: { type: "exact", value: "/productpage" } },
      { uri: { type: "prefix", value: "/static" } },
      { uri: { type: "exact", value: "/login" } },
      { uri: { type: "exact", value: "/logout" } },
      { uri: { type: "prefix", value: "/api/v1/products" } },
    ]);
    assert.deepEqual(h.rules[0]!.backends, [
      { service: fqdn("productpage"), subset: null, port: 9080, weight: 100, selector: { app: "productpage" } },
    ]);
  });

  it("routes a ServiceEntry host (egress-rule-google-apis.yaml) from port 80 to 443", () => {
    const result = tableFromCorpus(["bookinfo/networking/egress-rule-google-apis.yaml"]);
    const h = hostRoutes(result, "www.googleapis.com");
    assert.deepEqual(h.rules[0]!.matches, [{ port: 80 }]);
    assert.deepEqual(h.rules[0]!.backends, [{ service: "www.googleapis.com", subset: null, port: 443, weight: 100, selector: null }]);
  });
});

describe("Istio routing over the whole corpus", () => {
  const roots = ["bookinfo", "istio-analyzers/testdata"];
  const files: string[] = [];
  const walk = (rel: string) => {
    for (const name of readdirSync(corpusPath(rel)).sort()) {
      const child = `${rel}/${name}`;
      if (statSync(join(corpusPath(rel), name)).isDirectory()) walk(child);
      else if (/\.ya?ml$/.test(name)) files.push(child);
    }
  };
  roots.forEach(walk);

  it("finds the corpus files", () => {
    assert.ok(files.length > 100, `only ${files.length} files`);
  });

  for (const file of files) {
    it(`computes a table for ${file} without throwing, with weights summing to 100`, () => {
      const { model } = modelFromCorpus([file]);
      const result = istioRoutes(model);
      for (const h of result.hosts) {
        for (const r of h.rules) {
          if (r.backends.length === 0) continue;
          const hundredths = r.backends.reduce((s, b) => s + Math.round(b.weight * 100), 0);
          assert.equal(hundredths, 10_000, `${h.key} ${r.id}`);
        }
      }
      for (const f of result.findings) {
        assert.equal(f.file, file);
        assert.ok(f.line !== null && f.line > 0);
      }
    });
  }
});

describe("Istio routing from inline manifests", () => {
  it("keeps the first VirtualService for a mesh host and merges them on a gateway", () => {
    const vs = (name: string, subset: string, gateways: string) => `
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: ${name}, namespace: shop }
spec:
  hosts: [cart]
  gateways: ${gateways}
  http:
  - match: [{ uri: { prefix: /${name} } }]
    route: [{ destination: { host: cart, subset: ${subset} } }]
`;
    const dr = `
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: { name: cart, namespace: shop }
spec:
  host: cart
  subsets: [{ name: a, labels: { v: a } }, { name: b, labels: { v: b } }]
`;
    const result = tableFromYaml({
      "b.yaml": vs("b-cart", "b", "[mesh, edge]"),
      "a.yaml": vs("a-cart", "a", "[mesh, edge]"),
      "dr.yaml": dr,
    });
    // Same (absent) creationTimestamp: Istio orders by name, so a-cart comes first.
    assert.deepEqual(split(hostRoutes(result, fqdn("cart", "shop")), 0), ["a:100"]);
    assert.equal(hostRoutes(result, fqdn("cart", "shop")).rules.length, 1);
    const gw = hostRoutes(result, fqdn("cart", "shop"), "gateway:shop/edge");
    assert.deepEqual(gw.rules.map((r) => r.origin.resource.name), ["a-cart", "b-cart"]);
  });
});
