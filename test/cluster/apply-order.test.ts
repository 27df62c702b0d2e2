import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { APPLY_TIERS, applyOrder, applyTierOf, pruneOrder, type ApplyTierName } from "../../src/cluster/apply-order.js";

interface Item {
  group: string;
  kind: string;
  name: string;
}

const item = (group: string, kind: string, name = kind.toLowerCase()): Item => ({ group, kind, name });

describe("applyTierOf", () => {
  const table: [group: string, kind: string, tier: ApplyTierName][] = [
    ["", "Namespace", "namespaces"],
    ["apiextensions.k8s.io", "CustomResourceDefinition", "definitions"],
    ["", "ServiceAccount", "config"],
    ["", "ConfigMap", "config"],
    ["", "Secret", "config"],
    ["rbac.authorization.k8s.io", "RoleBinding", "config"],
    ["", "Service", "services"],
    ["apps", "Deployment", "workloads"],
    ["apps", "StatefulSet", "workloads"],
    ["batch", "CronJob", "workloads"],
    ["networking.istio.io", "DestinationRule", "destinations"],
    ["networking.istio.io", "ServiceEntry", "destinations"],
    ["networking.istio.io", "Gateway", "destinations"],
    ["security.istio.io", "PeerAuthentication", "destinations"],
    ["gateway.networking.k8s.io", "Gateway", "destinations"],
    ["gateway.networking.k8s.io", "GatewayClass", "destinations"],
    ["gateway.networking.k8s.io", "ReferenceGrant", "destinations"],
    ["networking.istio.io", "VirtualService", "routes"],
    ["gateway.networking.k8s.io", "HTTPRoute", "routes"],
    ["gateway.networking.k8s.io", "GRPCRoute", "routes"],
    ["split.smi-spec.io", "TrafficSplit", "routes"],
    ["access.smi-spec.io", "TrafficTarget", "routes"],
    ["specs.smi-spec.io", "HTTPRouteGroup", "routes"],
    ["security.istio.io", "AuthorizationPolicy", "routes"],
    ["networking.k8s.io", "Ingress", "routes"],
    ["policy.linkerd.io", "Server", "other"],
    ["example.io", "Widget", "other"],
    // Kind alone decides nothing: these share a kind name with a known kind.
    ["example.io", "Namespace", "other"],
    ["example.io", "VirtualService", "other"],
    ["apps", "Service", "other"],
  ];
  for (const [group, kind, tier] of table) {
    it(`puts ${kind}${group ? `.${group}` : ""} in ${tier}`, () => {
      assert.equal(applyTierOf({ group, kind }), tier);
    });
  }

  it("lists each group-kind in one tier only", () => {
    const all = APPLY_TIERS.flatMap((t) => t.kinds);
    assert.equal(new Set(all).size, all.length);
  });

  it("orders the tiers as documented", () => {
    assert.deepEqual(
      APPLY_TIERS.map((t) => t.name),
      ["namespaces", "definitions", "config", "services", "workloads", "destinations", "routes", "other"],
    );
  });
});

describe("applyOrder", () => {
  const tree = [
    item("networking.istio.io", "VirtualService", "reviews"),
    item("example.io", "Widget"),
    item("split.smi-spec.io", "TrafficSplit"),
    item("apps", "Deployment", "reviews-v1"),
    item("networking.istio.io", "DestinationRule", "reviews"),
    item("", "Service", "reviews"),
    item("gateway.networking.k8s.io", "HTTPRoute"),
    item("", "ServiceAccount"),
    item("", "Namespace", "bookinfo"),
    item("apps", "Deployment", "reviews-v2"),
    item("gateway.networking.k8s.io", "Gateway"),
    item("security.istio.io", "AuthorizationPolicy"),
    item("apiextensions.k8s.io", "CustomResourceDefinition", "httproutes.gateway.networking.k8s.io"),
    item("", "ConfigMap"),
  ];

  it("applies namespaces, definitions, config, services, workloads, destinations, routes, then the rest", () => {
    assert.deepEqual(
      applyOrder(tree).map((r) => `${r.kind}/${r.name}`),
      [
        "Namespace/bookinfo",
        "CustomResourceDefinition/httproutes.gateway.networking.k8s.io",
        "ServiceAccount/serviceaccount",
        "ConfigMap/configmap",
        "Service/reviews",
        "Deployment/reviews-v1",
        "Deployment/reviews-v2",
        "DestinationRule/reviews",
        "Gateway/gateway",
        "VirtualService/reviews",
        "TrafficSplit/trafficsplit",
        "HTTPRoute/httproute",
        "AuthorizationPolicy/authorizationpolicy",
        "Widget/widget",
      ],
    );
  });

  it("keeps the input order inside a tier", () => {
    const routes = ["c", "a", "b"].map((n) => item("networking.istio.io", "VirtualService", n));
    const mixed = [item("gateway.networking.k8s.io", "HTTPRoute", "z"), ...routes];
    assert.deepEqual(applyOrder(mixed).map((r) => r.name), ["z", "c", "a", "b"]);
  });

  it("returns a new array and leaves the input alone", () => {
    const input = [item("networking.istio.io", "VirtualService"), item("", "Namespace")];
    const before = [...input];
    const out = applyOrder(input);
    assert.notEqual(out, input);
    assert.deepEqual(input, before);
    assert.equal(out[0], input[1]);
  });

  it("handles an empty tree", () => {
    assert.deepEqual(applyOrder([]), []);
  });
});

describe("pruneOrder", () => {
  it("removes routes before the destinations, services and namespaces they point at", () => {
    const members = [
      item("", "Namespace", "bookinfo"),
      item("", "Service", "reviews"),
      item("networking.istio.io", "DestinationRule", "reviews"),
      item("networking.istio.io", "VirtualService", "reviews"),
      item("example.io", "Widget"),
    ];
    assert.deepEqual(
      pruneOrder(members).map((r) => r.kind),
      ["Widget", "VirtualService", "DestinationRule", "Service", "Namespace"],
    );
  });

  it("is exactly the reverse of the apply order", () => {
    const members = [
      item("split.smi-spec.io", "TrafficSplit", "a"),
      item("", "Service", "a"),
      item("split.smi-spec.io", "TrafficSplit", "b"),
      item("apps", "Deployment", "a"),
      item("", "Service", "b"),
    ];
    assert.deepEqual(pruneOrder(members), applyOrder(members).reverse());
  });
});
