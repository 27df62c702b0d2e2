import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { createGitHubPort, DeploymentNotCreatedError, GitHubTreeError } from "../../../src/adapters/github/github-port.js";
import type { CheckAnnotation } from "../../../src/jobs/ports.js";
import { fakeSha, githubFixture } from "../../support/github-double/index.js";

const text = (content: string | Uint8Array) => (typeof content === "string" ? content : new TextDecoder().decode(content));

const reviews = (weight: number) =>
  `apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata:\n  name: reviews\nspec:\n  hosts: [reviews]\n  http:\n  - route:\n    - destination: {host: reviews, subset: v1}\n      weight: ${weight}\n    - destination: {host: reviews, subset: v2}\n      weight: ${100 - weight}\n`;

function annotations(count: number): CheckAnnotation[] {
  return Array.from({ length: count }, (_, i) => ({
    path: "mesh/reviews.yaml",
    startLine: 10 + (i % 3),
    endLine: 10 + (i % 3),
    startColumn: 7,
    endColumn: 13,
    level: i % 2 ? "warning" : "failure",
    title: `MP1001 rule ${i}`,
    message: `finding ${i}`,
  }));
}

/** A check run in progress on a one-commit repository, with the request log cleared. */
async function inProgressCheckRun() {
  const { double, octokit, repo } = githubFixture();
  const head = fakeSha("head");
  double.addCommit("acme", "mesh", head, { "mesh/reviews.yaml": reviews(80) });
  const port = createGitHubPort(octokit);
  const id = await port.createCheckRun(repo, { name: "meshplan", headSha: head, externalId: "d", startedAt: new Date(), title: "Planning", summary: "..." });
  double.clearLog();
  return { double, port, repo, id };
}

describe("GitHub port: readTree", () => {
  it("keeps the manifests of nested directories and leaves out dot-directories, node_modules, other files and links", async () => {
    const { double, octokit, repo } = githubFixture();
    const sha = fakeSha("tree");
    const long = `mesh/${"very-long-directory-name/".repeat(5)}gateway.yaml`;
    double.addCommit("acme", "mesh", sha, {
      "mesh/reviews.yaml": reviews(80),
      "mesh/istio/nested/deep/ratings.yml": "kind: DestinationRule\n",
      "mesh/café routes.yaml": "kind: HTTPRoute\n",
      [long]: "kind: Gateway\n",
      "meshplan.json": "{}\n",
      "README.md": "# mesh\n",
      "docs/diagram.png": new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 1, 2]),
      ".github/workflows/ci.yml": "on: push\n",
      "mesh/.drafts/old.yaml": "kind: VirtualService\n",
      "node_modules/dep/x.yaml": "kind: Vendored\n",
      "mesh/link.yaml": { symlink: "reviews.yaml" },
    });

    const files = await createGitHubPort(octokit).readTree(repo, sha);

    assert.deepEqual(
      files.map((f) => f.path),
      ["mesh/café routes.yaml", "mesh/istio/nested/deep/ratings.yml", "mesh/reviews.yaml", long, "meshplan.json"].sort(),
    );
    assert.equal(text(files.find((f) => f.path === "mesh/reviews.yaml")!.content), reviews(80));
    assert.equal(text(files.find((f) => f.path === long)!.content), "kind: Gateway\n");
    assert.deepEqual(double.violations, []);
  });

  it("reads a 1,000-file repository with one archive request, plus the installation token", async () => {
    const { double, octokit, repo } = githubFixture();
    const sha = fakeSha("big");
    const files: Record<string, string> = {};
    for (let i = 0; i < 1000; i++) files[`mesh/team-${i % 20}/service-${i}.yaml`] = reviews(i % 101);
    double.addCommit("acme", "mesh", sha, files);
    const port = createGitHubPort(octokit);

    const tree = await port.readTree(repo, sha);

    assert.equal(tree.length, 1000);
    assert.deepEqual(
      double.apiRequests().map((r) => `${r.method} ${r.operationId} ${r.status}`),
      ["POST apps/create-installation-access-token 201", "GET repos/download-tarball-archive 302"],
    );
    // The 302 is followed to the archive itself, as on GitHub (codeload.github.com).
    assert.equal(double.requests.filter((r) => r.codeload && r.status === 200).length, 1);

    await port.readTree(repo, sha);
    assert.equal(double.apiRequests().length, 3, "a second revision costs one more request; the token is reused");
    assert.deepEqual(double.violations, []);
  });

  it("refuses a manifest over the per-file limit, naming it", async () => {
    const { double, octokit, repo } = githubFixture();
    const sha = fakeSha("large-file");
    double.addCommit("acme", "mesh", sha, { "mesh/small.yaml": "a: 1\n", "mesh/huge.yaml": "x".repeat(5000), "docs/huge.txt": "x".repeat(50_000) });

    await assert.rejects(createGitHubPort(octokit, { maxFileBytes: 4096 }).readTree(repo, sha), (err: unknown) => {
      assert.ok(err instanceof GitHubTreeError);
      assert.equal(err.code, "file-too-large");
      assert.equal(err.path, "mesh/huge.yaml");
      assert.match(err.message, /mesh\/huge\.yaml .* 5000 bytes/);
      return true;
    });
  });

  it("stops reading an archive that unpacks to more than the archive limit", async () => {
    const { double, octokit, repo } = githubFixture();
    const sha = fakeSha("large-archive");
    // Highly compressible: a few KB on the wire, 2 MB unpacked.
    double.addCommit("acme", "mesh", sha, { "assets/zeros.bin": new Uint8Array(2 * 1024 * 1024), "mesh/a.yaml": "a: 1\n" });

    await assert.rejects(createGitHubPort(octokit, { maxArchiveBytes: 1024 * 1024 }).readTree(repo, sha), (err: unknown) => {
      assert.ok(err instanceof GitHubTreeError);
      assert.equal(err.code, "archive-too-large");
      return true;
    });
  });

  it("reports a commit GitHub does not have as an unavailable archive", async () => {
    const { octokit, repo } = githubFixture();
    const missing = fakeSha("never pushed");

    await assert.rejects(createGitHubPort(octokit).readTree(repo, missing), (err: unknown) => {
      assert.ok(err instanceof GitHubTreeError);
      assert.equal(err.code, "archive-unavailable");
      assert.match(err.message, new RegExp(`acme/mesh at ${missing.slice(0, 12)}: Not Found`));
      return true;
    });
  });
});

describe("GitHub port: listChangedFiles", () => {
  it("lists every changed file across pages, with the head lines each adds", async () => {
    const { double, octokit, repo } = githubFixture({ double: { maxPatchBytes: 2000 } });
    const base = fakeSha("base");
    const head = fakeSha("head");
    const baseFiles: Record<string, string> = { "mesh/reviews.yaml": reviews(100), "mesh/old-name.yaml": "kind: Service\n", "mesh/gone.yaml": "kind: Gone\n" };
    const headFiles: Record<string, string> = { "mesh/reviews.yaml": reviews(80), "mesh/new-name.yaml": "kind: Service\n", "mesh/generated.yaml": "k: v\n".repeat(1000) };
    for (let i = 0; i < 230; i++) headFiles[`mesh/services/svc-${String(i).padStart(3, "0")}.yaml`] = `kind: Service\nmetadata:\n  name: svc-${i}\n`;
    double.addCommit("acme", "mesh", base, baseFiles);
    double.addCommit("acme", "mesh", head, headFiles);
    double.addPullRequest("acme", "mesh", { number: 12, baseSha: base, headSha: head, baseRef: "main", headRef: "shift-reviews" });

    const changed = await createGitHubPort(octokit).listChangedFiles(repo, 12);

    assert.equal(changed.length, 234);
    const byPath = new Map(changed.map((c) => [c.path, c]));
    assert.deepEqual(byPath.get("mesh/reviews.yaml"), { path: "mesh/reviews.yaml", status: "modified", changedLines: new Set([10, 12]) });
    assert.deepEqual(byPath.get("mesh/services/svc-007.yaml"), { path: "mesh/services/svc-007.yaml", status: "added", changedLines: new Set([1, 2, 3]) });
    // GitHub leaves out the patch of a large diff: every line may carry a finding.
    assert.deepEqual(byPath.get("mesh/generated.yaml"), { path: "mesh/generated.yaml", status: "added", changedLines: "all" });
    // Moved without a change: no patch and no changed lines.
    assert.deepEqual(byPath.get("mesh/new-name.yaml"), { path: "mesh/new-name.yaml", status: "renamed", changedLines: new Set() });
    assert.deepEqual(byPath.get("mesh/gone.yaml"), { path: "mesh/gone.yaml", status: "removed", changedLines: new Set() });
    assert.equal(double.apiRequests().filter((r) => r.operationId === "pulls/list-files").length, 3, "100 files per page");
    assert.deepEqual(double.violations, []);
  });
});

describe("GitHub port: check runs", () => {
  it("creates an in-progress run with its external id, start time and output", async () => {
    const { double, octokit, repo } = githubFixture();
    const head = fakeSha("head");
    double.addCommit("acme", "mesh", head, { "mesh/reviews.yaml": reviews(80) });

    const id = await createGitHubPort(octokit).createCheckRun(repo, {
      name: "meshplan",
      headSha: head,
      externalId: "delivery-1",
      startedAt: new Date("2024-05-01T10:00:00.123Z"),
      title: "Planning",
      summary: "meshplan is computing the routing",
    });

    const [run] = double.checkRuns("acme", "mesh");
    assert.equal(run?.id, id);
    assert.equal(run?.status, "in_progress");
    assert.equal(run?.externalId, "delivery-1");
    assert.equal(run?.startedAt, "2024-05-01T10:00:00Z");
    assert.deepEqual(run?.output, { title: "Planning", summary: "meshplan is computing the routing", text: null });
    assert.deepEqual(double.violations, []);
  });

  it("finds every run of the name on the commit, older ones included, with their external ids", async () => {
    const { double, octokit, repo } = githubFixture();
    const head = fakeSha("head");
    double.addCommit("acme", "mesh", head, { "mesh/reviews.yaml": reviews(80) });
    const port = createGitHubPort(octokit);
    const start = { headSha: head, startedAt: new Date(), title: "Planning", summary: "..." };
    const first = await port.createCheckRun(repo, { ...start, name: "meshplan", externalId: "delivery-1" });
    const second = await port.createCheckRun(repo, { ...start, name: "meshplan", externalId: "delivery-2" });
    await port.createCheckRun(repo, { ...start, name: "lint", externalId: "delivery-3" });

    const runs = await port.listCheckRuns(repo, head, "meshplan");

    assert.deepEqual(
      runs.map((r) => [r.id, r.externalId, r.status]).sort(),
      [
        [first, "delivery-1", "in_progress"],
        [second, "delivery-2", "in_progress"],
      ].sort(),
    );
    assert.deepEqual(double.violations, []);
  });

  it("completes a run with 120 annotations in three requests of at most 50, the last one completing it", async () => {
    const { double, port, repo, id } = await inProgressCheckRun();

    await port.completeCheckRun(repo, id, {
      conclusion: "failure",
      completedAt: new Date("2024-05-01T10:01:00Z"),
      output: { title: "2 errors", summary: "## Plan", text: "details", annotations: annotations(120) },
    });

    assert.deepEqual(
      double.apiRequests().map((r) => `${r.method} ${r.operationId}`),
      ["PATCH checks/update", "PATCH checks/update", "PATCH checks/update"],
    );
    const [run] = double.checkRuns("acme", "mesh");
    assert.deepEqual(
      run?.history.map((h) => [h.operation, h.status, h.annotations]),
      [
        ["create", "in_progress", 0],
        ["update", "in_progress", 50],
        ["update", "in_progress", 50],
        ["update", "completed", 20],
      ],
    );
    assert.equal(run?.conclusion, "failure");
    assert.equal(run?.completedAt, "2024-05-01T10:01:00Z");
    assert.deepEqual(run?.output, { title: "2 errors", summary: "## Plan", text: "details" });
    assert.equal(run?.annotations.length, 120);
    assert.deepEqual(run?.annotations[119], {
      path: "mesh/reviews.yaml",
      start_line: 12,
      end_line: 12,
      start_column: 7,
      end_column: 13,
      annotation_level: "warning",
      title: "MP1001 rule 119",
      message: "finding 119",
    });
    assert.deepEqual(double.violations, []);
  });

  it("completes a run without annotations in one request", async () => {
    const { double, port, repo, id } = await inProgressCheckRun();

    await port.completeCheckRun(repo, id, { conclusion: "success", completedAt: new Date(), output: { title: "No changes", summary: "Nothing to plan", annotations: [] } });

    assert.equal(double.apiRequests().length, 1);
    assert.equal(double.checkRuns("acme", "mesh")[0]?.status, "completed");
    assert.deepEqual(double.violations, []);
  });

  it("fits annotations and output to GitHub's limits instead of having them refused", async () => {
    const { double, port, repo, id } = await inProgressCheckRun();

    await port.completeCheckRun(repo, id, {
      conclusion: "neutral",
      completedAt: new Date(),
      output: {
        title: "Findings",
        summary: "é".repeat(70_000),
        annotations: [
          { path: "mesh/reviews.yaml", startLine: 4, endLine: 9, startColumn: 3, endColumn: 5, level: "notice", title: "t".repeat(300), message: "m".repeat(70 * 1024), rawDetails: "r" },
          { path: "mesh/reviews.yaml", startLine: 0, endLine: 0, level: "failure", title: "file-level", message: "the file cannot be parsed" },
        ],
      },
    });

    const [run] = double.checkRuns("acme", "mesh");
    assert.equal(run?.status, "completed");
    assert.equal([...(run?.output.summary ?? "")].length, 65_535);
    assert.match(run?.output.summary ?? "", /cut to GitHub's limit of 65535 characters\)$/);
    const [spanning, fileLevel] = run?.annotations ?? [];
    // Columns only on single-line annotations (GitHub: "Omit this parameter if start_line and end_line have different values").
    assert.equal(spanning?.start_column, undefined);
    assert.equal(spanning?.title?.length, 255);
    assert.ok(Buffer.byteLength(spanning?.message ?? "") <= 64 * 1024);
    assert.equal(spanning?.raw_details, "r");
    assert.deepEqual([fileLevel?.start_line, fileLevel?.end_line], [1, 1]);
    assert.deepEqual(double.violations, []);
  });
});

describe("GitHub port: upsertComment", () => {
  const marker = "<!-- meshplan:plan -->";

  it("creates the plan comment once, then edits it in place", async () => {
    const { double, octokit, repo } = githubFixture();
    const base = fakeSha("base");
    const head = fakeSha("head");
    double.addCommit("acme", "mesh", base, {});
    double.addCommit("acme", "mesh", head, {});
    double.addPullRequest("acme", "mesh", { number: 5, baseSha: base, headSha: head, baseRef: "main", headRef: "x" });
    const port = createGitHubPort(octokit);

    const first = await port.upsertComment(repo, 5, marker, `${marker}\nreviews: v1 100% -> v1 80%, v3 20%`);
    double.clearLog();
    const second = await port.upsertComment(repo, 5, marker, `${marker}\nreviews: v1 100% -> v1 50%, v3 50%`);

    assert.equal(first.created, true);
    assert.deepEqual(second, { id: first.id, created: false });
    const comments = double.comments("acme", "mesh", 5);
    assert.equal(comments.length, 1);
    assert.equal(comments[0]?.body, `${marker}\nreviews: v1 100% -> v1 50%, v3 50%`);
    assert.equal(comments[0]?.user.login, "meshplan[bot]");
    assert.deepEqual(
      double.apiRequests().map((r) => r.operationId),
      ["issues/list-comments", "issues/update-comment"],
    );
    assert.deepEqual(double.violations, []);
  });

  it("does not send an edit when the plan is unchanged", async () => {
    const { double, octokit, repo } = githubFixture();
    const sha = fakeSha("c");
    double.addCommit("acme", "mesh", sha, {});
    double.addPullRequest("acme", "mesh", { number: 5, baseSha: sha, headSha: sha, baseRef: "main", headRef: "x" });
    const port = createGitHubPort(octokit);
    await port.upsertComment(repo, 5, marker, `${marker}\nsame`);
    double.clearLog();

    await port.upsertComment(repo, 5, marker, `${marker}\nsame`);

    assert.deepEqual(
      double.apiRequests().map((r) => r.operationId),
      ["issues/list-comments"],
    );
  });

  it("finds its comment on a later page of a long conversation", async () => {
    const { double, octokit, repo } = githubFixture();
    const sha = fakeSha("c");
    double.addCommit("acme", "mesh", sha, {});
    double.addPullRequest("acme", "mesh", { number: 9, baseSha: sha, headSha: sha, baseRef: "main", headRef: "x" });
    for (let i = 0; i < 150; i++) double.addIssueComment("acme", "mesh", 9, { body: `looks good ${i}`, user: "reviewer" });
    const ours = double.addIssueComment("acme", "mesh", 9, { body: `${marker}\nold plan`, user: "meshplan[bot]", type: "Bot" });

    const result = await createGitHubPort(octokit).upsertComment(repo, 9, marker, `${marker}\nnew plan`);

    assert.deepEqual(result, { id: ours, created: false });
    assert.equal(double.apiRequests().filter((r) => r.operationId === "issues/list-comments").length, 2);
    assert.equal(double.comments("acme", "mesh", 9).at(-1)?.body, `${marker}\nnew plan`);
    assert.deepEqual(double.violations, []);
  });

  it("leaves a person's comment that quotes the marker alone", async () => {
    const { double, octokit, repo } = githubFixture();
    const sha = fakeSha("c");
    double.addCommit("acme", "mesh", sha, {});
    double.addPullRequest("acme", "mesh", { number: 5, baseSha: sha, headSha: sha, baseRef: "main", headRef: "x" });
    double.addIssueComment("acme", "mesh", 5, { body: `Why does the bot write ${marker}?`, user: "reviewer" });

    const result = await createGitHubPort(octokit).upsertComment(repo, 5, marker, `${marker}\nplan`);

    assert.equal(result.created, true);
    assert.deepEqual(
      double.comments("acme", "mesh", 5).map((c) => c.body),
      [`Why does the bot write ${marker}?`, `${marker}\nplan`],
    );
  });

  it("cuts a body over GitHub's 65,536 characters rather than having it refused", async () => {
    const { double, octokit, repo } = githubFixture();
    const sha = fakeSha("c");
    double.addCommit("acme", "mesh", sha, {});
    double.addPullRequest("acme", "mesh", { number: 5, baseSha: sha, headSha: sha, baseRef: "main", headRef: "x" });

    await createGitHubPort(octokit).upsertComment(repo, 5, marker, `${marker}\n${"x".repeat(70_000)}`);

    const [comment] = double.comments("acme", "mesh", 5);
    assert.equal(comment?.body.length, 65_536);
    assert.ok(comment?.body.startsWith(marker));
    assert.deepEqual(double.violations, []);
  });
});

describe("GitHub port: compareCommits", () => {
  //   root - a - b   (main)
  //           \
  //            c      (canary)
  const root = fakeSha("root");
  const a = fakeSha("a");
  const b = fakeSha("b");
  const c = fakeSha("c");

  const cases: [string, string, string, string][] = [
    ["a commit and itself are identical", b, b, "identical"],
    ["a later commit on the branch is ahead", root, b, "ahead"],
    ["an earlier commit on the branch is behind", b, a, "behind"],
    ["commits on two branches off one commit have diverged", b, c, "diverged"],
  ];
  for (const [name, base, head, relation] of cases) {
    it(name, async () => {
      const { double, octokit, repo } = githubFixture();
      double.addCommit("acme", "mesh", root, { "mesh/reviews.yaml": reviews(100) }, { branch: "main" });
      double.addCommit("acme", "mesh", a, { "mesh/reviews.yaml": reviews(90) }, { branch: "main" });
      double.addCommit("acme", "mesh", b, { "mesh/reviews.yaml": reviews(80) }, { branch: "main" });
      double.addCommit("acme", "mesh", c, { "mesh/reviews.yaml": reviews(50) }, { branch: "canary", parents: [a] });

      assert.equal(await createGitHubPort(octokit).compareCommits(repo, base, head), relation);

      const [request] = double.apiRequests().filter((r) => r.operationId === "repos/compare-commits-with-basehead");
      assert.equal(request?.path, `/repos/acme/mesh/compare/${base}...${head}`);
      assert.equal(new URLSearchParams(request?.query).get("per_page"), "1", "only the status is read");
      assert.deepEqual(double.violations, []);
    });
  }

  it("fails for a commit GitHub does not have", async () => {
    const { double, octokit, repo } = githubFixture();
    double.addCommit("acme", "mesh", root, {}, { branch: "main" });

    await assert.rejects(createGitHubPort(octokit).compareCommits(repo, root, fakeSha("never pushed")), { status: 404 });
  });
});

describe("GitHub port: defaultBranchHead", () => {
  it("finds the default branch and the last commit pushed to it", async () => {
    const { double, octokit, repo } = githubFixture();
    const first = fakeSha("first");
    const second = fakeSha("second");
    double.addCommit("acme", "mesh", first, { "mesh/reviews.yaml": reviews(100) }, { branch: "main" });
    double.addCommit("acme", "mesh", second, { "mesh/reviews.yaml": reviews(80) }, { branch: "main" });
    double.addCommit("acme", "mesh", fakeSha("canary"), { "mesh/reviews.yaml": reviews(50) }, { branch: "canary", parents: [second] });

    const head = await createGitHubPort(octokit).defaultBranchHead(repo);

    assert.deepEqual(head, { branch: "main", sha: second });
    assert.deepEqual(
      double.apiRequests().map((r) => `${r.operationId} ${r.path}`),
      ["apps/create-installation-access-token /app/installations/2718/access_tokens", "repos/get /repos/acme/mesh", "repos/get-branch /repos/acme/mesh/branches/main"],
    );
    assert.deepEqual(double.violations, []);
  });

  it("follows a default branch that is not main, whatever its name", async () => {
    const { double, octokit } = githubFixture();
    const repo = { owner: "acme", repo: "routes" };
    double.addRepo("acme", "routes", { defaultBranch: "release/2026" });
    double.addCommit("acme", "routes", fakeSha("main"), {}, { branch: "main" });
    double.addCommit("acme", "routes", fakeSha("release"), {}, { branch: "release/2026" });

    assert.deepEqual(await createGitHubPort(octokit).defaultBranchHead(repo), { branch: "release/2026", sha: fakeSha("release") });
    assert.deepEqual(double.violations, []);
  });

  it("fails with 404 for a repository GitHub does not have, and for one with no commit on its default branch", async () => {
    const { double, octokit, repo } = githubFixture();
    const port = createGitHubPort(octokit);

    await assert.rejects(port.defaultBranchHead({ owner: "acme", repo: "gone" }), { status: 404 });
    await assert.rejects(port.defaultBranchHead(repo), { status: 404, message: /Branch not found/ });
    assert.deepEqual(double.violations, []);
  });
});

describe("GitHub port: deployments", () => {
  const sha = fakeSha("rollout");

  it("deploys exactly the commit, without auto-merge or required contexts, and returns the deployment id", async () => {
    const { double, octokit, repo } = githubFixture();
    double.addCommit("acme", "mesh", sha, { "mesh/reviews.yaml": reviews(80) });

    const id = await createGitHubPort(octokit).createDeployment(repo, {
      sha,
      environment: "prod-eu",
      description: "meshplan rollout of 80/20 reviews",
      task: "deploy:mesh",
      payload: { cluster: "prod-eu", delivery: "d-1" },
    });

    const [deployment] = double.deployments("acme", "mesh");
    assert.equal(deployment?.id, id);
    assert.deepEqual(
      {
        sha: deployment?.sha,
        ref: deployment?.ref,
        environment: deployment?.environment,
        description: deployment?.description,
        task: deployment?.task,
        payload: deployment?.payload,
        autoMerge: deployment?.autoMerge,
        requiredContexts: deployment?.requiredContexts,
        transient: deployment?.transientEnvironment,
        production: deployment?.productionEnvironment,
      },
      {
        sha,
        ref: sha,
        environment: "prod-eu",
        description: "meshplan rollout of 80/20 reviews",
        task: "deploy:mesh",
        payload: { cluster: "prod-eu", delivery: "d-1" },
        autoMerge: false,
        requiredContexts: [],
        transient: false,
        production: false,
      },
    );
    assert.deepEqual(double.violations, []);
  });

  it("leaves task and payload to GitHub's defaults when not given", async () => {
    const { double, octokit, repo } = githubFixture();
    double.addCommit("acme", "mesh", sha, {});

    await createGitHubPort(octokit).createDeployment(repo, { sha, environment: "production", description: "rollout" });

    const [deployment] = double.deployments("acme", "mesh");
    assert.deepEqual([deployment?.task, deployment?.payload, deployment?.productionEnvironment], ["deploy", {}, true]);
    assert.deepEqual(double.violations, []);
  });

  it("turns GitHub's 202 merge answer, which creates no deployment, into an error", async () => {
    const { double, octokit, repo } = githubFixture();
    double.addCommit("acme", "mesh", sha, {});
    double.failNext({ method: "POST", path: "/repos/{owner}/{repo}/deployments", status: 202, body: { message: "Auto-merged main into canary on deployment." } });

    await assert.rejects(createGitHubPort(octokit).createDeployment(repo, { sha, environment: "prod-eu", description: "rollout" }), (err: unknown) => {
      assert.ok(err instanceof DeploymentNotCreatedError);
      assert.deepEqual([err.sha, err.environment, err.repo], [sha, "prod-eu", repo]);
      assert.match(err.message, /created no deployment of acme\/mesh at .* to prod-eu \(status 202: Auto-merged main into canary on deployment\.\)/);
      return true;
    });
    assert.deepEqual(double.deployments("acme", "mesh"), []);
  });

  it("fails for a commit GitHub does not have", async () => {
    const { octokit, repo } = githubFixture();

    await assert.rejects(createGitHubPort(octokit).createDeployment(repo, { sha: fakeSha("never pushed"), environment: "prod-eu", description: "rollout" }), { status: 422 });
  });

  it("records statuses with their links, and a success marks the previous successful deployment inactive", async () => {
    const { double, octokit, repo } = githubFixture();
    double.addCommit("acme", "mesh", sha, {});
    const port = createGitHubPort(octokit);
    const first = await port.createDeployment(repo, { sha, environment: "prod-eu", description: "first" });
    await port.createDeploymentStatus(repo, first, { state: "success", description: "applied 12 objects" });
    const second = await port.createDeployment(repo, { sha, environment: "prod-eu", description: "second" });

    await port.createDeploymentStatus(repo, second, { state: "in_progress", description: "applying", logUrl: "https://logs.example.com/run/2" });
    await port.createDeploymentStatus(repo, second, { state: "success", description: "applied 12 objects", environmentUrl: "https://eu.example.com" });

    const [older, newer] = double.deployments("acme", "mesh");
    assert.deepEqual(
      older?.statuses.map((s) => s.state),
      ["success", "inactive"],
    );
    assert.deepEqual(
      newer?.statuses.map((s) => [s.state, s.description, s.environment, s.logUrl, s.environmentUrl]),
      [
        ["in_progress", "applying", "prod-eu", "https://logs.example.com/run/2", ""],
        ["success", "applied 12 objects", "prod-eu", "", "https://eu.example.com"],
      ],
    );
    assert.deepEqual(double.violations, []);
  });

  it("keeps the previous deployment active when asked to", async () => {
    const { double, octokit, repo } = githubFixture();
    double.addCommit("acme", "mesh", sha, {});
    const port = createGitHubPort(octokit);
    const first = await port.createDeployment(repo, { sha, environment: "prod-eu", description: "first" });
    await port.createDeploymentStatus(repo, first, { state: "success", description: "applied" });
    const next = await port.createDeployment(repo, { sha, environment: "prod-eu", description: "second" });

    await port.createDeploymentStatus(repo, next, { state: "success", description: "applied", autoInactive: false });

    assert.deepEqual(
      double.deployments("acme", "mesh").map((d) => d.statuses.map((s) => s.state)),
      [["success"], ["success"]],
    );
  });

  it("cuts a description over GitHub's 140 characters with an ellipsis rather than having it refused", async () => {
    const { double, octokit, repo } = githubFixture();
    double.addCommit("acme", "mesh", sha, {});
    const port = createGitHubPort(octokit);
    const id = await port.createDeployment(repo, { sha, environment: "prod-eu", description: "rollout" });
    const exact = "é".repeat(140);
    const long = `failed to apply: ${"VirtualService shop/reviews rejected by the admission webhook; ".repeat(5)}`;

    await port.createDeploymentStatus(repo, id, { state: "in_progress", description: exact });
    await port.createDeploymentStatus(repo, id, { state: "failure", description: long });

    const [kept, cut] = double.deployments("acme", "mesh")[0]?.statuses ?? [];
    assert.equal(kept?.description, exact);
    assert.equal([...(cut?.description ?? "")].length, 140);
    assert.equal(cut?.description, `${[...long].slice(0, 139).join("")}…`);
    assert.deepEqual(double.violations, []);
  });

  it("fails for a deployment GitHub does not have", async () => {
    const { octokit, repo } = githubFixture();

    await assert.rejects(createGitHubPort(octokit).createDeploymentStatus(repo, 42, { state: "success", description: "applied" }), { status: 404 });
  });
});

describe("GitHub port: drift issues", () => {
  const label = "meshplan:drift";

  it("lists the issues with the label, newest first, leaving out pull requests", async () => {
    const { double, octokit, repo } = githubFixture();
    const sha = fakeSha("c");
    double.addCommit("acme", "mesh", sha, {});
    const port = createGitHubPort(octokit);
    const older = await port.createIssue(repo, { title: "Drift on prod-eu", body: "3 objects differ", labels: [label] });
    double.addPullRequest("acme", "mesh", { number: older + 1, baseSha: sha, headSha: sha, baseRef: "main", headRef: "fix-drift" });
    const person = double.addIssue("acme", "mesh", { title: "Drift on prod-us?", labels: [label, "question"], user: "oncall" });
    await port.createIssue(repo, { title: "Unrelated", body: "", labels: ["meshplan:other"] });

    const issues = await port.listIssues(repo, { label, state: "open" });

    assert.deepEqual(issues, [
      { number: person, title: "Drift on prod-us?", body: "", state: "open" },
      { number: older, title: "Drift on prod-eu", body: "3 objects differ", state: "open" },
    ]);
    const [request] = double.apiRequests().filter((r) => r.operationId === "issues/list-for-repo");
    const query = new URLSearchParams(request?.query);
    assert.deepEqual([query.get("labels"), query.get("state"), query.get("per_page")], [label, "open", "100"]);
    assert.deepEqual(double.violations, []);
  });

  it("leaves out a pull request that carries the label, which GitHub lists among the issues", async () => {
    const { double, octokit, repo } = githubFixture();
    const sha = fakeSha("c");
    double.addCommit("acme", "mesh", sha, {});
    double.addIssue("acme", "mesh", { title: "Drift on prod-eu", labels: [label], user: "oncall" });
    double.addPullRequest("acme", "mesh", { number: 2, baseSha: sha, headSha: sha, baseRef: "main", headRef: "fix-drift", labels: [label] });
    const raw = await octokit.rest.issues.listForRepo({ ...repo, labels: label, state: "all" });
    assert.deepEqual(
      raw.data.map((i) => [i.number, i.pull_request !== undefined]),
      [
        [2, true],
        [1, false],
      ],
    );

    const issues = await createGitHubPort(octokit).listIssues(repo, { label, state: "all" });

    assert.deepEqual(
      issues.map((i) => i.number),
      [1],
    );
    assert.deepEqual(double.violations, []);
  });

  it("pages through more than 100 issues, and includes closed ones when asked", async () => {
    const { double, octokit, repo } = githubFixture();
    const created = new Date("2026-01-05T09:00:00Z");
    for (let i = 0; i < 130; i++) double.addIssue("acme", "mesh", { title: `Drift ${i}`, body: `run ${i}`, labels: [label], user: "meshplan[bot]", type: "Bot", createdAt: created });
    double.addIssue("acme", "mesh", { title: "Resolved drift", labels: [label], user: "oncall", state: "closed", createdAt: created });
    const port = createGitHubPort(octokit);

    const open = await port.listIssues(repo, { label, state: "open" });
    const all = await port.listIssues(repo, { label, state: "all" });

    assert.equal(open.length, 130);
    assert.deepEqual(open.slice(0, 2).map((i) => i.number), [130, 129]);
    assert.equal(open.at(-1)?.title, "Drift 0");
    assert.equal(all.length, 131);
    assert.deepEqual(all[0], { number: 131, title: "Resolved drift", body: "", state: "closed" });
    assert.equal(double.apiRequests().filter((r) => r.operationId === "issues/list-for-repo").length, 4, "two pages of 100 for each listing");
    assert.deepEqual(double.violations, []);
  });

  it("opens an issue with its labels as the app, cutting a body over 65,536 characters with a note", async () => {
    const { double, octokit, repo } = githubFixture();
    const port = createGitHubPort(octokit);

    const small = await port.createIssue(repo, { title: "Drift on prod-eu", body: "3 objects differ", labels: [label, "cluster:prod-eu"] });
    const large = await port.createIssue(repo, { title: "Drift on prod-us", body: `## Drift\n${"- VirtualService shop/reviews\n".repeat(3000)}`, labels: [label] });

    const [first, second] = double.issues("acme", "mesh");
    assert.deepEqual(
      [first?.number, first?.title, first?.body, first?.labels, first?.user.login],
      [small, "Drift on prod-eu", "3 objects differ", [label, "cluster:prod-eu"], "meshplan[bot]"],
    );
    assert.equal(second?.number, large);
    assert.equal(second?.body?.length, 65_536);
    assert.match(second?.body ?? "", /^## Drift\n[\s\S]*cut to GitHub's limit of 65536 characters\)$/);
    assert.deepEqual(double.violations, []);
  });

  it("edits, closes as not planned and reopens an issue, sending only what changes", async () => {
    const { double, octokit, repo } = githubFixture();
    const port = createGitHubPort(octokit);
    const number = await port.createIssue(repo, { title: "Drift on prod-eu", body: "3 objects differ", labels: [label] });

    await port.updateIssue(repo, number, { body: "5 objects differ" });
    const edited = double.issues("acme", "mesh")[0];
    await port.updateIssue(repo, number, { state: "closed", stateReason: "not_planned" });
    const closed = double.issues("acme", "mesh")[0];
    await port.updateIssue(repo, number, { title: "Drift on prod-eu again", state: "open", stateReason: "reopened" });
    const reopened = double.issues("acme", "mesh")[0];

    assert.deepEqual([edited?.title, edited?.body, edited?.state], ["Drift on prod-eu", "5 objects differ", "open"]);
    assert.deepEqual([closed?.state, closed?.stateReason, closed?.closedAt !== null], ["closed", "not_planned", true]);
    assert.deepEqual([reopened?.title, reopened?.state, reopened?.stateReason, reopened?.closedAt], ["Drift on prod-eu again", "open", "reopened", null]);
    assert.deepEqual(double.violations, []);
  });

  it("closes an issue as completed", async () => {
    const { double, octokit, repo } = githubFixture();
    const port = createGitHubPort(octokit);
    const number = await port.createIssue(repo, { title: "Drift on prod-eu", body: "3 objects differ", labels: [label] });

    await port.updateIssue(repo, number, { state: "closed", stateReason: "completed" });

    assert.deepEqual(await port.listIssues(repo, { label, state: "open" }), []);
    assert.equal(double.issues("acme", "mesh")[0]?.stateReason, "completed");
    assert.deepEqual(double.violations, []);
  });

  it("comments on an issue, cutting a body over 65,536 characters", async () => {
    const { double, octokit, repo } = githubFixture();
    const port = createGitHubPort(octokit);
    const number = await port.createIssue(repo, { title: "Drift on prod-eu", body: "3 objects differ", labels: [label] });

    const id = await port.addIssueComment(repo, number, "Still drifting at 4f2a9c1");
    await port.addIssueComment(repo, number, "x".repeat(70_000));

    const comments = double.comments("acme", "mesh", number);
    assert.deepEqual([comments[0]?.id, comments[0]?.body, comments[0]?.user.login], [id, "Still drifting at 4f2a9c1", "meshplan[bot]"]);
    assert.equal(comments[1]?.body.length, 65_536);
    assert.deepEqual(double.violations, []);
  });

  it("fails for an issue GitHub does not have", async () => {
    const { octokit, repo } = githubFixture();

    await assert.rejects(createGitHubPort(octokit).updateIssue(repo, 404, { state: "closed" }), { status: 404 });
  });
});
