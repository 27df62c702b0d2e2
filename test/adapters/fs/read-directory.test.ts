import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { DirectoryReadError, readDirectory } from "../../../src/adapters/fs/read-directory.js";

const decode = (b: Uint8Array | string) => (typeof b === "string" ? b : new TextDecoder().decode(b));

describe("readDirectory", () => {
  let root = "";
  before(() => {
    root = mkdtempSync(join(tmpdir(), "meshplan-dir-"));
    const files: Record<string, string> = {
      "b.yml": "kind: B\n",
      "a.yaml": "kind: A\n",
      "c.json": '{"kind": "C"}\n',
      "notes.txt": "not a manifest\n",
      "README.md": "# docs\n",
      ".hidden.yaml": "kind: Hidden\n",
      "apps/reviews/service.yaml": "kind: Service\n",
      "apps/reviews/deploy.YAML": "kind: Deployment\n",
      "apps/Z.yaml": "kind: Z\n",
      "node_modules/pkg/x.yaml": "kind: Vendored\n",
      ".github/workflows/ci.yml": "on: push\n",
      "apps/.cache/tmp.yaml": "kind: Cached\n",
    };
    for (const [rel, content] of Object.entries(files)) {
      mkdirSync(join(root, rel, ".."), { recursive: true });
      writeFileSync(join(root, rel), content);
    }
    symlinkSync(join(root, "a.yaml"), join(root, "apps", "linked.yaml"));
    symlinkSync(join(root, "apps"), join(root, "apps", "loop"));
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  it("lists manifests recursively, sorted, with forward-slash paths relative to the root", async () => {
    const files = await readDirectory(root);
    assert.deepEqual(
      files.map((f) => f.path),
      [".hidden.yaml", "a.yaml", "apps/Z.yaml", "apps/linked.yaml", "apps/reviews/deploy.YAML", "apps/reviews/service.yaml", "b.yml", "c.json"],
    );
    assert.equal(decode(files[1]!.content), "kind: A\n");
    assert.ok(files[1]!.content instanceof Uint8Array);
  });

  it("skips node_modules and dot-directories but not dot-files", async () => {
    const paths = (await readDirectory(root)).map((f) => f.path);
    assert.ok(!paths.some((p) => p.startsWith("node_modules/") || p.startsWith(".github/") || p.includes("/.cache/")));
    assert.ok(paths.includes(".hidden.yaml"));
  });

  it("reads only the given directories and files, a named file whatever its extension", async () => {
    const files = await readDirectory(root, ["apps/reviews/", "notes.txt", "./a.yaml", "apps/reviews/service.yaml"]);
    assert.deepEqual(files.map((f) => f.path), ["a.yaml", "apps/reviews/deploy.YAML", "apps/reviews/service.yaml", "notes.txt"]);
  });

  it("fails with a clear message for a missing path", async () => {
    await assert.rejects(readDirectory(root, ["apps/ratings"]), (err: unknown) => {
      assert.ok(err instanceof DirectoryReadError);
      assert.equal(err.path, "apps/ratings");
      assert.match(err.message, /apps\/ratings: no such file or directory/);
      return true;
    });
  });

  it("refuses a path outside the root", async () => {
    await assert.rejects(readDirectory(join(root, "apps"), ["../a.yaml"]), /outside/);
  });

  it("fails for a root that does not exist or is a file", async () => {
    await assert.rejects(readDirectory(join(root, "nope")), (err: unknown) => err instanceof DirectoryReadError && /not found/.test(err.message));
    await assert.rejects(readDirectory(join(root, "a.yaml")), /is not a directory/);
  });
});
