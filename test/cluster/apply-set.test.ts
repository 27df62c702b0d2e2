import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import {
  APPLIED_COMMIT_ANNOTATION,
  APPLYSET_ADDITIONAL_NAMESPACES_ANNOTATION,
  APPLYSET_CONTAINS_GROUP_KINDS_ANNOTATION,
  APPLYSET_ID_LABEL,
  APPLYSET_PART_OF_LABEL,
  APPLYSET_TOOLING_ANNOTATION,
  applySetId,
  applySetParent,
  applySetTooling,
  containsGroupKinds,
  defaultPruneGuardOptions,
  diffInventory,
  memberKey,
  prunable,
  pruneGuard,
  withMembership,
  type MemberRef,
} from "../../src/cluster/apply-set.js";

/** The KEP-3659 recipe spelled out with standard base64, then made URL-safe and unpadded by hand. */
function expectedId(gknn: string): string {
  const standard = createHash("sha256").update(gknn).digest().toString("base64");
  return `applyset-${standard.replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "")}-v1`;
}

const ref = (group: string, kind: string, namespace: string | null, name: string): MemberRef => ({ group, kind, namespace, name });

describe("applySetId (KEP-3659 ApplySet identification)", () => {
  it("matches the id kubectl gives a Secret parent my-set in namespace test", () => {
    // From kubectl's own apply tests: `kubectl apply -n test --applyset=my-set --prune`.
    assert.equal(
      applySetId({ name: "my-set", namespace: "test", kind: "Secret", group: "" }),
      "applyset-0eFHV8ySqp7XoShsGvyWFQD3s96yqwHmzc4e0HR1dsY-v1",
    );
  });

  it("hashes <name>.<namespace>.<kind>.<group> with an empty group for a ConfigMap parent", () => {
    assert.equal(
      applySetId({ name: "meshplan", namespace: "mesh-system", kind: "ConfigMap", group: "" }),
      expectedId("meshplan.mesh-system.ConfigMap."),
    );
  });

  it("hashes a custom-resource parent with its group", () => {
    assert.equal(
      applySetId({ name: "prod", namespace: "ops", kind: "MeshSet", group: "meshplan.io" }),
      expectedId("prod.ops.MeshSet.meshplan.io"),
    );
  });

  it("leaves the namespace segment empty for a cluster-scoped parent", () => {
    assert.equal(
      applySetId({ name: "prod", namespace: null, kind: "ClusterMeshSet", group: "meshplan.io" }),
      expectedId("prod..ClusterMeshSet.meshplan.io"),
    );
  });

  it("gives parents that differ only in kind, group or namespace different ids", () => {
    const ids = new Set([
      applySetId({ name: "a", namespace: "ns", kind: "ConfigMap", group: "" }),
      applySetId({ name: "a", namespace: "ns", kind: "Secret", group: "" }),
      applySetId({ name: "a", namespace: "ns2", kind: "ConfigMap", group: "" }),
      applySetId({ name: "a", namespace: "ns", kind: "ConfigMap", group: "x.io" }),
    ]);
    assert.equal(ids.size, 4);
  });

  it("is a valid label value: at most 63 characters, alphanumeric at both ends, no padding", () => {
    for (const name of ["a", "bookinfo-routes", "x".repeat(253)]) {
      const id = applySetId({ name, namespace: "default", kind: "ConfigMap", group: "" });
      assert.ok(id.length <= 63, id);
      assert.match(id, /^[A-Za-z0-9]([A-Za-z0-9_.-]*[A-Za-z0-9])?$/);
      assert.ok(!id.includes("="));
    }
  });
});

describe("ApplySet label and annotation keys", () => {
  it("uses the applyset.kubernetes.io keys kubectl uses, plus meshplan's applied-commit", () => {
    assert.equal(APPLYSET_PART_OF_LABEL, "applyset.kubernetes.io/part-of");
    assert.equal(APPLYSET_ID_LABEL, "applyset.kubernetes.io/id");
    assert.equal(APPLYSET_CONTAINS_GROUP_KINDS_ANNOTATION, "applyset.kubernetes.io/contains-group-kinds");
    assert.equal(APPLYSET_TOOLING_ANNOTATION, "applyset.kubernetes.io/tooling");
    assert.equal(APPLYSET_ADDITIONAL_NAMESPACES_ANNOTATION, "applyset.kubernetes.io/additional-namespaces");
    assert.equal(APPLIED_COMMIT_ANNOTATION, "meshplan.io/applied-commit");
  });

  it("writes tooling as meshplan/<semver> with a leading v", () => {
    assert.equal(applySetTooling("0.1.0"), "meshplan/v0.1.0");
    assert.equal(applySetTooling("v0.1.0"), "meshplan/v0.1.0");
  });

  it("lists group-kinds as Kind.group, core kinds bare, sorted in byte order without repeats", () => {
    const members = [
      ref("networking.istio.io", "VirtualService", "bookinfo", "reviews"),
      ref("", "Service", "bookinfo", "reviews"),
      ref("apps", "Deployment", "bookinfo", "reviews-v1"),
      ref("", "ConfigMap", "bookinfo", "settings"),
      ref("networking.istio.io", "VirtualService", "bookinfo", "ratings"),
      ref("networking.istio.io", "DestinationRule", "bookinfo", "reviews"),
    ];
    assert.equal(
      containsGroupKinds(members),
      "ConfigMap,Deployment.apps,DestinationRule.networking.istio.io,Service,VirtualService.networking.istio.io",
    );
    assert.equal(containsGroupKinds([]), "");
  });
});

describe("applySetParent", () => {
  const members = [
    ref("networking.istio.io", "VirtualService", "bookinfo", "reviews"),
    ref("", "Namespace", null, "bookinfo"),
    ref("gateway.networking.k8s.io", "HTTPRoute", "edge", "shop"),
    ref("", "Service", "bookinfo", "reviews"),
  ];

  it("builds a data-less ConfigMap labelled with its own id and annotated with the set's hints", () => {
    const parent = applySetParent({ name: "meshplan-prod", namespace: "bookinfo", members, version: "0.1.0", appliedCommit: "3f2c1ab" });
    assert.deepEqual(parent, {
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: {
        name: "meshplan-prod",
        namespace: "bookinfo",
        labels: { [APPLYSET_ID_LABEL]: expectedId("meshplan-prod.bookinfo.ConfigMap.") },
        annotations: {
          [APPLYSET_TOOLING_ANNOTATION]: "meshplan/v0.1.0",
          [APPLYSET_CONTAINS_GROUP_KINDS_ANNOTATION]: "HTTPRoute.gateway.networking.k8s.io,Namespace,Service,VirtualService.networking.istio.io",
          [APPLYSET_ADDITIONAL_NAMESPACES_ANNOTATION]: "edge",
          [APPLIED_COMMIT_ANNOTATION]: "3f2c1ab",
        },
      },
    });
  });

  it("omits additional-namespaces when every namespaced member shares the parent's namespace", () => {
    const parent = applySetParent({ name: "p", namespace: "bookinfo", members: members.slice(0, 2), version: "0.1.0" });
    const annotations = (parent["metadata"] as { annotations: Record<string, string> }).annotations;
    assert.equal(APPLYSET_ADDITIONAL_NAMESPACES_ANNOTATION in annotations, false);
  });

  it("omits the applied-commit annotation when no commit is given", () => {
    const parent = applySetParent({ name: "p", namespace: "bookinfo", members, version: "0.1.0" });
    const annotations = (parent["metadata"] as { annotations: Record<string, string> }).annotations;
    assert.equal(APPLIED_COMMIT_ANNOTATION in annotations, false);
  });

  it("sorts additional namespaces and lists each once", () => {
    const spread = [ref("", "Service", "zeta", "a"), ref("", "Service", "alpha", "b"), ref("", "Service", "zeta", "c"), ref("", "Service", "home", "d")];
    const parent = applySetParent({ name: "p", namespace: "home", members: spread, version: "0.1.0" });
    const annotations = (parent["metadata"] as { annotations: Record<string, string> }).annotations;
    assert.equal(annotations[APPLYSET_ADDITIONAL_NAMESPACES_ANNOTATION], "alpha,zeta");
  });
});

describe("withMembership", () => {
  const id = applySetId({ name: "p", namespace: "bookinfo", kind: "ConfigMap", group: "" });

  it("adds the part-of label to a copy and leaves the manifest untouched", () => {
    const manifest = {
      apiVersion: "networking.istio.io/v1",
      kind: "VirtualService",
      metadata: { name: "reviews", namespace: "bookinfo", labels: { app: "reviews" } },
      spec: { hosts: ["reviews"] },
    };
    const before = structuredClone(manifest);
    const result = withMembership(manifest, id);
    assert.deepEqual(manifest, before);
    assert.ok(result.ok);
    assert.deepEqual(result.object, {
      ...before,
      metadata: { ...before.metadata, labels: { app: "reviews", [APPLYSET_PART_OF_LABEL]: id } },
    });
  });

  it("creates metadata.labels when the manifest has none", () => {
    const result = withMembership({ apiVersion: "v1", kind: "Service", metadata: { name: "reviews" } }, id);
    assert.ok(result.ok);
    assert.deepEqual(result.object["metadata"], { name: "reviews", labels: { [APPLYSET_PART_OF_LABEL]: id } });
  });

  it("refuses a manifest that sets part-of itself, even to the same id", () => {
    for (const value of [id, "applyset-someone-else-v1"]) {
      const result = withMembership({ kind: "Service", metadata: { name: "r", labels: { [APPLYSET_PART_OF_LABEL]: value } } }, id);
      assert.equal(result.ok, false);
      if (!result.ok) assert.match(result.reason, /part-of/);
    }
  });

  it("refuses malformed metadata instead of throwing", () => {
    assert.equal(withMembership({ kind: "Service", metadata: "nope" }, id).ok, false);
    assert.equal(withMembership({ kind: "Service", metadata: { labels: ["x"] } }, id).ok, false);
  });
});

describe("diffInventory", () => {
  const ns = ref("", "Namespace", null, "bookinfo");
  const svc = ref("", "Service", "bookinfo", "reviews");
  const vs = ref("networking.istio.io", "VirtualService", "bookinfo", "reviews");
  const dr = ref("networking.istio.io", "DestinationRule", "bookinfo", "reviews");
  const split = ref("split.smi-spec.io", "TrafficSplit", "bookinfo", "reviews");

  it("prunes what was applied before and is no longer desired, and applies everything desired", () => {
    const diff = diffInventory([ns, svc, vs, split], [ns, svc, vs, dr]);
    assert.deepEqual(diff.toPrune, [split]);
    assert.deepEqual(diff.toApply, [ns, svc, vs, dr]);
    assert.deepEqual(diff.added, [dr]);
    assert.deepEqual(diff.unchanged, [ns, svc, vs]);
  });

  it("treats a first run as all added and nothing to prune", () => {
    const diff = diffInventory([], [svc, vs]);
    assert.deepEqual(diff, { toApply: [svc, vs], added: [svc, vs], unchanged: [], toPrune: [] });
  });

  it("prunes everything when nothing is desired (pruneGuard stops that)", () => {
    assert.deepEqual(diffInventory([svc, vs], []).toPrune, [svc, vs]);
  });

  it("ignores the API version: the same route at v1beta1 and v1 is one member", () => {
    const live = { ...vs, apiVersion: "networking.istio.io/v1beta1" };
    const wanted = { ...vs, apiVersion: "networking.istio.io/v1" };
    const diff = diffInventory([live], [wanted]);
    assert.deepEqual(diff.toPrune, []);
    assert.deepEqual(diff.unchanged, [wanted]);
  });

  it("tells apart members that differ only in group, kind, namespace or name", () => {
    const previous = [
      ref("networking.istio.io", "Gateway", "edge", "public"),
      ref("", "Service", "bookinfo", "reviews"),
      ref("", "Service", "bookinfo", "ratings"),
      ref("", "ConfigMap", "bookinfo", "reviews"),
    ];
    const desired = [
      ref("gateway.networking.k8s.io", "Gateway", "edge", "public"),
      ref("", "Service", "other", "reviews"),
      ref("", "Service", "bookinfo", "ratings"),
      ref("", "Secret", "bookinfo", "reviews"),
    ];
    const diff = diffInventory(previous, desired);
    assert.deepEqual(diff.unchanged, [desired[2]]);
    assert.deepEqual(diff.toPrune, [previous[0], previous[1], previous[3]]);
  });

  it("treats a null and an empty namespace as the same cluster scope", () => {
    const diff = diffInventory([ref("", "Namespace", "", "bookinfo")], [ns]);
    assert.deepEqual(diff.toPrune, []);
  });

  it("lists a member repeated in either input once", () => {
    const diff = diffInventory([split, split], [svc, svc, vs]);
    assert.deepEqual(diff.toApply, [svc, vs]);
    assert.deepEqual(diff.toPrune, [split]);
  });

  it("keeps the caller's objects so the apply step gets whole resources back", () => {
    const resource = { ...vs, object: { spec: { hosts: ["reviews"] } } };
    const [first] = diffInventory([], [resource]).toApply;
    assert.equal(first, resource);
  });

  it("handles large inventories in linear time", () => {
    const many = Array.from({ length: 50_000 }, (_, i) => ref("", "ConfigMap", "bookinfo", `cm-${i}`));
    const diff = diffInventory(many, many.slice(1));
    assert.deepEqual(diff.toPrune, [many[0]]);
    assert.equal(diff.unchanged.length, many.length - 1);
  });

  it("keys members so that no name can collide with another member's", () => {
    assert.notEqual(memberKey(ref("a", "B", "c", "d/e")), memberKey(ref("a", "B", "c/d", "e")));
  });
});

describe("pruneGuard", () => {
  const cases: { name: string; size: number; prune: number; options?: Parameters<typeof pruneGuard>[2]; allowed: boolean; reason?: RegExp }[] = [
    { name: "nothing to prune", size: 10, prune: 0, allowed: true },
    { name: "nothing to prune from an empty inventory", size: 0, prune: 0, allowed: true },
    { name: "a small share", size: 10, prune: 2, allowed: true },
    { name: "exactly half, the default limit", size: 10, prune: 5, allowed: true },
    { name: "more than half", size: 10, prune: 6, allowed: false, reason: /6 of 10 members \(60%\).*50%/ },
    { name: "the whole set: an empty or mis-pathed tree", size: 40, prune: 40, allowed: false, reason: /whole ApplySet \(40 of 40 members\).*empty or was read from the wrong path/ },
    { name: "the only member of a one-member set", size: 1, prune: 1, allowed: false, reason: /whole ApplySet \(1 of 1 members\)/ },
    { name: "the whole set even when maxShare is 1", size: 4, prune: 4, options: { maxShare: 1 }, allowed: false, reason: /whole ApplySet/ },
    { name: "a share within a raised limit", size: 10, prune: 9, options: { maxShare: 0.9 }, allowed: true },
    { name: "any prune when maxShare is 0", size: 10, prune: 1, options: { maxShare: 0 }, allowed: false, reason: /0% allowed/ },
    { name: "more than half when confirmed", size: 10, prune: 9, options: { confirmed: true }, allowed: true },
    { name: "the whole set when confirmed", size: 10, prune: 10, options: { confirmed: true }, allowed: true },
    { name: "more pruned than the inventory holds", size: 3, prune: 4, allowed: false, reason: /inconsistent/ },
    { name: "a negative count", size: 3, prune: -1, allowed: false, reason: /whole numbers/ },
    { name: "a fractional count", size: 3.5, prune: 1, allowed: false, reason: /whole numbers/ },
    { name: "a maxShare above 1", size: 10, prune: 1, options: { maxShare: 1.5 }, allowed: false, reason: /maxShare/ },
    { name: "a NaN maxShare, even when confirmed", size: 10, prune: 1, options: { maxShare: Number.NaN, confirmed: true }, allowed: false, reason: /maxShare/ },
  ];
  for (const c of cases) {
    it(`${c.allowed ? "allows" : "refuses"} ${c.name}`, () => {
      const decision = pruneGuard(c.size, c.prune, c.options);
      assert.equal(decision.allowed, c.allowed);
      if (!decision.allowed && c.reason) assert.match(decision.reason, c.reason);
    });
  }

  it("defaults to a 50% limit and no confirmation", () => {
    assert.deepEqual(defaultPruneGuardOptions(), { maxShare: 0.5, confirmed: false });
  });
});

describe("prunable", () => {
  it("never prunes Namespaces or CustomResourceDefinitions by default", () => {
    assert.equal(prunable(ref("", "Namespace", null, "bookinfo")), false);
    assert.equal(prunable({ group: "apiextensions.k8s.io", kind: "CustomResourceDefinition" }), false);
  });

  it("prunes routes, services and workloads", () => {
    assert.equal(prunable(ref("networking.istio.io", "VirtualService", "bookinfo", "reviews")), true);
    assert.equal(prunable(ref("", "Service", "bookinfo", "reviews")), true);
    assert.equal(prunable(ref("apps", "Deployment", "bookinfo", "reviews-v1")), true);
  });

  it("matches group and kind, so a custom Namespace kind in another group is prunable", () => {
    assert.equal(prunable({ group: "example.io", kind: "Namespace" }), true);
  });

  it("follows the caller's protected list", () => {
    const options = { protectedGroupKinds: ["/Secret"] as const };
    assert.equal(prunable(ref("", "Namespace", null, "bookinfo"), options), true);
    assert.equal(prunable(ref("", "Secret", "bookinfo", "tls"), options), false);
  });
});
