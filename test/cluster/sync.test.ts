/**
 * The cluster sync against the Kubernetes API double, through the real
 * client adapter (@kubernetes/client-node): apply, re-apply, conflicts, force,
 * prune and its guard, missing CRDs, API failures, stale commits.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  APPLIED_COMMIT_ANNOTATION,
  APPLYSET_CONTAINS_GROUP_KINDS_ANNOTATION,
  APPLYSET_ID_LABEL,
  APPLYSET_PART_OF_LABEL,
  APPLYSET_TOOLING_ANNOTATION,
  applySetId,
} from "../../src/cluster/apply-set.js";
import { syncCluster, type SyncInput } from "../../src/cluster/sync.js";
import { loadManifests } from "../../src/manifests/load.js";
import { renderSyncText } from "../../src/report/sync-report.js";
import { startKubeCluster } from "../support/kube-cluster.js";
import type { KubeDouble } from "../support/kube-double/index.js";
import { kubectl, kubectlPatchWeights, noKubectl } from "../support/kubectl.js";
import { namespaceManifest, reviewsInShop, virtualServiceManifest } from "../support/mesh-manifests.js";
import { syncInput } from "../support/sync-input.js";

const ID = applySetId({ name: "meshplan", namespace: "default", kind: "ConfigMap", group: "" });
const COMMIT_A = "a".repeat(40);
const COMMIT_B = "b".repeat(40);

const namespace = namespaceManifest("shop");
const virtualService = (name: string, weightV1: number) => virtualServiceManifest(name, weightV1, "shop");

const input = (docs: string[], overrides: Partial<SyncInput> = {}): SyncInput => syncInput(docs, { commit: COMMIT_A, ...overrides });

/** The four objects of reviews in shop: Namespace, Service, DestinationRule, VirtualService (mesh/0.yaml … mesh/3.yaml). */
const bookinfo = (weight = 100) => Object.values(reviewsInShop(weight));

const setup = (options: { crds?: boolean } = {}) => startKubeCluster({ crds: options.crds === false ? [] : undefined, retries: 3 });

const vsRef = (name: string) => ({ apiVersion: "networking.istio.io/v1", kind: "VirtualService", namespace: "shop", name });
const weightOf = (double: KubeDouble, name = "reviews") =>
  ((double.object(vsRef(name))?.spec as any)?.http?.[0]?.route?.[0]?.weight as number | undefined);

describe("syncCluster", () => {
  it("first apply creates every object in order, labels each as a member and writes the ApplySet parent", async () => {
    await using env = await setup();
    const result = await syncCluster(env.cluster, input(bookinfo()));
    assert.equal(result.status, "synced", renderSyncText(result));
    assert.deepEqual(
      result.objects.map((o) => [o.ref.kind, o.action]),
      [["Namespace", "created"], ["Service", "created"], ["DestinationRule", "created"], ["VirtualService", "created"]],
    );
    const vs = env.double.object(vsRef("reviews"))!;
    assert.equal((vs.metadata as any).labels[APPLYSET_PART_OF_LABEL], ID);
    assert.deepEqual(env.double.fieldOwners(vsRef("reviews")).map((o) => [o.manager, o.operation]), [["meshplan", "Apply"]]);
    const parent = env.double.object({ apiVersion: "v1", kind: "ConfigMap", namespace: "default", name: "meshplan" })!;
    const meta = parent.metadata as any;
    assert.equal(meta.labels[APPLYSET_ID_LABEL], ID);
    assert.equal(meta.annotations[APPLYSET_CONTAINS_GROUP_KINDS_ANNOTATION], "DestinationRule.networking.istio.io,Namespace,Service,VirtualService.networking.istio.io");
    assert.equal(meta.annotations[APPLYSET_TOOLING_ANNOTATION], "meshplan/v0.1.0");
    assert.equal(meta.annotations[APPLIED_COMMIT_ANNOTATION], COMMIT_A);
    assert.equal(meta.annotations["applyset.kubernetes.io/additional-namespaces"], "shop");
  });

  it("re-applying an unchanged tree changes nothing: every object unchanged, no new resourceVersion", async () => {
    await using env = await setup();
    await syncCluster(env.cluster, input(bookinfo()));
    const before = env.double.resourceVersion();
    const again = await syncCluster(env.cluster, input(bookinfo()));
    assert.equal(again.status, "synced");
    assert.deepEqual(again.objects.map((o) => o.action), ["unchanged", "unchanged", "unchanged", "unchanged"]);
    assert.equal(env.double.resourceVersion(), before);
  });

  it("a changed weight is configured in place", async () => {
    await using env = await setup();
    await syncCluster(env.cluster, input(bookinfo(100)));
    const result = await syncCluster(env.cluster, input(bookinfo(50), { commit: COMMIT_B }));
    assert.equal(result.status, "synced");
    assert.equal(result.objects.find((o) => o.ref.kind === "VirtualService")!.action, "configured");
    assert.equal(weightOf(env.double), 50);
  });

  it("reports a conflict with the manager that took a field over, and takes it back only with force", { skip: noKubectl }, async () => {
    await using env = await setup();
    await syncCluster(env.cluster, input(bookinfo(100)));
    const edit = await kubectlPatchWeights(env.double, 10);
    assert.equal(edit.code, 0, edit.stderr);

    const refused = await syncCluster(env.cluster, input(bookinfo(50), { commit: COMMIT_B }));
    assert.equal(refused.status, "failed");
    const vs = refused.objects.find((o) => o.ref.kind === "VirtualService")!;
    assert.equal(vs.action, "failed");
    assert.equal(vs.failure?.reason, "conflict");
    assert.ok(vs.failure?.reason === "conflict" && vs.failure.conflicts.some((c) => c.manager === "kubectl-edit" && c.field.startsWith(".spec.http")));
    assert.match(vs.message!, /kubectl-edit/);
    assert.match(vs.message!, /force: true/);
    assert.equal(weightOf(env.double), 10, "the conflicting apply changed nothing");

    const forced = await syncCluster(env.cluster, input(bookinfo(50), { commit: COMMIT_B, force: true }));
    assert.equal(forced.status, "synced", renderSyncText(forced));
    assert.equal(weightOf(env.double), 50);
    const owners = env.double.fieldOwners(vsRef("reviews"));
    assert.ok(owners.some((o) => o.manager === "meshplan" && JSON.stringify(o.fieldsV1).includes("f:http")));
    assert.ok(!owners.some((o) => o.manager === "kubectl-edit" && JSON.stringify(o.fieldsV1).includes("f:http")));
  });

  it("prunes a VirtualService removed from git, and narrows the parent", async () => {
    await using env = await setup();
    await syncCluster(env.cluster, input([...bookinfo(), virtualService("ratings", 100)]));
    assert.ok(env.double.object(vsRef("ratings")));
    const result = await syncCluster(env.cluster, input(bookinfo(), { commit: COMMIT_B }));
    assert.equal(result.status, "synced", renderSyncText(result));
    assert.deepEqual(result.objects.filter((o) => o.action === "pruned").map((o) => o.ref.name), ["ratings"]);
    assert.equal(env.double.object(vsRef("ratings")), undefined);
    assert.ok(env.double.object(vsRef("reviews")));
    assert.equal(result.prune.performed, true);
  });

  it("keeps removed members when prune is off", async () => {
    await using env = await setup();
    await syncCluster(env.cluster, input([...bookinfo(), virtualService("ratings", 100)]));
    const result = await syncCluster(env.cluster, input(bookinfo(), { prune: false }));
    assert.equal(result.status, "synced");
    assert.ok(env.double.object(vsRef("ratings")));
    assert.equal(result.prune.candidates, 1);
  });

  it("the prune guard refuses to empty the set from an empty tree, and deletes only when confirmed (routes first, Namespace kept)", async () => {
    await using env = await setup();
    await syncCluster(env.cluster, input(bookinfo()));
    const refused = await syncCluster(env.cluster, input([], { commit: COMMIT_B }));
    assert.equal(refused.status, "failed");
    assert.match(refused.reason!, /refusing to prune/);
    assert.ok(env.double.object(vsRef("reviews")), "nothing was deleted");

    const confirmed = await syncCluster(env.cluster, input([], { commit: COMMIT_B, pruneGuard: { maxShare: 0.5, confirmed: true } }));
    assert.equal(confirmed.status, "synced", renderSyncText(confirmed));
    assert.deepEqual(confirmed.objects.map((o) => [o.ref.kind, o.action]), [["VirtualService", "pruned"], ["DestinationRule", "pruned"], ["Service", "pruned"]]);
    assert.deepEqual(confirmed.prune.protected.map((p) => p.kind), ["Namespace"]);
    assert.ok(env.double.object({ apiVersion: "v1", kind: "Namespace", name: "shop" }));
  });

  it("does not prune when a manifest could not be read", async () => {
    await using env = await setup();
    await syncCluster(env.cluster, input([...bookinfo(), virtualService("ratings", 100)]));
    const broken = loadManifests([{ path: "mesh/broken.yaml", content: "kind: [unclosed" }]).findings;
    assert.ok(broken.length > 0);
    const result = await syncCluster(env.cluster, input(bookinfo(), { unreadable: broken }));
    assert.equal(result.status, "failed");
    assert.match(result.prune.reason!, /could not|kept objects from being read/);
    assert.ok(env.double.object(vsRef("ratings")));
  });

  it("a kind whose CRD is not installed fails that object only; the rest applies and nothing is pruned", async () => {
    await using env = await setup({ crds: false });
    const result = await syncCluster(env.cluster, input(bookinfo()));
    assert.equal(result.status, "failed");
    assert.deepEqual(
      result.objects.map((o) => [o.ref.kind, o.action]),
      [["DestinationRule", "failed"], ["VirtualService", "failed"], ["Namespace", "created"], ["Service", "created"]],
    );
    const vs = result.objects.find((o) => o.ref.kind === "VirtualService")!;
    assert.equal(vs.failure?.reason, "kind-not-served");
    assert.match(vs.message!, /install its CustomResourceDefinition/);
    assert.equal(vs.file, "mesh/3.yaml");
    assert.ok(env.double.object({ apiVersion: "v1", kind: "Service", namespace: "shop", name: "reviews" }));
  });

  it("a 500 in the middle of the apply is retried and the cluster converges", async () => {
    await using env = await setup();
    env.double.failNext({ status: 500, method: "PATCH", path: /virtualservices/, times: 2 });
    const result = await syncCluster(env.cluster, input(bookinfo(30)));
    assert.equal(result.status, "synced", renderSyncText(result));
    assert.equal(weightOf(env.double), 30);
    assert.equal(env.double.requests.filter((r) => r.method === "PATCH" && r.path.includes("virtualservices") && r.status === 500).length, 2);
    assert.equal(env.double.objects({ kind: "VirtualService" }).length, 1);
  });

  it("skips a commit older than the one the set records, changing nothing", async () => {
    await using env = await setup();
    await syncCluster(env.cluster, input(bookinfo(50), { commit: COMMIT_B }));
    const before = env.double.resourceVersion();
    const asked: [string, string][] = [];
    const result = await syncCluster(
      env.cluster,
      input(bookinfo(100), { commit: COMMIT_A, isAncestor: async (a, b) => (asked.push([a, b]), a === COMMIT_A && b === COMMIT_B) }),
    );
    assert.equal(result.status, "skipped");
    assert.match(result.reason!, /older than/);
    assert.deepEqual(asked, [[COMMIT_A, COMMIT_B]]);
    assert.equal(env.double.resourceVersion(), before);
    assert.equal(weightOf(env.double), 50);
  });

  it("calls beforeApply once when the run goes ahead, never for a stale commit, and a throw there applies nothing", async () => {
    await using env = await setup();
    let calls = 0;
    const counted = { beforeApply: async () => void calls++ };
    assert.equal((await syncCluster(env.cluster, input(bookinfo(50), { commit: COMMIT_B, ...counted }))).status, "synced");
    assert.equal(calls, 1);

    const stale = await syncCluster(env.cluster, input(bookinfo(100), { commit: COMMIT_A, isAncestor: async () => true, ...counted }));
    assert.equal(stale.status, "skipped");
    assert.equal(calls, 1, "a stale run records nothing");

    const before = env.double.resourceVersion();
    const refused = await syncCluster(
      env.cluster,
      input(bookinfo(30), { commit: COMMIT_B, beforeApply: () => Promise.reject(new Error("GitHub refused the deployment")) }),
    );
    assert.equal(refused.status, "failed");
    assert.match(refused.reason!, /GitHub refused the deployment/);
    assert.equal(env.double.resourceVersion(), before);
    assert.equal(weightOf(env.double), 50);
  });

  it("dry run reports what would change and stores nothing", async () => {
    await using env = await setup();
    await syncCluster(env.cluster, input([...bookinfo(100), virtualService("ratings", 100)]));
    const before = env.double.resourceVersion();
    const result = await syncCluster(env.cluster, input(bookinfo(40), { dryRun: true, commit: COMMIT_B }));
    assert.equal(result.status, "synced", renderSyncText(result));
    assert.equal(result.objects.find((o) => o.ref.name === "reviews" && o.ref.kind === "VirtualService")!.action, "configured");
    assert.equal(result.objects.find((o) => o.ref.kind === "Service")!.action, "unchanged");
    assert.deepEqual(result.objects.filter((o) => o.action === "pruned").map((o) => o.ref.name), ["ratings"]);
    assert.equal(env.double.resourceVersion(), before);
    assert.ok(env.double.object(vsRef("ratings")));
    assert.match(renderSyncText(result), /server dry run/);
  });

  it("refuses to take an object over from another ApplySet", async () => {
    await using env = await setup();
    await syncCluster(env.cluster, input([namespace]));
    env.double.seed(
      { apiVersion: "networking.istio.io/v1", kind: "VirtualService", metadata: { name: "reviews", namespace: "shop", labels: { [APPLYSET_PART_OF_LABEL]: "applyset-other-v1" } }, spec: { hosts: ["reviews"] } },
      "kubectl",
    );
    const result = await syncCluster(env.cluster, input([namespace, virtualService("reviews", 100)]));
    const vs = result.objects.find((o) => o.ref.kind === "VirtualService")!;
    assert.equal(vs.action, "failed");
    assert.match(vs.message!, /belongs to another ApplySet/);
    assert.equal((env.double.object(vsRef("reviews"))!.metadata as any).labels[APPLYSET_PART_OF_LABEL], "applyset-other-v1");
  });

  it("adopts an object that exists without a set, and gives namespace-less manifests the default namespace", async () => {
    await using env = await setup();
    env.double.seed({ apiVersion: "v1", kind: "Service", metadata: { name: "ratings", namespace: "default" }, spec: { ports: [{ port: 80 }] } }, "kubectl-create");
    const result = await syncCluster(env.cluster, input([`apiVersion: v1\nkind: Service\nmetadata: {name: ratings}\nspec:\n  ports: [{port: 80}]\n`]));
    assert.equal(result.status, "synced", renderSyncText(result));
    assert.equal(result.objects[0]!.action, "adopted");
    assert.equal(result.objects[0]!.ref.namespace, "default");
  });

  it("stops at an unreachable cluster and says which objects were not attempted", async () => {
    await using env = await setup();
    await syncCluster(env.cluster, input([namespace]));
    await env.double.down();
    const result = await syncCluster(env.cluster, input(bookinfo()));
    await env.double.up();
    assert.equal(result.status, "failed");
    assert.match(result.reason!, /stopped answering|unreachable|ECONNREFUSED|connect/i);
  });

  it("kubectl sees meshplan's set: members by the part-of label, the parent by its id", { skip: noKubectl }, async () => {
    await using env = await setup();
    await syncCluster(env.cluster, input(bookinfo()));
    const members = await kubectl(env.double, ["get", "virtualservices.networking.istio.io,destinationrules.networking.istio.io,services", "-A", "-l", `${APPLYSET_PART_OF_LABEL}=${ID}`, "-o", "name"]);
    assert.equal(members.code, 0, members.stderr);
    assert.deepEqual(members.stdout.trim().split("\n").sort(), ["destinationrule.networking.istio.io/reviews", "service/reviews", "virtualservice.networking.istio.io/reviews"]);
    const parent = await kubectl(env.double, ["get", "configmaps", "-n", "default", "-l", `${APPLYSET_ID_LABEL}=${ID}`, "-o", "name"]);
    assert.equal(parent.stdout.trim(), "configmap/meshplan");
  });
});
