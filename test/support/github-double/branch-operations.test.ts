/**
 * The GitHub double's repository and branch lookups (GET /repos/{owner}/{repo},
 * GET /repos/{owner}/{repo}/branches/{branch}): full response objects, the
 * branch head as the last commit added to the branch, GitHub's 404s, and the
 * permissions each needs.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { fakeSha, githubFixture } from "./index.js";

const at = (minute: number) => new Date(Date.UTC(2026, 0, 5, 9, minute));

describe("GitHub double: repositories and branches", () => {
  it("describes a repository with its default branch, owner and last push", async () => {
    const { double, octokit } = githubFixture();
    double.addRepo("acme", "routes", { defaultBranch: "trunk" });
    // Older history (imported) does not make the last push older than the repository; a commit made since does.
    const later = new Date(Math.ceil(Date.now() / 1000) * 1000 + 60_000);
    double.addCommit("acme", "routes", fakeSha("one"), { "mesh/a.yaml": "a: 1\n" }, { committedAt: at(1) });
    double.addCommit("acme", "routes", fakeSha("two"), { "mesh/a.yaml": "a: 2\n" }, { committedAt: later });

    const { data } = await octokit.rest.repos.get({ owner: "acme", repo: "routes" });

    assert.equal(data.full_name, "acme/routes");
    assert.equal(data.default_branch, "trunk");
    assert.equal(data.owner.login, "acme");
    assert.equal(data.organization?.login, "acme");
    assert.equal(data.private, true);
    assert.equal(data.pushed_at, later.toISOString().replace(".000Z", "Z"));
    assert.ok(data.created_at < data.pushed_at);
    assert.match(data.branches_url, /\/repos\/acme\/routes\/branches\{\/branch\}$/);
    assert.deepEqual(double.violations, []);
  });

  it("gives a branch's head as the last commit added to it, with its parents", async () => {
    const { double, octokit, repo } = githubFixture();
    const [first, second, other] = [fakeSha("first"), fakeSha("second"), fakeSha("other")];
    double.addCommit("acme", "mesh", first, {}, { branch: "main", committedAt: at(1) });
    double.addCommit("acme", "mesh", second, {}, { branch: "main", committedAt: at(2), message: "Shift reviews to v2" });
    double.addCommit("acme", "mesh", other, {}, { branch: "canary", parents: [first], committedAt: at(3) });

    const { data: main } = await octokit.rest.repos.getBranch({ ...repo, branch: "main" });
    const { data: canary } = await octokit.rest.repos.getBranch({ ...repo, branch: "canary" });

    assert.equal(main.name, "main");
    assert.equal(main.commit.sha, second);
    assert.equal(main.commit.commit.message, "Shift reviews to v2");
    assert.deepEqual(
      main.commit.parents.map((p) => p.sha),
      [first],
    );
    assert.equal(main.protected, false);
    assert.match(main._links.self, /\/repos\/acme\/mesh\/branches\/main$/);
    assert.equal(canary.commit.sha, other);
    assert.deepEqual(double.violations, []);
  });

  it("finds a branch whose name has a slash", async () => {
    const { double, octokit, repo } = githubFixture();
    double.addCommit("acme", "mesh", fakeSha("release"), {}, { branch: "release/2026.01" });

    const { data } = await octokit.rest.repos.getBranch({ ...repo, branch: "release/2026.01" });

    assert.deepEqual([data.name, data.commit.sha], ["release/2026.01", fakeSha("release")]);
    assert.deepEqual(double.violations, []);
  });

  it("answers 404 for a repository or branch it does not have, as GitHub words it", async () => {
    const { double, octokit, repo } = githubFixture();
    double.addCommit("acme", "mesh", fakeSha("only"), {}, { branch: "main" });

    await assert.rejects(octokit.rest.repos.get({ owner: "acme", repo: "gone" }), { status: 404, message: /Not Found/ });
    await assert.rejects(octokit.rest.repos.getBranch({ ...repo, branch: "gone" }), { status: 404, message: /Branch not found/ });
    // A repository of an account the app is not installed on is hidden, not refused.
    double.addRepo("globex", "mesh");
    await assert.rejects(octokit.rest.repos.get({ owner: "globex", repo: "mesh" }), { status: 404 });
    assert.deepEqual(double.violations, []);
  });

  it("needs metadata to describe a repository and contents to read a branch", async () => {
    const { double, octokit, repo } = githubFixture({ permissions: { metadata: "read", checks: "write" } });
    double.addCommit("acme", "mesh", fakeSha("only"), {}, { branch: "main" });

    assert.equal((await octokit.rest.repos.get(repo)).data.default_branch, "main");
    await assert.rejects(octokit.rest.repos.getBranch({ ...repo, branch: "main" }), { status: 403, message: /Resource not accessible by integration/ });
    assert.deepEqual(double.violations, []);
  });
});
