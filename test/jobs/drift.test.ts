/**
 * Scheduled drift detection against the GitHub API double (every request checked against
 * GitHub's OpenAPI description) and Kubernetes API doubles, through the real GitHub port and
 * cluster adapter: the fan-out to one job per cluster at the default branch's head, and one
 * cluster's check with its issue: opened on drift, updated while it lasts, closed once the
 * cluster matches git again.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { createGitHubPort } from "../../src/adapters/github/github-port.js";
import { syncCluster } from "../../src/cluster/sync.js";
import { DRIFT_LABEL, driftIssueMarker, driftIssueTitle, runClusterDrift, runDriftFanOut } from "../../src/jobs/drift.js";
import type { ClusterDriftJob, DriftJob, DriftMeasurement, DriftMetrics, Job } from "../../src/jobs/ports.js";
import { clusterGroupId, type ClusterConnector } from "../../src/jobs/rollout.js";
import type { JobOutcome } from "../../src/jobs/run-job.js";
import { renderSyncText } from "../../src/report/sync-report.js";
import { fakeSha, githubFixture, installationId, type GitHubFixture, type IssueRecord } from "../support/github-double/index.js";
import { jobHarness, quietLogger as quiet, recordingQueue } from "../support/job-harness.js";
import { doubleCluster, doubleConnector } from "../support/kube-cluster.js";
import { meshCrds, startKubeDouble, type KubeDouble } from "../support/kube-double/index.js";
import { editWeightsAsKubectl } from "../support/kubectl.js";
import { serviceManifest, virtualServiceManifest } from "../support/mesh-manifests.js";
import { syncInput } from "../support/sync-input.js";

const repo = { owner: "acme", repo: "mesh" };
const COMMIT_A = fakeSha("a");
const COMMIT_B = fakeSha("b");
const COMMIT_C = fakeSha("c");
const SHORT_A = COMMIT_A.slice(0, 7);

const meshplanYaml = (clusters: string) => `manifests: [mesh]\nclusters:\n${clusters}`;
const prodOnly = meshplanYaml("  - name: prod\n");

const reviews = `${serviceManifest("reviews")}---\n${virtualServiceManifest("reviews", 100)}`;
const tree = (config = prodOnly) => ({ "meshplan.yaml": config, "mesh/reviews.yaml": reviews });

const vsRef = { apiVersion: "networking.istio.io/v1", kind: "VirtualService", namespace: "default", name: "reviews" };
const weights = (double: KubeDouble) => ((double.object(vsRef)?.spec as any)?.http?.[0]?.route ?? []).map((r: any) => r.weight);

/** Makes the double hold the tree as a rollout would (force takes fields back from other managers). */
async function rollOut(double: KubeDouble, name = "prod") {
  const input = syncInput({ "mesh/reviews.yaml": reviews }, { commit: COMMIT_A, prune: false, force: true });
  const result = await syncCluster(doubleCluster(double, name, 1), input);
  assert.equal(result.status, "synced", renderSyncText(result));
}

/** reviews v1/v2 at weightV1/100 - weightV1, set by kubectl-edit in namespace default. */
const editAsKubectl = (double: KubeDouble, weightV1: number) => editWeightsAsKubectl(double, weightV1, "default");

function recordingMetrics(): DriftMetrics & { measurements: DriftMeasurement[] } {
  const measurements: DriftMeasurement[] = [];
  return { measurements, record: (m) => void measurements.push(m) };
}

/** A clock the test moves. */
function testClock(start = "2026-11-24T06:00:00.000Z") {
  let now = new Date(start);
  return { now: () => now, set: (iso: string) => void (now = new Date(iso)) };
}

const clusterJob = (overrides: Partial<ClusterDriftJob> = {}): ClusterDriftJob => ({
  kind: "cluster-drift",
  deliveryId: "schedule-1:acme/mesh",
  installationId,
  repo,
  sha: COMMIT_A,
  ref: "main",
  cluster: "prod",
  ...overrides,
});

function noViolations(gh: GitHubFixture) {
  assert.deepEqual(gh.double.violations, [], "every request meshplan sent matches GitHub's OpenAPI description");
}

const driftIssues = (gh: GitHubFixture): IssueRecord[] => gh.double.issues("acme", "mesh").filter((i) => i.labels.includes(DRIFT_LABEL));

describe("runDriftFanOut", () => {
  const driftJob = (overrides: Partial<DriftJob> = {}): DriftJob => ({ kind: "drift", deliveryId: "schedule-1:acme/mesh", installationId, repo, ...overrides });

  it("queues one cluster drift check per cluster at the head of the default branch, each in its cluster's queue group", async () => {
    const gh = githubFixture();
    gh.double.addRepo("acme", "ops", { defaultBranch: "trunk" });
    const config = meshplanYaml("  - name: staging\n  - name: prod\n");
    gh.double.addCommit("acme", "ops", COMMIT_A, { "meshplan.yaml": config }, { branch: "trunk" });
    gh.double.addCommit("acme", "ops", COMMIT_B, { "meshplan.yaml": config }, { branch: "trunk" });
    gh.double.addCommit("acme", "ops", COMMIT_C, { "meshplan.yaml": meshplanYaml("  - name: dev\n") }, { branch: "feature", parents: [COMMIT_B] });
    const ops = { owner: "acme", repo: "ops" };
    const { offered, queue } = recordingQueue();

    const outcome = await runDriftFanOut(driftJob({ repo: ops, deliveryId: "schedule-1:acme/ops" }), { github: createGitHubPort(gh.octokit), queue, logger: quiet });
    assert.equal(outcome.status, "done", outcome.detail);
    assert.deepEqual(
      offered,
      ["staging", "prod"].map((cluster) => ({
        job: { kind: "cluster-drift", deliveryId: "schedule-1:acme/ops", installationId, repo: ops, sha: COMMIT_B, ref: "trunk", cluster },
        options: { deduplicationId: `schedule-1:acme/ops:drift:${cluster}`, groupId: `acme/ops:cluster:${cluster}` },
        enqueued: true,
      })),
    );
    assert.equal(clusterGroupId(ops, "prod"), "acme/ops:cluster:prod", "the same group as the cluster's rollouts");
    assert.match(outcome.detail, new RegExp(`staging, prod against trunk@${COMMIT_B.slice(0, 12)}`));
    noViolations(gh);
  });

  it("skips a repository whose meshplan.yaml lists no clusters, and says so", async () => {
    const gh = githubFixture();
    gh.double.addCommit("acme", "mesh", COMMIT_A, { "meshplan.yaml": "manifests: [mesh]\n" });
    const { offered, queue } = recordingQueue();
    const outcome = await runDriftFanOut(driftJob(), { github: createGitHubPort(gh.octokit), queue, logger: quiet });
    assert.equal(outcome.status, "skipped");
    assert.match(outcome.detail, /meshplan\.yaml on main lists no clusters/);
    assert.deepEqual(offered, []);
    noViolations(gh);
  });
});

describe("runClusterDrift", () => {
  function setup(connect: ClusterConnector, config = prodOnly) {
    const gh = githubFixture();
    gh.double.addCommit("acme", "mesh", COMMIT_A, tree(config));
    const clock = testClock();
    const metrics = recordingMetrics();
    const deps = { github: createGitHubPort(gh.octokit), connect, clock, logger: quiet, metrics };
    return { gh, clock, metrics, deps, run: () => runClusterDrift(clusterJob(), deps) };
  }

  it("opens one issue on drift, updates it while the drift lasts, closes it when the cluster matches git, and opens a new one when drift returns", async () => {
    await using prod = await startKubeDouble({ crds: meshCrds() });
    await rollOut(prod);
    const { gh, clock, metrics, run } = setup(doubleConnector({ prod }, 1));

    // A clean cluster needs no issue.
    const clean = await run();
    assert.equal(clean.status, "done", clean.detail);
    assert.match(clean.detail, /prod matches main; no drift issue open/);
    assert.deepEqual(driftIssues(gh), []);

    // Drift appears: one issue.
    await editAsKubectl(prod, 10);
    clock.set("2026-11-24T07:00:00.000Z");
    const opened = await run();
    assert.equal(opened.status, "done", opened.detail);
    assert.match(opened.detail, /prod drifted \(1 changed, 0 missing, 0 unexpected\); issue #\d+ opened/);
    let issues = driftIssues(gh);
    assert.equal(issues.length, 1);
    const issue = issues[0]!;
    assert.equal(issue.title, "meshplan: drift on prod");
    assert.equal(issue.title, driftIssueTitle("prod"));
    assert.deepEqual(issue.labels, ["meshplan-drift"]);
    assert.equal(issue.state, "open");
    const body = issue.body ?? "";
    assert.ok(body.startsWith(driftIssueMarker("prod")), body);
    assert.ok(body.includes("<!-- meshplan:drift:prod -->"));
    assert.ok(body.includes(`differs from \`main\` @ \`${SHORT_A}\` (checked 2026-11-24T07:00:00.000Z)`), body);
    assert.match(body, /`spec\.http\[0\]\.route\[0\]\.weight` `100` → `10`, changed by `kubectl-edit` \(Update/);
    assert.match(body, /## What live traffic does differently/);
    assert.ok(body.includes("| `reviews.default.svc.cluster.local` | reviews v1 10%, reviews v2 90% | reviews v1 100% |"), "live traffic → git's, for the host");

    // Still drifted: the same issue, updated in place.
    clock.set("2026-11-24T08:00:00.000Z");
    const updated = await run();
    assert.match(updated.detail, new RegExp(`issue #${issue.number} updated`));
    issues = driftIssues(gh);
    assert.equal(issues.length, 1, "no duplicate");
    assert.equal(issues[0]!.number, issue.number);
    assert.match(issues[0]!.body ?? "", /checked 2026-11-24T08:00:00\.000Z/);
    assert.deepEqual(gh.double.comments("acme", "mesh", issue.number), [], "updates do not comment");

    // Fixed: a comment, then closed as completed.
    await rollOut(prod);
    clock.set("2026-11-24T09:00:00.000Z");
    const closed = await run();
    assert.equal(closed.status, "done");
    assert.match(closed.detail, new RegExp(`prod is clean again; closed issue #${issue.number}`));
    issues = driftIssues(gh);
    assert.equal(issues.length, 1);
    assert.equal(issues[0]!.state, "closed");
    assert.equal(issues[0]!.stateReason, "completed");
    const comments = gh.double.comments("acme", "mesh", issue.number);
    assert.equal(comments.length, 1);
    assert.equal(comments[0]!.body, `✅ \`prod\` matches \`main\` @ \`${SHORT_A}\` again (checked 2026-11-24T09:00:00.000Z). Closing.`);

    // Drift again later: a new issue; the closed one stays closed.
    await editAsKubectl(prod, 30);
    const reopened = await run();
    assert.match(reopened.detail, /opened/);
    issues = driftIssues(gh);
    assert.equal(issues.length, 2);
    const [first, second] = [issues.find((i) => i.number === issue.number)!, issues.find((i) => i.number !== issue.number)!];
    assert.equal(first.state, "closed");
    assert.equal(second.state, "open");
    assert.match(second.body ?? "", /`100` → `30`/);

    assert.deepEqual(
      metrics.measurements.map((m) => [m.status, m.driftedObjects, m.driftedFields]),
      [["clean", 0, 0], ["drifted", 1, 2], ["drifted", 1, 2], ["clean", 0, 0], ["drifted", 1, 2]],
      "one measurement per check",
    );
    assert.ok(metrics.measurements.every((m) => m.cluster === "prod" && m.missing === 0 && m.unexpected === 0 && !m.corrected));
    noViolations(gh);
  });

  it("a cluster it cannot connect to fails the check, opens no issue and records the failure", async () => {
    const refuse: ClusterConnector = async () => {
      throw new Error("kubeconfigSecret meshplan/prod does not exist");
    };
    const { gh, metrics, run } = setup(refuse);
    const outcome = await run();
    assert.equal(outcome.status, "failed");
    assert.match(outcome.detail, /^could not check prod: kubeconfigSecret meshplan\/prod does not exist/);
    assert.deepEqual(driftIssues(gh), []);
    assert.deepEqual(metrics.measurements, [
      { cluster: "prod", status: "unreachable", driftedObjects: 0, driftedFields: 0, missing: 0, unexpected: 0, corrected: false },
    ]);
    noViolations(gh);
  });

  it("with driftPolicy correct, re-applies git, says so on the issue, and the next check closes it", async () => {
    await using prod = await startKubeDouble({ crds: meshCrds() });
    await rollOut(prod);
    await editAsKubectl(prod, 10);
    const { gh, metrics, run } = setup(doubleConnector({ prod }, 1), meshplanYaml("  - name: prod\n    driftPolicy: correct\n"));

    const corrected = await run();
    assert.equal(corrected.status, "done", corrected.detail);
    assert.deepEqual(weights(prod), [100, 0], "git's weights are back");
    assert.ok(prod.fieldOwners(vsRef).some((o) => o.manager === "meshplan" && JSON.stringify(o.fieldsV1).includes("f:http")));
    const [issue] = driftIssues(gh);
    assert.ok(issue);
    assert.equal(issue.state, "open");
    assert.match(issue.body ?? "", /kubectl-edit/, "the issue says what was found");
    const comments = gh.double.comments("acme", "mesh", issue.number);
    assert.equal(comments.length, 1);
    assert.ok(comments[0]!.body.startsWith(`🔧 meshplan re-applied \`main\` @ \`${SHORT_A}\` to \`prod\` (driftPolicy: correct)`), comments[0]!.body);

    const next = await run();
    assert.match(next.detail, /clean again; closed issue/);
    const [after] = driftIssues(gh);
    assert.equal(after!.state, "closed");
    assert.equal(after!.stateReason, "completed");
    assert.equal(driftIssues(gh).length, 1);
    assert.deepEqual(metrics.measurements.map((m) => [m.status, m.corrected]), [["drifted", true], ["clean", false]]);
    noViolations(gh);
  });
});

describe("a scheduled drift run across clusters", () => {
  it("an unreachable cluster fails its check and notes it on its open issue, keeping what was found; the other cluster is still checked", async () => {
    await using prod = await startKubeDouble({ crds: meshCrds() });
    await using staging = await startKubeDouble({ crds: meshCrds() });
    await rollOut(prod);
    await rollOut(staging, "staging");
    await editAsKubectl(prod, 10);
    await editAsKubectl(staging, 50);

    const clock = testClock();
    const metrics = recordingMetrics();
    const outcomes: { job: Job; outcome: JobOutcome }[] = [];
    const { gh, queue } = jobHarness({ connectCluster: doubleConnector({ prod, staging }, 1), metrics, clock, onOutcome: (job, outcome) => void outcomes.push({ job, outcome }) });
    gh.double.addCommit("acme", "mesh", COMMIT_A, tree(meshplanYaml("  - name: prod\n  - name: staging\n")));
    const schedule = async (id: string) => {
      outcomes.length = 0;
      await queue.enqueue({ kind: "drift", deliveryId: `${id}:acme/mesh`, installationId, repo }, { deduplicationId: `${id}:acme/mesh`, groupId: "acme/mesh:drift" });
      await queue.drain();
      const byCluster = (name: string) => outcomes.find((o) => o.job.kind === "cluster-drift" && o.job.cluster === name)?.outcome;
      return { prod: byCluster("prod"), staging: byCluster("staging") };
    };

    const first = await schedule("schedule-1");
    assert.equal(first.prod?.status, "done", first.prod?.detail);
    assert.equal(first.staging?.status, "done", first.staging?.detail);
    const prodIssue = driftIssues(gh).find((i) => i.title === "meshplan: drift on prod")!;
    const stagingIssue = driftIssues(gh).find((i) => i.title === "meshplan: drift on staging")!;
    assert.ok(prodIssue && stagingIssue, "one issue per cluster");
    const found = prodIssue.body ?? "";

    await prod.down();
    clock.set("2026-11-24T07:00:00.000Z");
    const second = await schedule("schedule-2");
    assert.equal(second.prod?.status, "failed");
    assert.match(second.prod?.detail ?? "", /^could not check prod: /);
    assert.equal(second.staging?.status, "done", "staging is checked all the same");
    assert.match(second.staging?.detail ?? "", new RegExp(`issue #${stagingIssue.number} updated`));

    const noted = gh.double.issues("acme", "mesh").find((i) => i.number === prodIssue.number)!;
    assert.equal(noted.state, "open");
    const notedBody = noted.body ?? "";
    assert.ok(notedBody.startsWith(found.trimEnd()), "what the last check found is kept");
    assert.match(notedBody, /Could not check cluster `prod` at 2026-11-24T07:00:00\.000Z: /);
    assert.match(notedBody, /`100` → `10`, changed by `kubectl-edit`/);

    // Still down at the next run: the note is replaced, not stacked.
    clock.set("2026-11-24T08:00:00.000Z");
    await schedule("schedule-3");
    const renoted = gh.double.issues("acme", "mesh").find((i) => i.number === prodIssue.number)!.body ?? "";
    assert.equal(renoted.match(/Could not check cluster/g)?.length, 1, renoted);
    assert.match(renoted, /at 2026-11-24T08:00:00\.000Z/);
    assert.equal(driftIssues(gh).length, 2);

    assert.deepEqual(
      metrics.measurements.map((m) => `${m.cluster}:${m.status}`).sort(),
      ["prod:drifted", "prod:unreachable", "prod:unreachable", "staging:drifted", "staging:drifted", "staging:drifted"],
    );
    noViolations(gh);
  });
});
