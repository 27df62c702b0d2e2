/**
 * The merge-triggered rollout jobs against the GitHub API double (every
 * request checked against GitHub's OpenAPI description) and Kubernetes API
 * doubles, through the real GitHub port and cluster adapter: the fan-out to
 * one job per cluster, and one cluster's rollout with its deployment, its
 * statuses and its check run. (The webhook-to-cluster path is
 * test/e2e/rollout.test.ts.)
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { createGitHubPort } from "../../src/adapters/github/github-port.js";
import { APPLIED_COMMIT_ANNOTATION } from "../../src/cluster/apply-set.js";
import type { ClusterRolloutJob, RolloutJob } from "../../src/jobs/ports.js";
import { clusterGroupId, rolloutCheckName, runClusterRollout, runRollout, type ClusterConnector } from "../../src/jobs/rollout.js";
import { fakeSha, githubFixture, installationId, type GitHubFixture } from "../support/github-double/index.js";
import { quietLogger as quiet, recordingQueue } from "../support/job-harness.js";
import { doubleConnector } from "../support/kube-cluster.js";
import { meshCrds, startKubeDouble, type KubeDouble } from "../support/kube-double/index.js";
import { serviceManifest, virtualServiceManifest as virtualService } from "../support/mesh-manifests.js";

const clock = { now: () => new Date() };
const repo = { owner: "acme", repo: "mesh" };
const COMMIT_A = fakeSha("a");
const COMMIT_B = fakeSha("b");

const meshplanYaml = (clusters: string) => `manifests: [mesh]\nclusters:\n${clusters}`;
const prodOnly = meshplanYaml("  - name: prod\n");
const prodPruning = meshplanYaml("  - name: prod\n    prune: true\n");

const service = serviceManifest("reviews");

const vsRef = (name: string) => ({ apiVersion: "networking.istio.io/v1", kind: "VirtualService", namespace: "default", name });
const parentRef = { apiVersion: "v1", kind: "ConfigMap", namespace: "default", name: "meshplan" };
const weightOf = (double: KubeDouble, name = "reviews") => (double.object(vsRef(name))?.spec as any)?.http?.[0]?.route?.[0]?.weight as number | undefined;

const clusterJob = (sha: string, overrides: Partial<ClusterRolloutJob> = {}): ClusterRolloutJob => ({
  kind: "cluster-rollout",
  deliveryId: `delivery-${sha.slice(0, 7)}`,
  installationId,
  repo,
  sha,
  ref: "refs/heads/main",
  cluster: "prod",
  ...overrides,
});

function deps(gh: GitHubFixture, connect: ClusterConnector) {
  return { github: createGitHubPort(gh.octokit), connect, clock, logger: quiet };
}

function noViolations(gh: GitHubFixture) {
  assert.deepEqual(gh.double.violations, [], "every request meshplan sent matches GitHub's OpenAPI description");
}

describe("runRollout", () => {
  const rolloutJob = (sha: string, deliveryId = "delivery-push-1"): RolloutJob => ({ kind: "rollout", deliveryId, installationId, repo, sha, ref: "refs/heads/main" });

  it("queues one cluster rollout per cluster, each in its cluster's own queue group", async () => {
    const gh = githubFixture();
    gh.double.addCommit("acme", "mesh", COMMIT_A, { "meshplan.yaml": meshplanYaml("  - name: staging\n  - name: prod\n"), "mesh/reviews.yaml": service });
    const { offered, queue } = recordingQueue();
    const outcome = await runRollout(rolloutJob(COMMIT_A), { github: createGitHubPort(gh.octokit), queue, clock, logger: quiet });
    assert.equal(outcome.status, "done", outcome.detail);
    assert.deepEqual(
      offered.map(({ job, options, enqueued }) => ({ job, options, enqueued })),
      ["staging", "prod"].map((cluster) => ({
        job: { kind: "cluster-rollout", deliveryId: "delivery-push-1", installationId, repo, sha: COMMIT_A, ref: "refs/heads/main", cluster },
        options: { deduplicationId: `delivery-push-1:${cluster}`, groupId: `acme/mesh:cluster:${cluster}` },
        enqueued: true,
      })),
    );
    assert.equal(clusterGroupId(repo, "prod"), "acme/mesh:cluster:prod");
    assert.match(outcome.detail, /to 2 of 2 cluster\(s\): staging, prod/);
    noViolations(gh);
  });

  it("a second run for the same delivery queues nothing new", async () => {
    const gh = githubFixture();
    gh.double.addCommit("acme", "mesh", COMMIT_A, { "meshplan.yaml": meshplanYaml("  - name: staging\n  - name: prod\n") });
    const { offered, queue } = recordingQueue();
    const rolloutDeps = { github: createGitHubPort(gh.octokit), queue, clock, logger: quiet };
    await runRollout(rolloutJob(COMMIT_A), rolloutDeps);
    const again = await runRollout(rolloutJob(COMMIT_A), rolloutDeps);
    assert.deepEqual(offered.map((o) => o.enqueued), [true, true, false, false]);
    assert.match(again.detail, /to 0 of 2 cluster\(s\)/);
    noViolations(gh);
  });

  it("skips a commit whose meshplan.yaml lists no clusters, and says so", async () => {
    const gh = githubFixture();
    gh.double.addCommit("acme", "mesh", COMMIT_A, { "meshplan.yaml": "manifests: [mesh]\n", "mesh/reviews.yaml": service });
    const { offered, queue } = recordingQueue();
    const outcome = await runRollout(rolloutJob(COMMIT_A), { github: createGitHubPort(gh.octokit), queue, clock, logger: quiet });
    assert.equal(outcome.status, "skipped");
    assert.match(outcome.detail, /lists no clusters; nothing to roll out/);
    assert.deepEqual(offered, []);
    noViolations(gh);
  });

  it("fails, naming the line, when meshplan.yaml's clusters setting is invalid, instead of rolling out to none", async () => {
    const gh = githubFixture();
    gh.double.addCommit("acme", "mesh", COMMIT_A, { "meshplan.yaml": meshplanYaml("  - name: prod\n  - name: prod\n"), "mesh/reviews.yaml": service });
    const { offered, queue } = recordingQueue();
    const outcome = await runRollout(rolloutJob(COMMIT_A), { github: createGitHubPort(gh.octokit), queue, clock, logger: quiet });
    assert.equal(outcome.status, "failed");
    assert.match(outcome.detail, /invalid clusters settings, nothing was rolled out: line 3: .*cluster names must be unique/);
    assert.deepEqual(offered, []);
    noViolations(gh);
  });
});

describe("runClusterRollout", () => {
  it("applies the commit, records a deployment to the cluster's environment and completes a green check run", async () => {
    const gh = githubFixture();
    gh.double.addCommit("acme", "mesh", COMMIT_A, { "meshplan.yaml": prodOnly, "mesh/reviews.yaml": `${service}---\n${virtualService("reviews", 90)}` });
    await using prod = await startKubeDouble({ crds: meshCrds() });
    const outcome = await runClusterRollout(clusterJob(COMMIT_A), deps(gh, doubleConnector({ prod })));
    assert.equal(outcome.status, "done", outcome.detail);

    assert.equal(weightOf(prod), 90);
    assert.ok(prod.object({ apiVersion: "v1", kind: "Service", namespace: "default", name: "reviews" }));
    assert.equal((prod.object(parentRef)?.metadata as any).annotations[APPLIED_COMMIT_ANNOTATION], COMMIT_A);

    const deployments = gh.double.deployments("acme", "mesh");
    assert.equal(deployments.length, 1);
    const [deployment] = deployments;
    assert.equal(deployment!.environment, "prod");
    assert.equal(deployment!.ref, COMMIT_A);
    assert.equal(deployment!.sha, COMMIT_A);
    assert.deepEqual(deployment!.statuses.map((s) => s.state), ["in_progress", "success"]);
    assert.match(deployment!.statuses[1]!.description, /^prod: synced — 2 created/);

    const runs = gh.double.checkRuns("acme", "mesh");
    assert.equal(runs.length, 1);
    const run = runs[0]!;
    assert.equal(run.name, rolloutCheckName("prod"));
    assert.equal(run.name, "meshplan rollout: prod");
    assert.equal(run.headSha, COMMIT_A);
    assert.equal(run.status, "completed");
    assert.equal(run.conclusion, "success");
    assert.equal(run.output.title, "Applied to prod");
    const summary = run.output.summary ?? "";
    assert.match(summary, /^### ✅ prod: synced/);
    assert.match(summary, /\| `virtualservice\.networking\.istio\.io\/reviews` \| default \| created \|/);
    assert.match(summary, /\| `service\/reviews` \| default \| created \|/);
    noViolations(gh);
  });

  it("an object whose CRD the cluster lacks fails the rollout, names the object and says to install the CRD; the rest still applies", async () => {
    const gh = githubFixture();
    gh.double.addCommit("acme", "mesh", COMMIT_A, { "meshplan.yaml": prodOnly, "mesh/reviews.yaml": `${service}---\n${virtualService("reviews", 90)}` });
    await using prod = await startKubeDouble({ crds: [] });
    const outcome = await runClusterRollout(clusterJob(COMMIT_A), deps(gh, doubleConnector({ prod })));
    assert.equal(outcome.status, "failed");

    assert.ok(prod.object({ apiVersion: "v1", kind: "Service", namespace: "default", name: "reviews" }), "the Service is applied all the same");
    const [deployment] = gh.double.deployments("acme", "mesh");
    assert.deepEqual(deployment!.statuses.map((s) => s.state), ["in_progress", "failure"]);
    const run = gh.double.checkRuns("acme", "mesh")[0]!;
    assert.equal(run.conclusion, "failure");
    assert.equal(run.output.title, "Rollout to prod failed");
    const row = (run.output.summary ?? "").split("\n").find((l) => l.includes("virtualservice.networking.istio.io/reviews"));
    assert.ok(row, run.output.summary ?? "");
    assert.match(row, /failed/);
    assert.match(row, /install its CustomResourceDefinition first/);
    assert.match(row, /mesh\/reviews\.yaml:\d+/);
    noViolations(gh);
  });

  it("a cluster it cannot connect to fails the check run and creates no deployment", async () => {
    const gh = githubFixture();
    gh.double.addCommit("acme", "mesh", COMMIT_A, { "meshplan.yaml": prodOnly, "mesh/reviews.yaml": service });
    const refuse: ClusterConnector = async () => {
      throw new Error("kubeconfigSecret meshplan/prod does not exist");
    };
    const outcome = await runClusterRollout(clusterJob(COMMIT_A), deps(gh, refuse));
    assert.equal(outcome.status, "failed");
    assert.deepEqual(gh.double.deployments("acme", "mesh"), []);
    const run = gh.double.checkRuns("acme", "mesh")[0]!;
    assert.equal(run.status, "completed");
    assert.equal(run.conclusion, "failure");
    assert.equal(run.output.title, "Could not connect to prod");
    assert.match(run.output.summary ?? "", /kubeconfigSecret meshplan\/prod does not exist[\s\S]*Nothing was applied/);
    noViolations(gh);
  });

  it("skips a commit older than the one the cluster holds: no deployment, the newer weight stays", async () => {
    const gh = githubFixture();
    gh.double.addCommit("acme", "mesh", COMMIT_A, { "meshplan.yaml": prodOnly, "mesh/reviews.yaml": virtualService("reviews", 90) });
    gh.double.addCommit("acme", "mesh", COMMIT_B, { "meshplan.yaml": prodOnly, "mesh/reviews.yaml": virtualService("reviews", 50) }, { parents: [COMMIT_A] });
    await using prod = await startKubeDouble({ crds: meshCrds() });
    const rolloutDeps = deps(gh, doubleConnector({ prod }));
    assert.equal((await runClusterRollout(clusterJob(COMMIT_B), rolloutDeps)).status, "done");
    // A's delivery arrives late.
    const late = await runClusterRollout(clusterJob(COMMIT_A), rolloutDeps);
    assert.equal(late.status, "skipped");
    assert.match(late.detail, /is older than/);

    assert.equal(weightOf(prod), 50);
    assert.equal((prod.object(parentRef)?.metadata as any).annotations[APPLIED_COMMIT_ANNOTATION], COMMIT_B);
    const deployments = gh.double.deployments("acme", "mesh");
    assert.deepEqual(deployments.map((d) => d.sha), [COMMIT_B]);
    const runA = gh.double.checkRuns("acme", "mesh").find((r) => r.headSha === COMMIT_A)!;
    assert.equal(runA.status, "completed");
    assert.equal(runA.conclusion, "skipped");
    assert.equal(runA.output.title, "Skipped: prod holds a newer commit");
    assert.match(runA.output.summary ?? "", new RegExp(`${COMMIT_A.slice(0, 12)} is older than ${COMMIT_B.slice(0, 12)}`));
    noViolations(gh);
  });

  it("a redelivered job that already completed is skipped without a second deployment", async () => {
    const gh = githubFixture();
    gh.double.addCommit("acme", "mesh", COMMIT_A, { "meshplan.yaml": prodOnly, "mesh/reviews.yaml": virtualService("reviews", 90) });
    await using prod = await startKubeDouble({ crds: meshCrds() });
    const rolloutDeps = deps(gh, doubleConnector({ prod }));
    assert.equal((await runClusterRollout(clusterJob(COMMIT_A), rolloutDeps)).status, "done");
    const kubeRequests = prod.requests.length;
    const again = await runClusterRollout(clusterJob(COMMIT_A), rolloutDeps);
    assert.equal(again.status, "skipped");
    assert.match(again.detail, /already rolled out to prod/);
    assert.equal(gh.double.deployments("acme", "mesh").length, 1);
    assert.equal(gh.double.checkRuns("acme", "mesh").length, 1);
    assert.equal(prod.requests.length, kubeRequests, "the cluster is not asked again");
    noViolations(gh);
  });

  it("skips a cluster that meshplan.yaml no longer lists at that commit", async () => {
    const gh = githubFixture();
    gh.double.addCommit("acme", "mesh", COMMIT_A, { "meshplan.yaml": meshplanYaml("  - name: staging\n"), "mesh/reviews.yaml": service });
    let connected = false;
    const outcome = await runClusterRollout(
      clusterJob(COMMIT_A),
      deps(gh, async () => {
        connected = true;
        throw new Error("not expected");
      }),
    );
    assert.equal(outcome.status, "skipped");
    assert.match(outcome.detail, /cluster prod is not in meshplan\.yaml at /);
    assert.equal(connected, false);
    assert.deepEqual(gh.double.deployments("acme", "mesh"), []);
    assert.deepEqual(gh.double.checkRuns("acme", "mesh"), []);
    noViolations(gh);
  });

  it("with prune on, a VirtualService removed from git is removed from the cluster", async () => {
    const gh = githubFixture();
    const both = `${service}---\n${virtualService("reviews", 90)}---\n${virtualService("ratings", 100)}`;
    gh.double.addCommit("acme", "mesh", COMMIT_A, { "meshplan.yaml": prodPruning, "mesh/reviews.yaml": both });
    gh.double.addCommit("acme", "mesh", COMMIT_B, { "meshplan.yaml": prodPruning, "mesh/reviews.yaml": `${service}---\n${virtualService("reviews", 90)}` }, { parents: [COMMIT_A] });
    await using prod = await startKubeDouble({ crds: meshCrds() });
    const rolloutDeps = deps(gh, doubleConnector({ prod }));
    assert.equal((await runClusterRollout(clusterJob(COMMIT_A), rolloutDeps)).status, "done");
    assert.ok(prod.object(vsRef("ratings")));

    const outcome = await runClusterRollout(clusterJob(COMMIT_B), rolloutDeps);
    assert.equal(outcome.status, "done", outcome.detail);
    assert.equal(prod.object(vsRef("ratings")), undefined);
    assert.equal(weightOf(prod, "reviews"), 90);
    const runB = gh.double.checkRuns("acme", "mesh").find((r) => r.headSha === COMMIT_B)!;
    assert.equal(runB.conclusion, "success");
    assert.match(runB.output.summary ?? "", /\| `virtualservice\.networking\.istio\.io\/ratings` \| default \| pruned \|/);
    assert.match(runB.output.summary ?? "", /Pruned 1 of 1 member\(s\) no longer in git/);
    assert.deepEqual(gh.double.deployments("acme", "mesh").map((d) => [d.sha, d.statuses.at(-1)?.state]), [
      // GitHub marks the earlier successful deployment to the environment inactive.
      [COMMIT_A, "inactive"],
      [COMMIT_B, "success"],
    ]);
    noViolations(gh);
  });
});
