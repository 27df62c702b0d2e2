/**
 * The GitHub double's commit comparison (GET /repos/{owner}/{repo}/compare/{base}...{head}):
 * status and counts from the parent graph, commit order and pages, files from
 * the merge base, and GitHub's 404s.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { fakeSha, githubFixture } from "./index.js";

const sha = {
  root: fakeSha("root"),
  a: fakeSha("a"),
  b: fakeSha("b"),
  c: fakeSha("c"),
  d: fakeSha("d"),
  merge: fakeSha("merge"),
  orphan: fakeSha("orphan"),
};
const at = (minute: number) => new Date(Date.UTC(2026, 0, 5, 9, minute));

/**
 *   root - a - b - merge   (main)
 *           \     /
 *            c - d         (shift-reviews)
 *   orphan                 (gh-pages, unrelated history)
 */
function graph() {
  const fixture = githubFixture();
  const { double } = fixture;
  double.addCommit("acme", "mesh", sha.root, { "mesh/reviews.yaml": "weight: 100\n" }, { branch: "main", committedAt: at(0) });
  double.addCommit("acme", "mesh", sha.a, { "mesh/reviews.yaml": "weight: 90\n" }, { branch: "main", committedAt: at(1) });
  double.addCommit("acme", "mesh", sha.c, { "mesh/reviews.yaml": "weight: 90\n", "mesh/ratings.yaml": "weight: 50\n" }, { branch: "shift-reviews", parents: [sha.a], committedAt: at(2) });
  double.addCommit("acme", "mesh", sha.b, { "mesh/reviews.yaml": "weight: 80\n" }, { branch: "main", committedAt: at(3) });
  double.addCommit("acme", "mesh", sha.d, { "mesh/reviews.yaml": "weight: 70\n", "mesh/ratings.yaml": "weight: 50\n" }, { branch: "shift-reviews", committedAt: at(4) });
  double.addCommit("acme", "mesh", sha.merge, { "mesh/reviews.yaml": "weight: 70\n", "mesh/ratings.yaml": "weight: 50\n" }, { branch: "main", parents: [sha.b, sha.d], committedAt: at(5) });
  double.addCommit("acme", "mesh", sha.orphan, { "index.html": "<p>docs</p>\n" }, { branch: "gh-pages", committedAt: at(6) });
  return fixture;
}

describe("GitHub double: comparing commits", () => {
  it("follows a branch's previous head as the parent unless told otherwise, and makes other commits roots", async () => {
    const { double, octokit, repo } = githubFixture();
    double.addCommit("acme", "mesh", sha.root, {}, { branch: "main" });
    double.addCommit("acme", "mesh", sha.a, {}, { branch: "main" });
    double.addCommit("acme", "mesh", sha.c, {}, { branch: "topic", parents: [sha.root] });
    double.addCommit("acme", "mesh", sha.orphan, {});
    const compare = (base: string, head: string) => octokit.rest.repos.compareCommitsWithBasehead({ ...repo, basehead: `${base}...${head}` });

    assert.deepEqual((await compare(sha.root, sha.a)).data.commits.map((c) => c.parents.map((p) => p.sha)), [[sha.root]]);
    assert.equal((await compare(sha.a, sha.c)).data.status, "diverged");
    await assert.rejects(compare(sha.a, sha.orphan), { status: 404 });
    assert.throws(() => double.addCommit("acme", "mesh", sha.d, {}, { parents: [fakeSha("never added")] }), /is not a commit of acme\/mesh/);
  });

  const cases: { name: string; base: string; head: string; status: string; ahead: number; behind: number; mergeBase: string; commits: string[] }[] = [
    { name: "the same commit is identical", base: sha.b, head: sha.b, status: "identical", ahead: 0, behind: 0, mergeBase: sha.b, commits: [] },
    { name: "a descendant is ahead", base: sha.root, head: sha.b, status: "ahead", ahead: 2, behind: 0, mergeBase: sha.root, commits: [sha.a, sha.b] },
    { name: "an ancestor is behind", base: sha.b, head: sha.a, status: "behind", ahead: 0, behind: 1, mergeBase: sha.a, commits: [] },
    { name: "two branches off one commit have diverged", base: sha.b, head: sha.d, status: "diverged", ahead: 2, behind: 1, mergeBase: sha.a, commits: [sha.c, sha.d] },
    { name: "a merge is ahead of both its parents", base: sha.d, head: sha.merge, status: "ahead", ahead: 2, behind: 0, mergeBase: sha.d, commits: [sha.b, sha.merge] },
    { name: "branch names resolve to their heads", base: "shift-reviews", head: "main", status: "ahead", ahead: 2, behind: 0, mergeBase: sha.d, commits: [sha.b, sha.merge] },
    { name: "short shas and owner: prefixes resolve", base: `acme:${sha.a.slice(0, 7)}`, head: `acme:${sha.c.slice(0, 10)}`, status: "ahead", ahead: 1, behind: 0, mergeBase: sha.a, commits: [sha.c] },
  ];
  for (const c of cases) {
    it(c.name, async () => {
      const { double, octokit, repo } = graph();

      const { data } = await octokit.rest.repos.compareCommitsWithBasehead({ ...repo, basehead: `${c.base}...${c.head}` });

      assert.deepEqual(
        { status: data.status, ahead: data.ahead_by, behind: data.behind_by, total: data.total_commits, mergeBase: data.merge_base_commit.sha },
        { status: c.status, ahead: c.ahead, behind: c.behind, total: c.ahead, mergeBase: c.mergeBase },
      );
      assert.deepEqual(
        data.commits.map((x) => x.sha),
        c.commits,
      );
      assert.deepEqual(double.violations, [], "the response fits GitHub's description");
    });
  }

  it("describes the base and merge-base commits with their parents", async () => {
    const { octokit, repo } = graph();

    const { data } = await octokit.rest.repos.compareCommitsWithBasehead({ ...repo, basehead: `${sha.d}...${sha.merge}` });

    assert.equal(data.base_commit.sha, sha.d);
    assert.deepEqual(
      data.commits.at(-1)?.parents.map((p) => p.sha),
      [sha.b, sha.d],
    );
    assert.equal(data.commits[0]?.commit.committer?.date, "2026-01-05T09:03:00Z");
    assert.equal(data.permalink_url, `https://github.com/acme/mesh/compare/acme:${sha.d}...acme:${sha.merge}`);
  });

  it("lists the files changed since the merge base, on the first page only", async () => {
    const { double, octokit, repo } = graph();
    const basehead = `${sha.b}...${sha.d}`;

    const first = await octokit.rest.repos.compareCommitsWithBasehead({ ...repo, basehead, per_page: 1 });
    const second = await octokit.rest.repos.compareCommitsWithBasehead({ ...repo, basehead, per_page: 1, page: 2 });

    // From a (the merge base) to d, not from b: b's own change to reviews is not the head's.
    assert.deepEqual(
      first.data.files?.map((f) => [f.filename, f.status, f.patch]),
      [
        ["mesh/ratings.yaml", "added", "@@ -0,0 +1 @@\n+weight: 50"],
        ["mesh/reviews.yaml", "modified", "@@ -1 +1 @@\n-weight: 90\n+weight: 70"],
      ],
    );
    assert.deepEqual(
      [first.data.commits.map((c) => c.sha), second.data.commits.map((c) => c.sha)],
      [[sha.c], [sha.d]],
    );
    assert.equal(first.data.total_commits, 2, "counts cover the whole comparison, not the page");
    assert.match(first.headers.link ?? "", /[?&]page=2[^>]*>; rel="next"/);
    assert.deepEqual(second.data.files, []);
    assert.deepEqual(double.violations, []);
  });

  it("answers 404 for a commit it does not have, a malformed basehead, another owner's ref and unrelated histories", async () => {
    const { double, octokit, repo } = graph();
    const compare = (basehead: string) => octokit.rest.repos.compareCommitsWithBasehead({ ...repo, basehead });

    await assert.rejects(compare(`${sha.b}...${fakeSha("never pushed")}`), { status: 404, message: /Not Found/ });
    await assert.rejects(compare(`${sha.b}..${sha.d}`), { status: 404 });
    await assert.rejects(compare(`globex:main...${sha.d}`), { status: 404 });
    await assert.rejects(compare(`main...gh-pages`), { status: 404, message: /No common ancestor between main and gh-pages/ });
    assert.deepEqual(double.violations, []);
  });

  it("needs the contents permission", async () => {
    const { double, octokit, repo } = githubFixture({ permissions: { checks: "write", metadata: "read" } });
    double.addCommit("acme", "mesh", sha.root, {}, { branch: "main" });

    await assert.rejects(octokit.rest.repos.compareCommitsWithBasehead({ ...repo, basehead: `${sha.root}...${sha.root}` }), {
      status: 403,
      message: /Resource not accessible by integration/,
    });
  });
});
