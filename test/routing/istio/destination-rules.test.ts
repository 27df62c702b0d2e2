import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { fqdn, hostRoutes, tableFromYaml } from "./istio-table.js";

const service = `
apiVersion: v1
kind: Service
metadata: { name: reviews, namespace: shop }
spec:
  selector: { app: reviews }
  ports: [{ name: http, port: 9080 }]
`;

const clientVs = `
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: reviews, namespace: front }
spec:
  hosts: [reviews.shop.svc.cluster.local]
  http:
  - route: [{ destination: { host: reviews.shop.svc.cluster.local, subset: v2 } }]
`;

/** A DestinationRule whose subset v2 selects `track: <track>`, so the test can see which rule won. */
function dr(name: string, namespace: string, host: string, track: string, exportTo?: string[]): string {
  return `
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: { name: ${name}, namespace: ${namespace} }
spec:
  host: "${host}"
${exportTo ? `  exportTo: ${JSON.stringify(exportTo)}\n` : ""}  subsets: [{ name: v2, labels: { track: ${track} } }]
`;
}

const REVIEWS = fqdn("reviews", "shop");

/** Istio DestinationRule precedence (pilot PushContext.destinationRule): client namespace, service namespace, root namespace. */
const cases: { name: string; rules: string[]; track: string | null }[] = [
  {
    name: "prefers the rule in the client's (VirtualService's) namespace",
    rules: [dr("a", "front", REVIEWS, "front"), dr("b", "shop", REVIEWS, "shop"), dr("c", "istio-system", REVIEWS, "root")],
    track: "front",
  },
  {
    name: "falls back to the service's namespace",
    rules: [dr("b", "shop", "reviews", "shop"), dr("c", "istio-system", REVIEWS, "root")],
    track: "shop",
  },
  { name: "falls back to the root namespace", rules: [dr("c", "istio-system", REVIEWS, "root")], track: "root" },
  {
    name: "skips a service-namespace rule exported only to its own namespace",
    rules: [dr("b", "shop", "reviews", "shop", ["."]), dr("c", "istio-system", REVIEWS, "root")],
    track: "root",
  },
  {
    name: "uses a service-namespace rule exported to the client's namespace by name",
    rules: [dr("b", "shop", "reviews", "shop", ["front"]), dr("c", "istio-system", REVIEWS, "root")],
    track: "shop",
  },
  { name: "ignores a rule exported to nobody (~)", rules: [dr("b", "shop", "reviews", "shop", ["~"])], track: null },
  {
    name: "applies a private rule in the client's own namespace",
    rules: [dr("a", "front", REVIEWS, "front", ["."]), dr("b", "shop", "reviews", "shop")],
    track: "front",
  },
  {
    name: "looks past a client-namespace rule for another host",
    rules: [dr("a", "front", "ratings.shop.svc.cluster.local", "front"), dr("b", "shop", "reviews", "shop")],
    track: "shop",
  },
  {
    name: "prefers an exact host over a wildcard in the same namespace",
    rules: [dr("w", "shop", "*.shop.svc.cluster.local", "wildcard"), dr("b", "shop", "reviews", "exact")],
    track: "exact",
  },
  {
    name: "prefers the longer of two wildcards",
    rules: [dr("w1", "shop", "*.svc.cluster.local", "short"), dr("w2", "shop", "*.shop.svc.cluster.local", "long")],
    track: "long",
  },
  {
    name: "merges two rules for the same host: the first definition of a subset wins",
    rules: [dr("first", "shop", "reviews", "first"), dr("second", "shop", "reviews", "second")],
    track: "first",
  },
];

describe("Istio DestinationRule selection for subsets", () => {
  for (const c of cases) {
    it(c.name, () => {
      const files: Record<string, string> = { "svc.yaml": service, "vs.yaml": clientVs };
      c.rules.forEach((r, i) => (files[`dr-${i}.yaml`] = r));
      const result = tableFromYaml(files);
      const backend = hostRoutes(result, REVIEWS).rules[0]!.backends[0]!;
      if (c.track === null) {
        assert.equal(backend.selector, null);
        assert.deepEqual(result.findings.map((f) => f.code), ["MP0201"]);
      } else {
        assert.deepEqual(backend.selector, { app: "reviews", track: c.track });
        assert.deepEqual(result.findings, []);
      }
    });
  }

  it("names the DestinationRule it used among the host's origins", () => {
    const result = tableFromYaml({
      "svc.yaml": service,
      "vs.yaml": clientVs,
      "dr.yaml": dr("b", "shop", "reviews", "shop"),
    });
    const origins = hostRoutes(result, REVIEWS).origins.map((o) => `${o.resource.kind} ${o.resource.namespace}/${o.resource.name}`);
    assert.deepEqual(origins, ["VirtualService front/reviews", "DestinationRule shop/b"]);
  });
});
