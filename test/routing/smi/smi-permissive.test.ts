import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { smiPermissive } from "../../../src/routing/smi/smi-permissive.js";
import { smiRoutes } from "../../../src/routing/smi/smi-routes.js";
import { repoRoot } from "../../support/corpus.js";
import { modelFromCorpus, modelFromYaml } from "../../support/model.js";

const meshConfig = (name: string, traffic: string) =>
  `apiVersion: config.openservicemesh.io/v1alpha2\nkind: MeshConfig\nmetadata: {name: ${name}, namespace: osm-system}\nspec:\n  traffic:\n${traffic}`;

describe("smiPermissive (OSM MeshConfig spec.traffic.enablePermissiveTrafficPolicyMode)", () => {
  it("is on with the OSM demo MeshConfig, which enables permissive mode", () => {
    assert.equal(smiPermissive(modelFromCorpus(["osm/manifests/meshconfig/mesh-config.yaml"]).model), true);
  });

  it("is off with the bookstore example's MeshConfig", () => {
    const dir = join(repoRoot, "examples", "bookstore", "base");
    const files = Object.fromEntries(readdirSync(dir).map((n) => [n, readFileSync(join(dir, n), "utf8")]));
    assert.equal(smiPermissive(modelFromYaml(files).model), false);
  });

  const cases: [string, Record<string, string>, boolean][] = [
    ["is off without any MeshConfig (OSM's default: false)", { "a.yaml": "apiVersion: v1\nkind: Namespace\nmetadata: {name: shop}\n" }, false],
    ["is off when the MeshConfig does not set the key", { "mc.yaml": meshConfig("osm-mesh-config", "    enableEgress: true\n") }, false],
    ["is off when the MeshConfig sets it false", { "mc.yaml": meshConfig("osm-mesh-config", "    enablePermissiveTrafficPolicyMode: false\n") }, false],
    [
      "follows osm-mesh-config, not another MeshConfig in the tree",
      {
        "a.yaml": meshConfig("copy", "    enablePermissiveTrafficPolicyMode: true\n"),
        "b.yaml": meshConfig("osm-mesh-config", "    enablePermissiveTrafficPolicyMode: false\n"),
      },
      false,
    ],
  ];
  for (const [name, files, expected] of cases) {
    it(name, () => {
      assert.equal(smiPermissive(modelFromYaml(files).model), expected);
    });
  }

  it("warns about a MeshConfig OSM does not read", () => {
    const { model } = modelFromYaml({
      "a.yaml": meshConfig("copy", "    enablePermissiveTrafficPolicyMode: true\n"),
      "b.yaml": meshConfig("osm-mesh-config", "    enablePermissiveTrafficPolicyMode: false\n"),
    });
    assert.deepEqual(
      smiRoutes(model).findings.map((f) => [f.code, f.severity, f.file, f.line, f.path]),
      [["MP0411", "warning", "a.yaml", 3, "metadata.name"]],
    );
  });
});
