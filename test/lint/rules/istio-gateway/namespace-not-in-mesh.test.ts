import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { namespaceNotInMesh as rule } from "../../../../src/lint/rules/istio-gateway/namespace-not-in-mesh.js";
import { lintYaml, subjects } from "./lint-tree.js";
import { deployment, namespace } from "./manifests.js";

const meshRouting = `
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: reviews, namespace: shop }
spec:
  hosts: [reviews]
  http: [{ route: [{ destination: { host: reviews, subset: v1 } }] }]
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: { name: reviews, namespace: shop }
spec:
  host: reviews
  subsets: [{ name: v1, labels: { version: v1 } }]
`;

const gatewayOnlyRouting = `
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: storefront, namespace: shop }
spec:
  hosts: [shop.example.com]
  gateways: [edge/public]
  http: [{ route: [{ destination: { host: web } }] }]
`;

describe("MP1049 namespace not in the mesh holds sidecar configuration", () => {
  it("reports a declared namespace without injection label that holds mesh routing, at the Namespace", () => {
    const findings = lintYaml(rule, { "ns.yaml": namespace("shop"), "routing.yaml": meshRouting });
    assert.deepEqual(subjects(findings), ["Namespace -/shop metadata.labels"]);
    const [f] = findings;
    assert.equal(f!.severity, "warning");
    assert.deepEqual(f!.equivalents, ["IST0102"]);
    assert.match(f!.message, /holds VirtualService reviews, DestinationRule reviews/);
    assert.match(f!.hint ?? "", /istio-injection=enabled/);
  });

  it("reports a Sidecar resource in such a namespace", () => {
    const sidecar = "apiVersion: networking.istio.io/v1\nkind: Sidecar\nmetadata: { name: default, namespace: shop }\nspec: {}\n";
    assert.equal(lintYaml(rule, { "ns.yaml": namespace("shop"), "sc.yaml": sidecar }).length, 1);
  });

  const quiet: { name: string; files: Record<string, string> }[] = [
    { name: "a namespace with istio-injection=enabled", files: { "ns.yaml": namespace("shop", "{ istio-injection: enabled }"), "r.yaml": meshRouting } },
    { name: "a namespace with a revision label", files: { "ns.yaml": namespace("shop", "{ istio.io/rev: canary }"), "r.yaml": meshRouting } },
    { name: "a namespace deliberately labelled istio-injection=disabled", files: { "ns.yaml": namespace("shop", "{ istio-injection: disabled }"), "r.yaml": meshRouting } },
    { name: "a namespace in ambient mode", files: { "ns.yaml": namespace("shop", "{ istio.io/dataplane-mode: ambient }"), "r.yaml": meshRouting } },
    { name: "a namespace the tree does not declare", files: { "r.yaml": meshRouting, "other.yaml": namespace("blog") } },
    { name: "a VirtualService bound only to a gateway", files: { "ns.yaml": namespace("shop"), "r.yaml": gatewayOnlyRouting } },
    { name: "the root namespace istio-system", files: { "ns.yaml": namespace("istio-system"), "r.yaml": meshRouting.replaceAll("namespace: shop", "namespace: istio-system") } },
    {
      name: "a namespace whose pods opt in with sidecar.istio.io/inject=true",
      files: { "ns.yaml": namespace("shop"), "r.yaml": meshRouting, "d.yaml": deployment("reviews", "shop", '{ app: reviews, sidecar.istio.io/inject: "true" }') },
    },
    {
      name: "a gateway namespace whose Deployment an Istio Gateway selects",
      files: {
        "ns.yaml": namespace("shop"),
        "r.yaml": meshRouting,
        "d.yaml": deployment("ingress", "shop", "{ app: ingress, istio: shop-ingress }"),
        "gw.yaml": "apiVersion: networking.istio.io/v1\nkind: Gateway\nmetadata: { name: public, namespace: shop }\nspec:\n  selector: { istio: shop-ingress }\n  servers: [{ port: { number: 80, name: http, protocol: HTTP }, hosts: ['*'] }]\n",
      },
    },
  ];
  for (const c of quiet) {
    it(`does not report ${c.name}`, () => {
      assert.deepEqual(lintYaml(rule, c.files), []);
    });
  }
});
