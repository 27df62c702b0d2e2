/**
 * Loading a second revision of a tree: unchanged files are taken over from
 * the first, so a pull request's head costs little more than its changed
 * files, and what is taken over is exactly what loading them again gives.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { isDeepStrictEqual } from "node:util";
import { loadManifests } from "../../src/manifests/load.js";
import { validateResources } from "../../src/manifests/validate.js";
import type { SourceFile } from "../../src/manifests/types.js";

const bytes = (s: string) => new TextEncoder().encode(s);
const svc = (name: string, port: number) =>
  `apiVersion: v1\nkind: Service\nmetadata:\n  name: ${name}\n  namespace: shop\nspec:\n  selector:\n    app: ${name}\n  ports:\n    - name: http\n      port: ${port}\n`;

describe("loadManifests with a previous revision", () => {
  const base: SourceFile[] = [
    { path: "a.yaml", content: bytes(svc("a", 80)) },
    { path: "b.yaml", content: bytes(svc("b", 80)) },
    { path: "broken.yaml", content: bytes("kind: [unclosed\n") },
  ];
  const head: SourceFile[] = [
    // The same bytes in a different buffer, as the head's tarball hands them over.
    { path: "a.yaml", content: bytes(svc("a", 80)) },
    { path: "b.yaml", content: bytes(svc("b", 8080)) },
    { path: "broken.yaml", content: bytes("kind: [unclosed\n") },
  ];
  const first = loadManifests(base);
  const second = loadManifests(head, undefined, first.files);

  it("takes over the Resources and findings of files whose bytes did not change", () => {
    assert.equal(second.resources[0], first.resources[0]);
    assert.equal(second.findings.length, 1);
    assert.equal(second.findings[0], first.findings[0]);
  });

  it("loads a changed file again", () => {
    assert.notEqual(second.resources[1], first.resources[1]);
    assert.deepEqual((second.resources[1]!.object["spec"] as { ports: { port: number }[] }).ports[0]!.port, 8080);
  });

  it("gives what loading the head alone gives, positions included", () => {
    const alone = loadManifests(head);
    assert.equal(second.resources.length, alone.resources.length);
    second.resources.forEach((r, i) => {
      const o = alone.resources[i]!;
      assert.ok(isDeepStrictEqual(r.object, o.object));
      assert.deepEqual(r.locate(["spec", "ports", 0, "port"]), o.locate(["spec", "ports", 0, "port"]));
    });
    assert.deepEqual(second.findings, alone.findings);
  });

  it("does not take over files loaded with other options", () => {
    const strict = loadManifests(head, { maxAliasCount: 5 }, first.files);
    assert.notEqual(strict.resources[0], first.resources[0]);
  });

  it("checks a taken-over Resource against its schema once, with the same outcome", () => {
    const a = validateResources(first.resources);
    const b = validateResources(second.resources);
    assert.equal(b.valid.get(second.resources[0]!), a.valid.get(first.resources[0]!));
  });
});

describe("loaded objects", () => {
  it("keep values JSON cannot carry (YAML .inf and .nan), and a cycle through an alias", () => {
    const { resources, findings } = loadManifests([
      { path: "n.yaml", content: "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: numbers}\ndata:\n  big: .inf\n  none: .nan\n  nothing: ~\n" },
      { path: "c.yaml", content: "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cycle}\ndata: &d\n  self: *d\n" },
    ]);
    assert.deepEqual(findings, []);
    const data = resources[0]!.object["data"] as Record<string, unknown>;
    assert.equal(data["big"], Infinity);
    assert.ok(Number.isNaN(data["none"]));
    assert.equal(data["nothing"], null);
    const cyclic = resources[1]!.object["data"] as Record<string, unknown>;
    assert.equal(cyclic["self"], cyclic);
  });
});
