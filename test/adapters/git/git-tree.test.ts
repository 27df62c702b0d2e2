import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { GitError, readGitTree } from "../../../src/adapters/git/git-tree.js";
import { loadManifests } from "../../../src/manifests/load.js";

const gitEnv = { ...process.env, GIT_CONFIG_NOSYSTEM: "1", GIT_CONFIG_GLOBAL: "/dev/null" };

function git(dir: string, ...args: string[]): string {
  return execFileSync("git", ["-C", dir, "-c", "user.name=meshplan", "-c", "user.email=meshplan@example.com", "-c", "commit.gpgsign=false", ...args], {
    env: gitEnv,
    encoding: "utf8",
  }).trim();
}

function write(dir: string, rel: string, content: string | Uint8Array): void {
  mkdirSync(join(dir, rel, ".."), { recursive: true });
  writeFileSync(join(dir, rel), content);
}

const reviews = (weight: number) =>
  `apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata:\n  name: reviews\nspec:\n  hosts: [reviews]\n  http:\n  - route:\n    - destination: {host: reviews, subset: v1}\n      weight: ${weight}\n    - destination: {host: reviews, subset: v2}\n      weight: ${100 - weight}\n`;

describe("readGitTree", () => {
  let repo = "";
  let outside = "";
  let first = "";
  let second = "";
  // Bigger than a pipe buffer, so the cat-file stream arrives in many chunks.
  const big = `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: big\ndata:\n${Array.from({ length: 4000 }, (_, i) => `  key${i}: "${"x".repeat(40)}"\n`).join("")}`;
  const latin1 = new Uint8Array([...new TextEncoder().encode("kind: Note\nname: caf"), 0xe9, 0x0a]);

  before(() => {
    repo = mkdtempSync(join(tmpdir(), "meshplan-git-"));
    outside = mkdtempSync(join(tmpdir(), "meshplan-nogit-"));
    git(repo, "init", "-q", "-b", "main");
    write(repo, "mesh/reviews.yaml", reviews(80));
    write(repo, "mesh/copy of reviews.yaml", reviews(80));
    write(repo, "mesh/big.yaml", big);
    write(repo, "mesh/latin1.yaml", latin1);
    write(repo, "mesh/ratings.yml", "apiVersion: v1\nkind: Service\nmetadata:\n  name: ratings\n");
    write(repo, "docs/README.md", "# mesh\n");
    write(repo, ".github/workflows/ci.yml", "on: push\n");
    write(repo, "node_modules/dep/x.yaml", "kind: Vendored\n");
    write(repo, "config.json", '{"kind": "Config"}\n');
    symlinkSync("reviews.yaml", join(repo, "mesh", "link.yaml"));
    git(repo, "add", "-A");
    git(repo, "commit", "-q", "-m", "first");
    first = git(repo, "rev-parse", "HEAD");

    write(repo, "mesh/reviews.yaml", reviews(50));
    unlinkSync(join(repo, "mesh", "ratings.yml"));
    write(repo, "mesh/details.yaml", "apiVersion: v1\nkind: Service\nmetadata:\n  name: details\n");
    git(repo, "add", "-A");
    git(repo, "commit", "-q", "-m", "second");
    git(repo, "tag", "v2");
    second = git(repo, "rev-parse", "HEAD");

    // Uncommitted changes must not be read.
    write(repo, "mesh/reviews.yaml", reviews(0));
  });
  after(() => {
    rmSync(repo, { recursive: true, force: true });
    rmSync(outside, { recursive: true, force: true });
  });

  const text = (files: { path: string; content: Uint8Array | string }[], path: string) => {
    const f = files.find((x) => x.path === path);
    assert.ok(f, `${path} is in the tree`);
    return typeof f.content === "string" ? f.content : new TextDecoder().decode(f.content);
  };

  it("reads the first revision by commit id, manifests only, sorted", async () => {
    const tree = await readGitTree(repo, first);
    assert.equal(tree.commit, first);
    assert.deepEqual(tree.files.map((f) => f.path), [
      "config.json",
      "mesh/big.yaml",
      "mesh/copy of reviews.yaml",
      "mesh/latin1.yaml",
      "mesh/ratings.yml",
      "mesh/reviews.yaml",
    ]);
    assert.equal(text(tree.files, "mesh/reviews.yaml"), reviews(80));
    assert.equal(text(tree.files, "mesh/copy of reviews.yaml"), reviews(80));
  });

  it("reads the second revision by branch and tag, without the working-tree change", async () => {
    for (const ref of ["main", "v2", "HEAD"]) {
      const tree = await readGitTree(repo, ref);
      assert.equal(tree.commit, second);
      assert.equal(text(tree.files, "mesh/reviews.yaml"), reviews(50));
      assert.ok(!tree.files.some((f) => f.path === "mesh/ratings.yml"));
      assert.ok(tree.files.some((f) => f.path === "mesh/details.yaml"));
    }
    assert.equal((await readGitTree(repo, "HEAD~1")).commit, first);
  });

  it("returns blob bytes exactly, large and non-UTF-8 ones included", async () => {
    const { files } = await readGitTree(repo, first);
    assert.equal(text(files, "mesh/big.yaml"), big);
    assert.deepEqual(files.find((f) => f.path === "mesh/latin1.yaml")!.content, latin1);
    const loaded = loadManifests(files);
    assert.deepEqual(loaded.findings.map((f) => [f.code, f.file]), [
      ["MP0003", "config.json"],
      ["MP0006", "mesh/latin1.yaml"],
    ]);
    assert.deepEqual(loaded.resources.map((r) => r.name).sort(), ["big", "ratings", "reviews", "reviews"]);
  });

  it("reads only the given paths, files or directories", async () => {
    const tree = await readGitTree(repo, second, ["./mesh/reviews.yaml", "config.json"]);
    assert.deepEqual(tree.files.map((f) => f.path), ["config.json", "mesh/reviews.yaml"]);
    const dir = await readGitTree(repo, second, ["mesh/"]);
    assert.ok(dir.files.every((f) => f.path.startsWith("mesh/")));
    assert.equal(dir.files.length, 5);
  });

  const failures: { name: string; run: () => Promise<unknown>; code: string; message: RegExp }[] = [
    { name: "an unknown ref", run: () => readGitTree(repo, "no-such-branch"), code: "unknown-ref", message: /no-such-branch/ },
    { name: "a ref that looks like an option", run: () => readGitTree(repo, "--all"), code: "unknown-ref", message: /--all/ },
    { name: "a path missing in that revision", run: () => readGitTree(repo, first, ["mesh/details.yaml"]), code: "path-not-found", message: /mesh\/details\.yaml/ },
    { name: "a directory that is not a repository", run: () => readGitTree(outside, "HEAD"), code: "not-a-repository", message: /not a git repository/ },
    { name: "a directory that does not exist", run: () => readGitTree(join(outside, "nope"), "HEAD"), code: "not-a-repository", message: /not a git repository/ },
  ];
  for (const f of failures) {
    it(`fails with GitError ${f.code} for ${f.name}`, async () => {
      await assert.rejects(f.run(), (err: unknown) => {
        assert.ok(err instanceof GitError);
        assert.equal(err.code, f.code);
        assert.match(err.message, f.message);
        return true;
      });
    });
  }

  it("keeps git's own message as the cause of an unknown ref", async () => {
    await assert.rejects(readGitTree(repo, "no-such-branch"), (err: unknown) => {
      assert.ok(err instanceof GitError);
      assert.equal(err.ref, "no-such-branch");
      assert.equal(err.repoDir, repo);
      return true;
    });
    await assert.rejects(readGitTree(outside, "HEAD"), (err: unknown) => err instanceof GitError && err.cause instanceof Error);
  });
});
