/**
 * The PR check job through an in-memory GitHub port: conclusions, idempotency
 * per delivery, failures that still complete the run, fork PRs, base rules.
 * (The end-to-end test with the GitHub API double is test/e2e/pr-check.test.ts.)
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import type { ChangedFile, CheckConclusion, CheckRunOutput, CommitRelation, GitHubPort, PullRequestCheckJob, RepoRef } from "../../src/jobs/ports.js";
import { COMMENT_MARKER, runPullRequestCheck } from "../../src/jobs/pull-request-check.js";
import type { SourceFile } from "../../src/manifests/types.js";

const mesh = (subset: string, extra = "") => `apiVersion: apps/v1
kind: Deployment
metadata: {name: reviews-v1, namespace: shop, labels: {owner: shop, team: shop}}
spec:
  selector: {matchLabels: {app: reviews, version: v1}}
  template: {metadata: {labels: {app: reviews, version: v1}}, spec: {containers: [{name: r, image: r}]}}
---
apiVersion: v1
kind: Service
metadata: {name: reviews, namespace: shop, labels: {owner: shop, team: shop}}
spec: {selector: {app: reviews}, ports: [{name: http, port: 9080}]}
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: reviews, namespace: shop, labels: {owner: shop, team: shop}}
spec: {host: reviews, subsets: [{name: v1, labels: {version: v1}}]}
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: reviews, namespace: shop, labels: {owner: shop, team: shop}}
spec:
  hosts: [reviews]
  http:
  - route:
    - destination: {host: reviews, subset: ${subset}}
${extra}`;

class MemoryGitHub implements GitHubPort {
  trees = new Map<string, SourceFile[]>();
  changed: ChangedFile[] = [];
  runs: { id: number; headSha: string; externalId: string; status: "in_progress" | "completed"; conclusion?: CheckConclusion; output?: CheckRunOutput }[] = [];
  comments: { id: number; body: string }[] = [];
  treeReads: string[] = [];
  failTree = false;
  async readTree(repo: RepoRef, sha: string) {
    this.treeReads.push(`${repo.owner}/${repo.repo}@${sha}`);
    if (this.failTree) throw new Error("GitHub answered 502 for the tarball of " + sha);
    return this.trees.get(sha) ?? [];
  }
  async listChangedFiles() {
    return this.changed;
  }
  async listCheckRuns(_r: RepoRef, headSha: string) {
    return this.runs.filter((r) => r.headSha === headSha).map((r) => ({ id: r.id, status: r.status, externalId: r.externalId }));
  }
  async createCheckRun(_r: RepoRef, run: { headSha: string; externalId: string }) {
    const id = this.runs.length + 1;
    this.runs.push({ id, headSha: run.headSha, externalId: run.externalId, status: "in_progress" });
    return id;
  }
  async completeCheckRun(_r: RepoRef, id: number, result: { conclusion: CheckConclusion; output: CheckRunOutput }) {
    const run = this.runs.find((r) => r.id === id)!;
    Object.assign(run, { status: "completed", conclusion: result.conclusion, output: result.output });
  }
  async upsertComment(_r: RepoRef, _n: number, marker: string, body: string) {
    const c = this.comments.find((x) => x.body.includes(marker));
    if (c) {
      c.body = body;
      return { id: c.id, created: false };
    }
    this.comments.push({ id: this.comments.length + 100, body });
    return { id: this.comments.length + 99, created: true };
  }
  /** Commit -> parents; compareCommits walks it. */
  parents = new Map<string, string[]>();
  deployments: { id: number; sha: string; environment: string; statuses: { state: string; description: string }[] }[] = [];
  issues: { number: number; title: string; body: string; labels: string[]; state: "open" | "closed"; stateReason?: string }[] = [];
  issueComments: { id: number; issueNumber: number; body: string }[] = [];
  async compareCommits(_r: RepoRef, base: string, head: string): Promise<CommitRelation> {
    const ancestors = (sha: string) => {
      const seen = new Set<string>();
      const stack = [sha];
      while (stack.length) {
        const next = stack.pop()!;
        if (seen.has(next)) continue;
        seen.add(next);
        stack.push(...(this.parents.get(next) ?? []));
      }
      return seen;
    };
    const [ofBase, ofHead] = [ancestors(base), ancestors(head)];
    const ahead = [...ofHead].some((s) => !ofBase.has(s));
    const behind = [...ofBase].some((s) => !ofHead.has(s));
    return ahead && behind ? "diverged" : ahead ? "ahead" : behind ? "behind" : "identical";
  }
  defaultBranch = { branch: "main", sha: "b".repeat(40) };
  async defaultBranchHead() {
    return this.defaultBranch;
  }
  async createDeployment(_r: RepoRef, d: { sha: string; environment: string }) {
    const id = this.deployments.length + 1;
    this.deployments.push({ id, sha: d.sha, environment: d.environment, statuses: [] });
    return id;
  }
  async createDeploymentStatus(_r: RepoRef, id: number, status: { state: string; description: string }) {
    this.deployments.find((d) => d.id === id)!.statuses.push({ state: status.state, description: status.description });
  }
  async listIssues(_r: RepoRef, query: { label: string; state: "open" | "all" }) {
    return this.issues
      .filter((i) => i.labels.includes(query.label) && (query.state === "all" || i.state === "open"))
      .reverse()
      .map(({ number, title, body, state }) => ({ number, title, body, state }));
  }
  async createIssue(_r: RepoRef, issue: { title: string; body: string; labels: string[] }) {
    const number = this.issues.length + 1;
    this.issues.push({ number, ...issue, state: "open" });
    return number;
  }
  async updateIssue(_r: RepoRef, n: number, change: { title?: string; body?: string; state?: "open" | "closed"; stateReason?: string }) {
    Object.assign(this.issues.find((i) => i.number === n)!, change);
  }
  async addIssueComment(_r: RepoRef, issueNumber: number, body: string) {
    this.issueComments.push({ id: this.issueComments.length + 1, issueNumber, body });
    return this.issueComments.length;
  }
}

const quiet = { info() {}, warn() {}, error() {} };
const clock = { now: () => new Date("2026-11-24T10:00:00Z") };
const job = (over: Partial<PullRequestCheckJob> = {}): PullRequestCheckJob => ({
  kind: "pr-check",
  deliveryId: "d-1",
  installationId: 7,
  repo: { owner: "acme", repo: "mesh" },
  pullNumber: 12,
  baseSha: "b".repeat(40),
  headSha: "h".repeat(40),
  baseRef: "main",
  headRef: "canary",
  headRepoFullName: "acme/mesh",
  rerequested: false,
  ...over,
});
const files = (m: Record<string, string>): SourceFile[] => Object.entries(m).map(([path, content]) => ({ path, content }));

function setup(base: Record<string, string>, head: Record<string, string>, changedLines: number[] | "all" = "all") {
  const gh = new MemoryGitHub();
  gh.trees.set("b".repeat(40), files(base));
  gh.trees.set("h".repeat(40), files(head));
  gh.changed = Object.keys(head).map((path) => ({ path, status: "modified", changedLines: changedLines === "all" ? "all" : new Set(changedLines) }));
  return gh;
}
const deps = (gh: GitHubPort) => ({ github: gh, clock, logger: quiet, defaultPack: [] });

describe("the PR check job", () => {
  it("completes a clean change with success and one comment carrying the marker", async () => {
    const gh = setup({ "mesh/r.yaml": mesh("v1") }, { "mesh/r.yaml": mesh("v1") });
    const out = await runPullRequestCheck(job(), deps(gh));
    assert.deepEqual([out.status, out.conclusion], ["done", "success"]);
    assert.equal(gh.runs.length, 1);
    assert.equal(gh.comments.length, 1);
    assert.ok(gh.comments[0]!.body.startsWith(COMMENT_MARKER));
  });

  it("an error finding fails the check and is annotated on its changed line", async () => {
    const gh = setup({ "mesh/r.yaml": mesh("v1") }, { "mesh/r.yaml": mesh("v9") }, [25]);
    const out = await runPullRequestCheck(job(), deps(gh));
    assert.equal(out.conclusion, "failure");
    const ann = gh.runs[0]!.output!.annotations;
    assert.deepEqual(ann.map((a) => [a.path, a.startLine, a.level, a.title.split(" ")[0]]), [["mesh/r.yaml", 25, "failure", "MP0201"]]);
  });

  it("warnings only make the check neutral", async () => {
    const warn = `---\napiVersion: v1\nkind: Namespace\nmetadata: {name: shop}\n`;
    const gh = setup({ "mesh/r.yaml": mesh("v1") }, { "mesh/r.yaml": mesh("v1", warn) });
    const out = await runPullRequestCheck(job(), deps(gh));
    assert.equal(out.conclusion, "neutral", JSON.stringify(gh.runs[0]!.output!.annotations));
  });

  it("a redelivered webhook changes nothing", async () => {
    const gh = setup({ "mesh/r.yaml": mesh("v1") }, { "mesh/r.yaml": mesh("v1") });
    await runPullRequestCheck(job(), deps(gh));
    const again = await runPullRequestCheck(job(), deps(gh));
    assert.equal(again.status, "skipped");
    assert.equal(gh.runs.length, 1);
    assert.equal(gh.comments.length, 1);
    assert.equal(gh.treeReads.length, 2, "no tree read on the redelivery");
  });

  it("synchronize (a new delivery) edits the same comment", async () => {
    const gh = setup({ "mesh/r.yaml": mesh("v1") }, { "mesh/r.yaml": mesh("v1") });
    await runPullRequestCheck(job(), deps(gh));
    gh.trees.set("h".repeat(40), files({ "mesh/r.yaml": mesh("v9") }));
    await runPullRequestCheck(job({ deliveryId: "d-2" }), deps(gh));
    assert.equal(gh.comments.length, 1);
    assert.match(gh.comments[0]!.body, /MP0201/);
  });

  it("re-run from the Checks tab creates a new run even for the same delivery", async () => {
    const gh = setup({ "mesh/r.yaml": mesh("v1") }, { "mesh/r.yaml": mesh("v1") });
    await runPullRequestCheck(job(), deps(gh));
    await runPullRequestCheck(job({ rerequested: true }), deps(gh));
    assert.equal(gh.runs.length, 2);
  });

  it("a crash mid-job completes the check run with the error instead of leaving it in progress", async () => {
    const gh = setup({}, {});
    gh.failTree = true;
    const out = await runPullRequestCheck(job(), deps(gh));
    assert.equal(out.status, "failed");
    assert.deepEqual([gh.runs[0]!.status, gh.runs[0]!.conclusion], ["completed", "failure"]);
    assert.match(gh.runs[0]!.output!.summary, /502 for the tarball/);
    assert.equal(gh.comments.length, 0);
  });

  it("a run left in progress by a stopped worker is reused on retry, not duplicated", async () => {
    const gh = setup({ "mesh/r.yaml": mesh("v1") }, { "mesh/r.yaml": mesh("v1") });
    gh.runs.push({ id: 1, headSha: "h".repeat(40), externalId: "d-1", status: "in_progress" });
    await runPullRequestCheck(job(), deps(gh));
    assert.equal(gh.runs.length, 1);
    assert.equal(gh.runs[0]!.status, "completed");
  });

  it("a fork's pull request is read from the base repository, both revisions", async () => {
    const gh = setup({ "mesh/r.yaml": mesh("v1") }, { "mesh/r.yaml": mesh("v1") });
    await runPullRequestCheck(job({ headRepoFullName: "mallory/mesh" }), deps(gh));
    assert.deepEqual(gh.treeReads.map((r) => r.split("@")[0]), ["acme/mesh", "acme/mesh"]);
  });

  it("a pull request that turns a rule off in meshplan.yaml is still checked with the base rules", async () => {
    const gh = setup(
      { "meshplan.yaml": "policies: []\n", "mesh/r.yaml": mesh("v1") },
      { "meshplan.yaml": "policies: []\nrules:\n  MP0201: off\n", "mesh/r.yaml": mesh("v9") },
    );
    const out = await runPullRequestCheck(job(), deps(gh));
    assert.equal(out.conclusion, "failure");
    assert.match(gh.runs[0]!.output!.summary, /Check configuration changed/);
  });
});
