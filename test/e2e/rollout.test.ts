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
import { sign } from "@octokit/webhooks-methods";
import { createWorkerHandler } from "../../functions/worker.js";
import { createGitHubPort } from "../../src/adapters/github/github-port.js";
import { createKubeCluster, kubeConfigFromFile } from "../../src/adapters/kube/kube-cluster.js";
import { createInProcessQueue, type InProcessQueue } from "../../src/adapters/queue/in-process-queue.js";
import type { ClusterRolloutJob } from "../../src/jobs/ports.js";
import { clusterGroupId } from "../../src/jobs/rollout.js";
import { runJob, type JobDeps } from "../../src/jobs/run-job.js";
import { createWebhookApp } from "../../src/server/webhook-app.js";
import { sqsEvent, sqsRecord } from "../functions/sqs-event.js";
import { fakeSha, githubFixture, installationId, type GitHubFixture } from "../support/github-double/index.js";
import { meshCrds, startKubeDouble, type KubeDouble } from "../support/kube-double/index.js";
import { webhookExample } from "../server/webhook-examples.js";

const secret = "e2e-webhook-secret";
const quiet = { info() {}, warn() {}, error() {} };
const MERGE = fakeSha("merge");

const meshplanYaml = `manifests: [mesh]
clusters:
  - name: staging
    paths: [mesh/common, mesh/staging]
  - name: prod
    paths: [mesh/common, mesh/prod]
`;
const service = `apiVersion: v1
kind: Service
metadata: {name: reviews}
spec:
  selector: {app: reviews}
  ports: [{name: http, port: 9080}]
`;
const virtualService = (v1: number) => `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: reviews}
spec:
  hosts: [reviews]
  http:
  - route:
    - destination: {host: reviews, subset: v1}
      weight: ${v1}
    - destination: {host: reviews, subset: v2}
      weight: ${100 - v1}
`;
const destinationRule = `apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: reviews-canary}
spec:
  host: reviews
  subsets: [{name: v1, labels: {version: v1}}, {name: v2, labels: {version: v2}}]
`;
const tree = {
  "meshplan.yaml": meshplanYaml,
  "mesh/common/reviews-service.yaml": service,
  // Staging takes half the traffic to v2 and tries a canary rule; prod keeps 90% on v1.
  "mesh/staging/reviews.yaml": `${virtualService(50)}---\n${destinationRule}`,
  "mesh/prod/reviews.yaml": virtualService(90),
};

const vsRef = { apiVersion: "networking.istio.io/v1", kind: "VirtualService", namespace: "default", name: "reviews" };
const weightOf = (double: KubeDouble) => (double.object(vsRef)?.spec as any)?.http?.[0]?.route?.[0]?.weight as number | undefined;

interface Harness {
  gh: GitHubFixture;
  clusters: { staging: KubeDouble; prod: KubeDouble };
  jobDeps: JobDeps;
  queue: InProcessQueue;
  deliver(event: string, delivery: string, payload: object): Promise<{ status: number; body: { action: string; enqueued: boolean; reason?: string } }>;
  [Symbol.asyncDispose](): Promise<void>;
}

async function harness(): Promise<Harness> {
  const gh = githubFixture();
  const clusters = { staging: await startKubeDouble({ crds: meshCrds() }), prod: await startKubeDouble({ crds: meshCrds() }) };
  const jobDeps: JobDeps = {
    github: () => createGitHubPort(gh.octokit),
    clock: { now: () => new Date() },
    logger: quiet,
    defaultPack: [],
    queue: { enqueue: (job, options) => queue.enqueue(job, options) },
    // As localKubeconfigConnector, with one kubeconfig per cluster instead of one context per cluster.
    connectCluster: async (cluster) => {
      const double = clusters[cluster.name as keyof typeof clusters];
      if (!double) throw new Error(`no kubeconfig for cluster ${cluster.name}`);
      return createKubeCluster(kubeConfigFromFile(double.kubeconfigPath), { name: cluster.name, retry: { retries: 2, minTimeoutMs: 1, maxTimeoutMs: 5 } });
    },
    metrics: { record: (m) => assert.fail(`a rollout records no drift metrics (${m.cluster})`) },
  };
  const queue: InProcessQueue = createInProcessQueue(async (job) => void (await runJob(job, jobDeps)), { logger: quiet });
  const app = createWebhookApp({ secret, queue, logger: quiet });
  return {
    gh,
    clusters,
    jobDeps,
    queue,
    async deliver(event, delivery, payload) {
      const body = JSON.stringify(payload);
      const res = await app.request("/webhooks/github", {
        method: "POST",
        headers: {
          "content-type": "application/json",
          "x-github-event": event,
          "x-github-delivery": delivery,
          "x-hub-signature-256": await sign(secret, body),
        },
        body,
      });
      return { status: res.status, body: (await res.json()) as { action: string; enqueued: boolean; reason?: string } };
    },
    async [Symbol.asyncDispose]() {
      await Promise.all([clusters.staging.close(), clusters.prod.close()]);
    },
  };
}

/** GitHub's push delivery for a merge into `branch` of acme/mesh (default branch main). */
function pushEvent(after: string, branch = "main") {
  const p = webhookExample("push", (x) => x.ref === "refs/heads/master" && x.installation !== undefined);
  p.ref = `refs/heads/${branch}`;
  p.after = after;
  p.head_commit.id = after;
  p.installation = { id: installationId, node_id: "MDIzOkludGVncmF0aW9uSW5zdGFsbGF0aW9uMQ==" };
  p.repository.full_name = "acme/mesh";
  p.repository.name = "mesh";
  p.repository.owner.login = "acme";
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
