/**
 * One drift check of a cluster against the Kubernetes API double, through the real client
 * adapter: the tree is applied with syncCluster first, then changed behind meshplan's back
 * (kubectl as another field manager, a deleted object, an object labelled by hand) and checked.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { APPLYSET_PART_OF_LABEL, applySetId } from "../../src/cluster/apply-set.js";
import { checkDrift, type DriftCheck, type DriftCheckInput } from "../../src/cluster/check-drift.js";
import { renderDriftText } from "../../src/cluster/drift.js";
import { syncCluster } from "../../src/cluster/sync.js";
import { renderSyncText } from "../../src/report/sync-report.js";
import { startKubeCluster } from "../support/kube-cluster.js";
import type { KubeDouble } from "../support/kube-double/index.js";
import { kubectl, kubectlPatchWeights, noKubectl } from "../support/kubectl.js";
import { deploymentManifest, reviewsInShop } from "../support/mesh-manifests.js";
import { syncInput } from "../support/sync-input.js";

const ID = applySetId({ name: "meshplan", namespace: "default", kind: "ConfigMap", group: "" });
const COMMIT = "c".repeat(40);
const REVIEWS_HOST = "reviews.shop.svc.cluster.local";

/** Reviews in shop with the Deployment of v1; the VirtualService sends all traffic to v1. */
const tree: Record<string, string> = { ...reviewsInShop(100), "mesh/reviews-v1.yaml": deploymentManifest("v1", "shop") };

function input(overrides: Partial<DriftCheckInput> = {}): DriftCheckInput {
  const { resources, unreadable, applySet, defaultNamespace, version } = syncInput(tree);
  return { resources, unreadable, applySet, defaultNamespace, commit: COMMIT, version, policy: "report", prune: false, pruneMaxShare: 0.5, ...overrides };
}

/** A double holding the tree as meshplan applied it. */
async function applied() {
  const env = await startKubeCluster({ name: "prod", retries: 1 });
  const synced = await syncCluster(env.cluster, syncInput(tree, { commit: COMMIT, prune: false }));
  assert.equal(synced.status, "synced", renderSyncText(synced));
  return env;
}

type Checked = Extract<DriftCheck, { status: "checked" }>;

function checked(check: DriftCheck): Checked {
  assert.equal(check.status, "checked", check.status === "checked" ? "" : check.message);
  return check as Checked;
}

const vsRef = (name = "reviews") => ({ apiVersion: "networking.istio.io/v1", kind: "VirtualService", namespace: "shop", name });
const weights = (double: KubeDouble) => ((double.object(vsRef())?.spec as any)?.http?.[0]?.route ?? []).map((r: any) => r.weight);

/** `kubectl patch --field-manager kubectl-edit`: reviews v1/v2 at 10/90. */
async function editWeightsAsKubectl(double: KubeDouble): Promise<void> {
  const edit = await kubectlPatchWeights(double, 10);
  assert.equal(edit.code, 0, edit.stderr);
}

describe("checkDrift", { concurrency: 4 }, () => {
  it("is clean right after a sync, although the server filled in defaults and status the tree does not set", async () => {
    await using env = await applied();
    const service = env.double.object({ apiVersion: "v1", kind: "Service", namespace: "shop", name: "reviews" })!;
    assert.equal((service.spec as any).type, "ClusterIP", "the double defaulted the Service");
    assert.equal((service.spec as any).ports[0].targetPort, 9080);
    const deployment = env.double.object({ apiVersion: "apps/v1", kind: "Deployment", namespace: "shop", name: "reviews-v1" })!;
    assert.equal((deployment.spec as any).strategy.type, "RollingUpdate", "the double defaulted the Deployment");
    assert.equal((deployment.status as any).availableReplicas, 1, "and gave it a status");

    const check = checked(await checkDrift(env.cluster, input()));
    assert.equal(check.cluster, "prod");
    assert.equal(check.commit, COMMIT);
    assert.equal(check.report.clean, true, renderDriftText(check.report));
    assert.deepEqual(check.report.counts, { desired: 5, inSync: 5, drifted: 0, driftedFields: 0, missing: 0, unexpected: 0 });
    assert.deepEqual(check.routing.hosts, [], "live routes traffic as git does");
    assert.deepEqual(check.problems, []);
    assert.equal(check.correction, null);
  });

  it("reports a weight kubectl-edit changed, owned by kubectl-edit (Update), and the routing of the host live → desired", { skip: noKubectl }, async () => {
    await using env = await applied();
    await editWeightsAsKubectl(env.double);

    const check = checked(await checkDrift(env.cluster, input()));
    assert.equal(check.report.clean, false);
    assert.deepEqual(check.report.counts, { desired: 5, inSync: 4, drifted: 1, driftedFields: 2, missing: 0, unexpected: 0 });
    const [vs] = check.report.drifted;
    assert.deepEqual(vs!.subject, { group: "networking.istio.io", apiVersion: "networking.istio.io/v1", kind: "VirtualService", namespace: "shop", name: "reviews" });
    assert.equal(vs!.file, "mesh/reviews.yaml");
    assert.deepEqual(
      vs!.fields.map((f) => ({ path: f.path, change: f.change, desired: f.desired, live: f.live, manager: f.owner?.manager, operation: f.owner?.operation })),
      [
        { path: ["spec", "http", 0, "route", 0, "weight"], change: "changed", desired: 100, live: 10, manager: "kubectl-edit", operation: "Update" },
        { path: ["spec", "http", 0, "route", 1, "weight"], change: "changed", desired: 0, live: 90, manager: "kubectl-edit", operation: "Update" },
      ],
    );
    assert.match(renderDriftText(check.report), /spec\.http\[0\]\.route\[0\]\.weight: 100 → 10, changed by kubectl-edit \(Update/);

    const host = check.routing.hosts.find((h) => h.host === REVIEWS_HOST);
    assert.ok(host, JSON.stringify(check.routing.hosts.map((h) => h.host)));
    assert.equal(host.change, "changed");
    const shares = host.changedRules[0]?.shares;
    assert.ok(shares, "the rule's weights changed");
    assert.deepEqual(shares.before.map((s) => [s.subset, s.weight]), [["v1", 10], ["v2", 90]], "live");
    assert.deepEqual(shares.after.map((s) => [s.subset, s.weight]), [["v1", 100]], "desired: a zero-weight backend gets no traffic");
    assert.deepEqual(host.trafficShift?.before?.kind === "backends" && host.trafficShift.before.backends.map((b) => b.weight), [10, 90]);
    assert.equal(check.correction, null, "report only");
    assert.deepEqual(weights(env.double), [10, 90], "a report changes nothing");
  });

  it("reports a VirtualService deleted from the cluster as missing, with its file", { skip: noKubectl }, async () => {
    await using env = await applied();
    const del = await kubectl(env.double, ["delete", "virtualservice.networking.istio.io", "reviews", "-n", "shop"]);
    assert.equal(del.code, 0, del.stderr);

    const check = checked(await checkDrift(env.cluster, input()));
    assert.equal(check.report.clean, false);
    assert.deepEqual(check.report.counts, { desired: 5, inSync: 4, drifted: 0, driftedFields: 0, missing: 1, unexpected: 0 });
    assert.deepEqual(check.report.missing, [
      {
        subject: { group: "networking.istio.io", apiVersion: "networking.istio.io/v1", kind: "VirtualService", namespace: "shop", name: "reviews" },
        file: "mesh/reviews.yaml",
        line: 1,
      },
    ]);
    assert.ok(check.routing.hosts.some((h) => h.host === REVIEWS_HOST), "the host's routing differs without its VirtualService");
  });

  it("reports an object created by hand with meshplan's part-of label as unexpected, with its manager", async () => {
    await using env = await applied();
    env.double.seed(
      {
        apiVersion: "networking.istio.io/v1",
        kind: "VirtualService",
        metadata: { name: "ratings", namespace: "shop", labels: { [APPLYSET_PART_OF_LABEL]: ID } },
        spec: { hosts: ["ratings"], http: [{ route: [{ destination: { host: "ratings" } }] }] },
      },
      "kubectl-create",
    );
    env.double.seed(
      { apiVersion: "networking.istio.io/v1", kind: "VirtualService", metadata: { name: "details", namespace: "shop", labels: { [APPLYSET_PART_OF_LABEL]: "applyset-other-v1" } }, spec: { hosts: ["details"] } },
      "kubectl-create",
    );

    const check = checked(await checkDrift(env.cluster, input()));
    assert.equal(check.report.clean, false);
    assert.deepEqual(check.report.counts, { desired: 5, inSync: 5, drifted: 0, driftedFields: 0, missing: 0, unexpected: 1 });
    assert.deepEqual(
      check.report.unexpected.map((u) => ({ subject: u.subject, managers: u.managers.map((m) => [m.manager, m.operation]) })),
      [
        {
          subject: { group: "networking.istio.io", apiVersion: "networking.istio.io/v1", kind: "VirtualService", namespace: "shop", name: "ratings" },
          managers: [["kubectl-create", "Update"]],
        },
      ],
      "another set's object is none of meshplan's business",
    );
  });

  it("with policy correct, takes the weight back with force; meshplan owns the field again and the next check is clean", { skip: noKubectl }, async () => {
    await using env = await applied();
    await editWeightsAsKubectl(env.double);

    const check = checked(await checkDrift(env.cluster, input({ policy: "correct" })));
    assert.equal(check.report.clean, false, "the report says what was found before the correction");
    assert.equal(check.report.drifted[0]?.fields[0]?.owner?.manager, "kubectl-edit");
    assert.ok(check.correction);
    assert.equal(check.correction.status, "synced", renderSyncText(check.correction));
    assert.equal(check.correction.objects.find((o) => o.ref.kind === "VirtualService")?.action, "configured");

    assert.deepEqual(weights(env.double), [100, 0]);
    const owners = env.double.fieldOwners(vsRef());
    assert.ok(owners.some((o) => o.manager === "meshplan" && o.operation === "Apply" && JSON.stringify(o.fieldsV1).includes("f:http")), JSON.stringify(owners));
    assert.ok(!owners.some((o) => o.manager === "kubectl-edit" && JSON.stringify(o.fieldsV1).includes("f:http")), JSON.stringify(owners));

    const again = checked(await checkDrift(env.cluster, input({ policy: "correct" })));
    assert.equal(again.report.clean, true, renderDriftText(again.report));
    assert.equal(again.correction, null, "nothing to correct");
  });

  it("says the cluster is unreachable, with a message, when the API server does not answer", async () => {
    await using env = await applied();
    await env.double.down();
    const check = await checkDrift(env.cluster, input());
    assert.equal(check.status, "unreachable");
    assert.equal(check.cluster, "prod");
    assert.equal(check.commit, COMMIT);
    assert.ok(check.status === "unreachable" && check.message.length > 0);
    assert.match(check.status === "unreachable" ? check.message : "", /prod/);
  });
});
