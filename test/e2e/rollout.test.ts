/**
 * The merge-triggered rollout end to end: a signed `push` delivery to the
 * webhook app, the in-process queue, the `rollout` job and its per-cluster
 * `cluster-rollout` jobs, the real GitHub client and port against the GitHub
 * API double, and the real cluster adapter against two Kubernetes API doubles
 * (staging and prod). What comes out: each cluster holds its own part of the
 * tree, and GitHub holds a deployment per environment and a check run per
 * cluster on the merge commit. The same cluster job also runs through the
 * worker Lambda's handler, from an SQS FIFO record.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { createWorkerHandler } from "../../functions/worker.js";
import type { ClusterRolloutJob } from "../../src/jobs/ports.js";
import { clusterGroupId } from "../../src/jobs/rollout.js";
import { runJob } from "../../src/jobs/run-job.js";
import { sqsEvent, sqsRecord } from "../functions/sqs-event.js";
import { fakeSha, installationId } from "../support/github-double/index.js";
import { doubleConnector } from "../support/kube-cluster.js";
import { meshCrds, startKubeDouble, type KubeDouble } from "../support/kube-double/index.js";
import { destinationRuleManifest, serviceManifest, virtualServiceManifest } from "../support/mesh-manifests.js";
import { toAcmeMesh, webhookHarness, type WebhookHarness } from "../support/webhook-harness.js";
import { webhookExample } from "../server/webhook-examples.js";

const MERGE = fakeSha("merge");

const meshplanYaml = `manifests: [mesh]
clusters:
  - name: staging
    paths: [mesh/common, mesh/staging]
  - name: prod
    paths: [mesh/common, mesh/prod]
`;
const tree = {
  "meshplan.yaml": meshplanYaml,
  "mesh/common/reviews-service.yaml": serviceManifest("reviews"),
  // Staging takes half the traffic to v2 and tries a canary rule; prod keeps 90% on v1.
  "mesh/staging/reviews.yaml": `${virtualServiceManifest("reviews", 50)}---\n${destinationRuleManifest("reviews-canary")}`,
  "mesh/prod/reviews.yaml": virtualServiceManifest("reviews", 90),
};

const vsRef = { apiVersion: "networking.istio.io/v1", kind: "VirtualService", namespace: "default", name: "reviews" };
const weightOf = (double: KubeDouble) => (double.object(vsRef)?.spec as any)?.http?.[0]?.route?.[0]?.weight as number | undefined;

interface Harness extends WebhookHarness {
  clusters: { staging: KubeDouble; prod: KubeDouble };
  [Symbol.asyncDispose](): Promise<void>;
}

/** The webhook app and its jobs, with a double for each cluster of meshplan.yaml, staging and prod. */
async function harness(): Promise<Harness> {
  const clusters = { staging: await startKubeDouble({ crds: meshCrds() }), prod: await startKubeDouble({ crds: meshCrds() }) };
  return {
    ...webhookHarness({
      connectCluster: doubleConnector(clusters),
      metrics: { record: (m) => assert.fail(`a rollout records no drift metrics (${m.cluster})`) },
    }),
    clusters,
    async [Symbol.asyncDispose]() {
      await Promise.all([clusters.staging.close(), clusters.prod.close()]);
    },
  };
}

/** GitHub's push delivery for a merge into `branch` of acme/mesh (default branch main). */
function pushEvent(after: string, branch = "main") {
  const p = toAcmeMesh(webhookExample("push", (x) => x.ref === "refs/heads/master" && x.installation !== undefined));
  p.ref = `refs/heads/${branch}`;
  p.after = after;
  p.head_commit.id = after;
  p.repository.default_branch = "main";
  p.repository.master_branch = "main";
  return p;
}

describe("a merge rolled out end to end", () => {
  it("a push to main applies each cluster's part of the tree and records deployments and check runs on the merge commit", async () => {
    await using h = await harness();
    h.gh.double.addCommit("acme", "mesh", MERGE, tree);
    const res = await h.deliver("push", "delivery-push-1", pushEvent(MERGE));
    assert.equal(res.status, 202);
    assert.deepEqual(res.body, { delivery: "delivery-push-1", action: "enqueue", enqueued: true });
    await h.queue.drain();

    const { staging, prod } = h.clusters;
    assert.equal(weightOf(staging), 50);
    assert.equal(weightOf(prod), 90);
    for (const double of [staging, prod]) assert.ok(double.object({ apiVersion: "v1", kind: "Service", namespace: "default", name: "reviews" }));
    const canary = { apiVersion: "networking.istio.io/v1", kind: "DestinationRule", namespace: "default", name: "reviews-canary" };
    assert.ok(staging.object(canary), "staging's own paths are applied to staging");
    assert.equal(prod.object(canary), undefined, "and not to prod");

    const deployments = h.gh.double.deployments("acme", "mesh");
    assert.deepEqual(deployments.map((d) => d.environment).sort(), ["prod", "staging"]);
    for (const d of deployments) {
      assert.equal(d.sha, MERGE);
      assert.deepEqual(d.statuses.map((s) => s.state), ["in_progress", "success"], `statuses of ${d.environment}`);
    }

    const runs = h.gh.double.checkRuns("acme", "mesh");
    assert.deepEqual(runs.map((r) => r.name).sort(), ["meshplan rollout: prod", "meshplan rollout: staging"]);
    for (const run of runs) {
      assert.equal(run.headSha, MERGE);
      assert.equal(run.status, "completed");
      assert.equal(run.conclusion, "success", run.output.summary ?? "");
    }
    assert.deepEqual(h.gh.double.violations, [], "every request meshplan sent matches GitHub's OpenAPI description");
  });

  it("a push to another branch queues nothing and touches no cluster", async () => {
    await using h = await harness();
    h.gh.double.addCommit("acme", "mesh", MERGE, tree, { branch: "canary" });
    const res = await h.deliver("push", "delivery-push-2", pushEvent(MERGE, "canary"));
    assert.equal(res.status, 202);
    assert.equal(res.body.action, "ignore");
    assert.equal(res.body.enqueued, false);
    assert.match(res.body.reason ?? "", /only the default branch main is rolled out/);
    await h.queue.drain();
    assert.deepEqual(h.gh.double.requests, []);
    assert.deepEqual(h.clusters.staging.requests, []);
    assert.deepEqual(h.clusters.prod.requests, []);
    assert.deepEqual(h.gh.double.violations, []);
  });

  it("a redelivered push is deduplicated: one deployment per environment", async () => {
    await using h = await harness();
    h.gh.double.addCommit("acme", "mesh", MERGE, tree);
    const payload = pushEvent(MERGE);
    await h.deliver("push", "delivery-push-3", payload);
    await h.queue.drain();
    const kubeRequests = h.clusters.prod.requests.length + h.clusters.staging.requests.length;
    const githubRequests = h.gh.double.requests.length;
    const again = await h.deliver("push", "delivery-push-3", payload);
    assert.equal(again.status, 202);
    assert.equal(again.body.enqueued, false);
    await h.queue.drain();
    assert.equal(h.gh.double.requests.length, githubRequests, "no GitHub request at all");
    assert.equal(h.clusters.prod.requests.length + h.clusters.staging.requests.length, kubeRequests, "no cluster request at all");
    assert.equal(h.gh.double.deployments("acme", "mesh").length, 2);
    assert.equal(h.gh.double.checkRuns("acme", "mesh").length, 2);
    assert.deepEqual(h.gh.double.violations, []);
  });

  it("the worker Lambda runs a cluster rollout from its SQS record against the same adapters", async () => {
    await using h = await harness();
    h.gh.double.addCommit("acme", "mesh", MERGE, tree);
    const job: ClusterRolloutJob = {
      kind: "cluster-rollout",
      deliveryId: "delivery-push-4",
      installationId,
      repo: { owner: "acme", repo: "mesh" },
      sha: MERGE,
      ref: "refs/heads/main",
      cluster: "prod",
    };
    const worker = createWorkerHandler({ runJob, jobDeps: h.jobDeps });
    const result = await worker(sqsEvent(sqsRecord("m-1", JSON.stringify(job), clusterGroupId(job.repo, "prod"))));
    assert.deepEqual(result, { batchItemFailures: [] });
    assert.equal(weightOf(h.clusters.prod), 90);
    assert.deepEqual(h.clusters.staging.requests, [], "only the job's cluster is reached");
    const [deployment] = h.gh.double.deployments("acme", "mesh");
    assert.equal(deployment?.environment, "prod");
    assert.deepEqual(deployment?.statuses.map((s) => s.state), ["in_progress", "success"]);
    assert.equal(h.gh.double.checkRuns("acme", "mesh")[0]?.conclusion, "success");
    assert.deepEqual(h.gh.double.violations, []);
  });
});
