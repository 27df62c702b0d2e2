/**
 * The live preview against the Kubernetes API double, through the real client adapter: how each
 * desired object is classified, that nothing is stored, and the routing the preview predicts.
 * Also the sync's handling of one object declared by two manifests, which the preview shares.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { previewCluster, previewHasChanges, previewRouting, type PreviewInput } from "../../src/cluster/live-preview.js";
import { syncCluster } from "../../src/cluster/sync.js";
import { renderSyncText } from "../../src/report/sync-report.js";
import { startKubeCluster } from "../support/kube-cluster.js";
import { meshCrds } from "../support/kube-double/index.js";
import { namespaceManifest, reviewsInShop, virtualServiceManifest } from "../support/mesh-manifests.js";
import { desiredResources, syncInput } from "../support/sync-input.js";

const namespace = namespaceManifest("shop");
const virtualService = (name: string, weightV1: number) => virtualServiceManifest(name, weightV1, "shop");
const trafficSplit = `apiVersion: split.smi-spec.io/v1alpha4
kind: TrafficSplit
metadata: {name: reviews, namespace: shop}
spec:
  service: reviews
  backends:
  - {service: reviews-v1, weight: 50}
  - {service: reviews-v2, weight: 50}
`;

function previewInput(docs: string[], overrides: Partial<PreviewInput> = {}): PreviewInput {
  return { resources: desiredResources(docs), applySet: { name: "meshplan", namespace: "default" }, defaultNamespace: "default", prune: true, force: false, ...overrides };
}

/** A double serving the mesh CRDs except SMI's TrafficSplit, so one kind is missing. */
const setup = () => startKubeCluster({ crds: meshCrds().filter((crd) => crd.group !== "split.smi-spec.io"), retries: 3 });

/** The four objects of reviews in shop: Namespace, Service, DestinationRule, VirtualService (mesh/0.yaml … mesh/3.yaml). */
const bookinfo = (weight = 100) => Object.values(reviewsInShop(weight));
const vsRef = (name: string) => ({ apiVersion: "networking.istio.io/v1", kind: "VirtualService", namespace: "shop", name });

describe("previewCluster", () => {
  it("classifies each object as create, update, unchanged, prune or failed, and stores nothing", async () => {
    await using env = await setup();
    const synced = await syncCluster(env.cluster, syncInput([...bookinfo(100), virtualService("ratings", 100)]));
    assert.equal(synced.status, "synced", renderSyncText(synced));
    const before = env.double.resourceVersion();

    const preview = await previewCluster(env.cluster, previewInput([...bookinfo(50), virtualService("details", 100), trafficSplit]));
    assert.deepEqual(
      preview.objects.map((o) => [o.ref.kind, o.ref.name, o.change]),
      [
        ["TrafficSplit", "reviews", "failed"],
        ["Namespace", "shop", "unchanged"],
        ["Service", "reviews", "unchanged"],
        ["DestinationRule", "reviews", "unchanged"],
        ["VirtualService", "reviews", "update"],
        ["VirtualService", "details", "create"],
        ["VirtualService", "ratings", "prune"],
      ],
    );
    const failed = preview.objects[0]!;
    assert.equal(failed.failure?.reason, "kind-not-served");
    assert.match(failed.message!, /install its CustomResourceDefinition/);
    assert.equal(failed.file, "mesh/5.yaml");
    const update = preview.objects.find((o) => o.change === "update")!;
    assert.deepEqual(update.fields, [
      { path: ["spec", "http", 0, "route", 0, "weight"], change: "changed", before: 100, after: 50 },
      { path: ["spec", "http", 0, "route", 1, "weight"], change: "changed", before: 0, after: 50 },
    ]);
    assert.equal(update.file, "mesh/3.yaml");
    assert.deepEqual(preview.objects.find((o) => o.change === "create")!.fields, []);
    assert.equal(preview.kept, 0);
    assert.equal(previewHasChanges(preview), true);

    assert.equal(env.double.resourceVersion(), before, "a preview stores nothing");
    assert.equal(env.double.object(vsRef("details")), undefined);
    assert.ok(env.double.object(vsRef("ratings")));
  });

  it("predicts the created object as the server would store it, and leaves a pruned one out", async () => {
    await using env = await setup();
    await syncCluster(env.cluster, syncInput([...bookinfo(), virtualService("ratings", 100)]));
    const preview = await previewCluster(env.cluster, previewInput([...bookinfo(), virtualService("details", 100)]));
    const names = (objects: typeof preview.live) => objects.filter((o) => o.kind === "VirtualService").map((o) => o.metadata.name).sort();
    assert.deepEqual(names(preview.live), ["ratings", "reviews"]);
    assert.deepEqual(names(preview.predicted), ["details", "reviews"]);
  });

  it("with prune off, members no longer desired are counted as kept, not listed", async () => {
    await using env = await setup();
    await syncCluster(env.cluster, syncInput([...bookinfo(), virtualService("ratings", 100)]));
    const preview = await previewCluster(env.cluster, previewInput(bookinfo(), { prune: false }));
    assert.equal(preview.kept, 1);
    assert.ok(preview.objects.every((o) => o.change === "unchanged"));
    assert.equal(previewHasChanges(preview), false);
  });
});

describe("an object of another ApplySet", () => {
  it("is reported as failed by the preview, as the apply would refuse it, and nothing is stored", async () => {
    await using env = await setup();
    await syncCluster(env.cluster, syncInput([namespace]));
    env.double.seed(
      {
        apiVersion: "networking.istio.io/v1",
        kind: "VirtualService",
        metadata: { name: "reviews", namespace: "shop", labels: { "applyset.kubernetes.io/part-of": "applyset-other-v1" } },
        spec: { hosts: ["reviews"] },
      },
      "kubectl",
    );
    const before = env.double.resourceVersion();
    const preview = await previewCluster(env.cluster, previewInput([namespace, virtualService("reviews", 100)]));
    const vs = preview.objects.find((o) => o.ref.kind === "VirtualService")!;
    assert.equal(vs.change, "failed");
    assert.match(vs.message!, /belongs to another ApplySet \(applyset-other-v1\)/);
    assert.equal(env.double.resourceVersion(), before);
  });
});

describe("previewRouting", () => {
  it("shows the weight shift of the reviews host, live → desired", async () => {
    await using env = await setup();
    await syncCluster(env.cluster, syncInput(bookinfo(100)));
    const preview = await previewCluster(env.cluster, previewInput(bookinfo(50)));
    const { live, predicted, diff } = previewRouting(preview);
    const host = "reviews.shop.svc.cluster.local";
    assert.ok(live.hosts.some((h) => h.host === host));
    assert.ok(predicted.hosts.some((h) => h.host === host));
    assert.deepEqual(diff.hosts.map((h) => h.host), [host]);
    const shift = diff.hosts[0]!.trafficShift;
    assert.ok(shift, "a traffic shift is reported");
    const shares = (route: NonNullable<typeof shift>["before"]) =>
      route?.kind === "backends" ? route.backends.map((b) => [b.subset, b.weight]) : route?.kind;
    assert.deepEqual(shares(shift.before), [["v1", 100]]);
    assert.deepEqual(shares(shift.after), [["v1", 50], ["v2", 50]]);
  });

  it("is empty when the cluster already holds the tree", async () => {
    await using env = await setup();
    await syncCluster(env.cluster, syncInput(bookinfo()));
    const { diff } = previewRouting(await previewCluster(env.cluster, previewInput(bookinfo())));
    assert.deepEqual(diff.hosts, []);
  });
});

describe("one object declared by two manifests", () => {
  it("the sync applies the first declaration and fails the second as declared twice", async () => {
    await using env = await setup();
    const result = await syncCluster(env.cluster, syncInput([namespace, virtualService("reviews", 30), virtualService("reviews", 70)]));
    const failed = result.objects.filter((o) => o.action === "failed");
    assert.equal(failed.length, 1, renderSyncText(result));
    assert.equal(failed[0]!.ref.name, "reviews");
    assert.equal(failed[0]!.file, "mesh/2.yaml");
    assert.match(failed[0]!.message!, /^declared twice: mesh\/1\.yaml:1 already defines this object; only that one is applied$/);
    assert.equal(result.objects.find((o) => o.ref.kind === "VirtualService" && o.action !== "failed")!.action, "created");
    assert.equal(result.status, "failed");
    assert.equal((env.double.object(vsRef("reviews"))!.spec as any).http[0].route[0].weight, 30);
  });

  it("the preview reports the second declaration as failed too", async () => {
    await using env = await setup();
    // A dry run stores nothing, so the namespace must exist for the namespaced objects to be previewed.
    await syncCluster(env.cluster, syncInput([namespace]));
    const preview = await previewCluster(env.cluster, previewInput([namespace, virtualService("reviews", 30), virtualService("reviews", 70)]));
    const failed = preview.objects.filter((o) => o.change === "failed");
    assert.equal(failed.length, 1);
    assert.equal(failed[0]!.file, "mesh/2.yaml");
    assert.match(failed[0]!.message!, /declared twice/);
    assert.deepEqual(preview.objects.filter((o) => o.ref.kind === "VirtualService").map((o) => o.change), ["failed", "create"]);
  });
});
