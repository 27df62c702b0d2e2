/**
 * PR checks end to end, with the real webhook app, in-process queue, job,
 * GitHub client (auth-app, retry, throttling) and GitHub port — against the
 * GitHub API double, whose every request is checked against GitHub's OpenAPI
 * description. A signed `pull_request` delivery goes in; a check run and one
 * comment come out.
 */
import { describe, it, beforeEach } from "node:test";
import assert from "node:assert/strict";
import { COMMENT_MARKER } from "../../src/jobs/pull-request-check.js";
import { toAcmeMesh, webhookHarness, type WebhookHarness } from "../support/webhook-harness.js";
import { webhookExample } from "../server/webhook-examples.js";

const sha = (c: string) => c.repeat(40);

const labels = "labels: {owner: shop, team: shop}";
const workloads = `apiVersion: apps/v1
kind: Deployment
metadata: {name: reviews-v1, namespace: shop, ${labels}}
spec:
  selector: {matchLabels: {app: reviews, version: v1}}
  template: {metadata: {labels: {app: reviews, version: v1}}, spec: {containers: [{name: r, image: r}]}}
---
apiVersion: v1
kind: Service
metadata: {name: reviews, namespace: shop, ${labels}}
spec: {selector: {app: reviews}, ports: [{name: http, port: 9080}]}
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: reviews, namespace: shop, ${labels}}
spec: {host: reviews, subsets: [{name: v1, labels: {version: v1}}]}
`;
const route = (subset: string) => `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: reviews, namespace: shop, ${labels}}
spec:
  hosts: [reviews]
  http:
  - route:
    - destination: {host: reviews, subset: ${subset}}
`;

function harness(): WebhookHarness {
  return webhookHarness({
    connectCluster: (cluster) => Promise.reject(new Error(`this test's repositories list no clusters, yet ${cluster.name} was asked for`)),
    metrics: { record: (m) => assert.fail(`no drift check runs in a PR check test (${m.cluster})`) },
  });
}

function pullRequestEvent(action: string, pr: { number: number; base: string; head: string; fork?: string }) {
  const p = toAcmeMesh(webhookExample("pull_request", (x) => x.action === "opened"));
  p.action = action;
  p.number = pr.number;
  Object.assign(p.pull_request, { number: pr.number, draft: false });
  Object.assign(p.pull_request.base, { ref: "main", sha: pr.base });
  Object.assign(p.pull_request.head, { ref: "canary", sha: pr.head });
  p.pull_request.base.repo.full_name = "acme/mesh";
  p.pull_request.head.repo.full_name = pr.fork ?? "acme/mesh";
  return p;
}

function seed(h: WebhookHarness, commits: Record<string, Record<string, string>>, pr: { number: number; base: string; head: string; fork?: string }) {
  for (const [s, files] of Object.entries(commits)) h.gh.double.addCommit("acme", "mesh", s, files);
  h.gh.double.addPullRequest("acme", "mesh", {
    number: pr.number,
    baseSha: pr.base,
    headSha: pr.head,
    baseRef: "main",
    headRef: "canary",
    ...(pr.fork ? { headRepoFullName: pr.fork } : {}),
  });
}

describe("a pull request checked end to end", () => {
  let h: WebhookHarness;
  beforeEach(() => {
    h = harness();
  });

  it("opened: check run completed with failure, annotation at the changed line, exactly one comment", async () => {
    const pr = { number: 7, base: sha("a"), head: sha("b") };
    seed(h, { [pr.base]: { "mesh/reviews.yaml": workloads + "---\n" + route("v1") }, [pr.head]: { "mesh/reviews.yaml": workloads + "---\n" + route("v9") } }, pr);
    const res = await h.deliver("pull_request", "delivery-1", pullRequestEvent("opened", pr));
    assert.equal(res.status, 202);
    assert.equal(res.body.enqueued, true);
    await h.queue.drain();

    const runs = h.gh.double.checkRuns("acme", "mesh");
    assert.equal(runs.length, 1);
    const run = runs[0]!;
    assert.equal(run.status, "completed");
    assert.equal(run.conclusion, "failure");
    assert.equal(run.headSha, pr.head);
    const annotations = run.annotations.map((a) => [a.path, a.start_line, a.annotation_level, a.title?.split(" ")[0]]);
    // The subset line of the VirtualService in the head revision (line 25 of the file).
    assert.deepEqual(annotations, [["mesh/reviews.yaml", 25, "failure", "MP0201"]]);
    const comments = h.gh.double.comments("acme", "mesh", 7);
    assert.equal(comments.length, 1);
    assert.ok(comments[0]!.body.includes(COMMENT_MARKER));
    assert.match(comments[0]!.body, /MP0201/);
    assert.deepEqual(h.gh.double.violations, [], "every request meshplan sent matches GitHub's OpenAPI description");
  });

  it("synchronize: edits the same comment; a clean head turns the check green", async () => {
    const pr = { number: 8, base: sha("a"), head: sha("b") };
    seed(h, { [pr.base]: { "mesh/reviews.yaml": workloads + "---\n" + route("v1") }, [pr.head]: { "mesh/reviews.yaml": workloads + "---\n" + route("v9") } }, pr);
    await h.deliver("pull_request", "delivery-1", pullRequestEvent("opened", pr));
    await h.queue.drain();
    const fixed = { ...pr, head: sha("c") };
    h.gh.double.addCommit("acme", "mesh", fixed.head, { "mesh/reviews.yaml": workloads + "---\n" + route("v1") });
    await h.deliver("pull_request", "delivery-2", pullRequestEvent("synchronize", fixed));
    await h.queue.drain();
    const comments = h.gh.double.comments("acme", "mesh", 8);
    assert.equal(comments.length, 1, "one comment, edited in place");
    assert.doesNotMatch(comments[0]!.body, /MP0201 /);
    const latest = h.gh.double.checkRuns("acme", "mesh").find((r) => r.headSha === fixed.head)!;
    assert.equal(latest.conclusion, "success");
    assert.deepEqual(h.gh.double.violations, []);
  });

  it("a redelivery of the same delivery id changes nothing", async () => {
    const pr = { number: 9, base: sha("a"), head: sha("b") };
    seed(h, { [pr.base]: { "mesh/reviews.yaml": workloads }, [pr.head]: { "mesh/reviews.yaml": workloads } }, pr);
    const payload = pullRequestEvent("opened", pr);
    await h.deliver("pull_request", "delivery-1", payload);
    await h.queue.drain();
    const requestsBefore = h.gh.double.requests.length;
    const again = await h.deliver("pull_request", "delivery-1", payload);
    await h.queue.drain();
    assert.equal(again.status, 202);
    assert.equal(again.body.enqueued, false);
    assert.equal(h.gh.double.requests.length, requestsBefore, "no GitHub request at all");
    assert.equal(h.gh.double.checkRuns("acme", "mesh").length, 1);
    assert.equal(h.gh.double.comments("acme", "mesh", 9).length, 1);
  });

  it("a fork's pull request is checked from the base repository with the base's rules", async () => {
    const pr = { number: 10, base: sha("a"), head: sha("b"), fork: "mallory/mesh" };
    seed(
      h,
      {
        [pr.base]: { "meshplan.yaml": "policies: [policies]\n", "mesh/reviews.yaml": workloads + "---\n" + route("v1") },
        // The fork turns the rule off and deletes nothing else: the base rules still judge it.
        [pr.head]: { "meshplan.yaml": "policies: [policies]\nrules:\n  MP0201: off\n", "mesh/reviews.yaml": workloads + "---\n" + route("v9") },
      },
      pr,
    );
    await h.deliver("pull_request", "delivery-1", pullRequestEvent("opened", pr));
    await h.queue.drain();
    const run = h.gh.double.checkRuns("acme", "mesh")[0]!;
    assert.equal(run.conclusion, "failure");
    assert.match(run.output?.summary ?? "", /Check configuration changed/);
  });

  it("a PR that edits policies/ is still checked by the base revision's policies", async () => {
    const policy = (limit: string) => `apiVersion: policy.meshplan.io/v1alpha1
kind: MeshPolicy
metadata: {name: no-long-timeouts}
spec:
  matchConstraints:
    resourceRules: [{apiGroups: [networking.istio.io], kinds: [VirtualService]}]
  validations:
  - expression: "object.spec.http.all(r, !has(r.timeout) || duration(r.timeout) <= duration('${limit}'))"
    message: "route timeouts above ${limit} are not allowed"
`;
    const pr = { number: 11, base: sha("a"), head: sha("b") };
    const slow = route("v1").replace("  - route:", "  - timeout: 60s\n    route:");
    seed(
      h,
      {
        [pr.base]: { "meshplan.yaml": "policies: [policies]\n", "policies/timeouts.yaml": policy("30s"), "mesh/reviews.yaml": workloads + "---\n" + route("v1") },
        [pr.head]: { "meshplan.yaml": "policies: [policies]\n", "policies/timeouts.yaml": policy("90s"), "mesh/reviews.yaml": workloads + "---\n" + slow },
      },
      pr,
    );
    await h.deliver("pull_request", "delivery-1", pullRequestEvent("opened", pr));
    await h.queue.drain();
    const run = h.gh.double.checkRuns("acme", "mesh")[0]!;
    assert.equal(run.conclusion, "failure");
    assert.match(run.output?.summary ?? "", /no-long-timeouts/);
  });

  it("a worker crash mid-job ends the check run with an error conclusion", async () => {
    const pr = { number: 12, base: sha("a"), head: sha("b") };
    seed(h, { [pr.base]: { "mesh/reviews.yaml": workloads }, [pr.head]: { "mesh/reviews.yaml": workloads } }, pr);
    // GitHub keeps failing the archive download: retries run out, the job fails after the run was created.
    h.gh.double.failNext({ method: "GET", path: /\/tarball\//, status: 500, times: 50 });
    await h.deliver("pull_request", "delivery-1", pullRequestEvent("opened", pr));
    await h.queue.drain();
    const run = h.gh.double.checkRuns("acme", "mesh")[0]!;
    assert.equal(run.status, "completed");
    assert.equal(run.conclusion, "failure");
    assert.match(run.output?.title ?? "", /could not check/);
    assert.equal(h.gh.double.comments("acme", "mesh", 12).length, 0);
  });

  it("GitHub requests per check do not grow with the repository: 1,000 files, one changed", async () => {
    const many = (n: number, changed: string) => {
      const files: Record<string, string> = { "mesh/reviews.yaml": workloads + "---\n" + route(changed) };
      for (let i = 0; i < n; i++) {
        files[`mesh/svc/svc-${i}.yaml`] = `apiVersion: v1\nkind: Service\nmetadata: {name: svc-${i}, namespace: shop, ${labels}}\nspec: {selector: {app: svc-${i}}, ports: [{name: http, port: 80}]}\n`;
      }
      return files;
    };
    const counts: number[] = [];
    for (const n of [10, 999]) {
      // A fresh installation each time, so both runs include the installation token request.
      const fresh = harness();
      const pr = { number: 20, base: sha("1"), head: sha("2") };
      seed(fresh, { [pr.base]: many(n, "v1"), [pr.head]: many(n, "v9") }, pr);
      await fresh.deliver("pull_request", "delivery-20", pullRequestEvent("opened", pr));
      await fresh.queue.drain();
      assert.equal(fresh.gh.double.checkRuns("acme", "mesh")[0]!.conclusion, "failure");
      // API requests, as GitHub rate-limits them; the archive download itself is served by codeload.
      counts.push(fresh.gh.double.apiRequests().length);
    }
    assert.equal(counts[0], counts[1], `requests for 11 files vs 1,000 files: ${counts.join(" vs ")}`);
    assert.ok(counts[1]! <= 10, `a PR check takes ${counts[1]} GitHub requests`);
  });
});
