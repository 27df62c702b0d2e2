import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { loadManifests } from "../../src/manifests/load.js";
import type { Resource } from "../../src/manifests/types.js";
import { effectiveNamespace, isClusterScoped, validateResources } from "../../src/manifests/validate.js";
import { corpusPath } from "../support/corpus.js";

function load(files: Record<string, string>): Resource[] {
  const { resources, findings } = loadManifests(Object.entries(files).map(([path, content]) => ({ path, content })));
  assert.deepEqual(findings, []);
  return resources;
}

const reviewsService = (extra = "") =>
  `apiVersion: v1\nkind: Service\nmetadata:\n  name: reviews\n${extra}spec:\n  selector:\n    app: reviews\n  ports:\n  - name: http\n    port: 9080\n`;

describe("validateResources", () => {
  it("passes kinds without a schema through untouched", () => {
    const [widget] = load({ "w.yaml": "apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: w\nspec:\n  size: [1, 2]\n" });
    const { valid, findings } = validateResources([widget!]);
    assert.deepEqual(findings, []);
    assert.equal(valid.get(widget!), widget!.object);
  });

  it("keeps a valid Service with its validated object", () => {
    const [svc] = load({ "svc.yaml": reviewsService() });
    const { valid, findings } = validateResources([svc!]);
    assert.deepEqual(findings, []);
    assert.deepEqual(valid.get(svc!), svc!.object);
  });

  it("keeps the loaded object itself when validation only writes its keys in another order", () => {
    const text =
      "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: reviews-v1\nspec:\n  replicas: 3\n" +
      "  selector:\n    matchLabels:\n      app: reviews\n  template:\n    metadata:\n      labels:\n        app: reviews\n" +
      "    spec:\n      containers:\n      - name: reviews\n        image: reviews:v1\n";
    const [deployment] = load({ "d.yaml": text });
    const { valid, findings } = validateResources([deployment!]);
    assert.deepEqual(findings, []);
    assert.equal(valid.get(deployment!), deployment!.object);
  });

  it("reports a string port as MP0010 at spec.ports[0].port and leaves the Service out", () => {
    const text = "apiVersion: v1\nkind: Service\nmetadata:\n  name: reviews\nspec:\n  ports:\n  - name: http\n    port: http\n";
    const [svc, other] = load({ "svc.yaml": text, "other.yaml": reviewsService("  namespace: other\n") });
    const { valid, findings } = validateResources([svc!, other!]);
    assert.deepEqual(
      findings.map((f) => [f.code, f.severity, f.path, f.file, f.line, f.column]),
      [["MP0010", "error", "spec.ports[0].port", "svc.yaml", 8, 11]],
    );
    assert.deepEqual(findings[0]!.equivalents, ["IST0106"]);
    assert.deepEqual(findings[0]!.resource, { apiVersion: "v1", kind: "Service", namespace: null, name: "reviews" });
    assert.deepEqual([...valid.keys()], [other]);
  });

  it("reports every violation of a resource, a missing required field at its nearest ancestor", () => {
    const text = [
      "apiVersion: apps/v1",
      "kind: Deployment",
      "metadata:",
      "  name: reviews-v1",
      "spec:",
      "  template:",
      "    metadata:",
      "      labels:",
      "        version: 1",
      "    spec:",
      "      serviceAccountName: bookinfo-reviews",
    ].join("\n");
    const [deploy] = load({ "d.yaml": text });
    const { valid, findings } = validateResources([deploy!]);
    assert.deepEqual(
      findings.map((f) => [f.path, f.line, f.column]).sort(),
      [
        ["spec.selector", 5, 1],
        ["spec.template.metadata.labels.version", 9, 18],
      ],
    );
    assert.equal(valid.size, 0);
  });

  it("reports a known kind in an unknown version as MP0011 and leaves it out", () => {
    const [svc] = load({ "svc.yaml": reviewsService().replace("apiVersion: v1", "apiVersion: v2") });
    const { valid, findings } = validateResources([svc!]);
    assert.deepEqual(findings.map((f) => [f.code, f.severity, f.path, f.line]), [["MP0011", "warning", "apiVersion", 1]]);
    assert.match(findings[0]!.message, /known versions: v1/);
    assert.equal(valid.size, 0);
  });

  it("validates a removed version (extensions/v1beta1 Deployment) and keeps it", () => {
    const text = [
      "apiVersion: extensions/v1beta1",
      "kind: Deployment",
      "metadata:",
      "  name: legacy",
      "spec:",
      "  template:",
      "    metadata:",
      "      labels: {app: legacy}",
      "    spec: {}",
    ].join("\n");
    const [legacy] = load({ "legacy.yaml": text });
    const { valid, findings } = validateResources([legacy!]);
    assert.deepEqual(findings, []);
    assert.ok(valid.has(legacy!));
  });

  it("reports an object declared twice on the second one, pointing at the first", () => {
    const resources = load({
      "a.yaml": `# the reviews service\n${reviewsService()}`,
      "b.yaml": reviewsService("  namespace: default\n"),
      "c.yaml": reviewsService("  namespace: other\n"),
    });
    const { valid, findings } = validateResources(resources);
    assert.deepEqual(findings.map((f) => [f.code, f.severity, f.file, f.line]), [["MP0012", "error", "b.yaml", 4]]);
    assert.match(findings[0]!.message, /Service default\/reviews/);
    assert.match(findings[0]!.message, /a\.yaml:2/);
    // kubectl applies both in order: the later declaration is the one the cluster keeps.
    assert.deepEqual([...valid.keys()].map((r) => r.file), ["b.yaml", "c.yaml"]);
  });

  it("treats the same object in two API versions as one object", () => {
    const deploy = (apiVersion: string) =>
      `apiVersion: ${apiVersion}\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: web}}\n    spec: {}\n`;
    const resources = load({ "v1.yaml": deploy("apps/v1"), "beta.yaml": deploy("apps/v1beta2") });
    const { findings } = validateResources(resources);
    assert.deepEqual(findings.map((f) => [f.code, f.file]), [["MP0012", "beta.yaml"]]);
  });

  it("keeps the earlier declaration when the later one is invalid", () => {
    const resources = load({ "a.yaml": reviewsService(), "b.yaml": reviewsService().replace("port: 9080", "port: -1") });
    const { valid, findings } = validateResources(resources);
    assert.deepEqual(findings.map((f) => f.code).sort(), ["MP0010", "MP0012"]);
    assert.deepEqual([...valid.keys()].map((r) => r.file), ["a.yaml"]);
  });

  it("ignores metadata.namespace of cluster-scoped kinds for identity", () => {
    const ns = (namespace: string) => `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: bookinfo\n  namespace: ${namespace}\n`;
    const resources = load({ "a.yaml": ns("east"), "b.yaml": ns("west") });
    assert.deepEqual(validateResources(resources).findings.map((f) => [f.code, f.file]), [["MP0012", "b.yaml"]]);
    assert.equal(effectiveNamespace(resources[0]!, "default"), null);
  });

  it("uses the given default namespace for objects that set none", () => {
    const resources = load({ "a.yaml": reviewsService(), "b.yaml": reviewsService("  namespace: default\n") });
    assert.deepEqual(validateResources(resources, { defaultNamespace: "bookinfo" }).findings, []);
  });

  const scopes: [group: string, kind: string, clusterScoped: boolean][] = [
    ["", "Namespace", true],
    ["rbac.authorization.k8s.io", "ClusterRole", true],
    ["apiextensions.k8s.io", "CustomResourceDefinition", true],
    ["", "Service", false],
    ["apps", "Deployment", false],
    ["example.com", "Widget", false],
  ];
  for (const [group, kind, clusterScoped] of scopes) {
    it(`knows ${group || "core"}/${kind} is ${clusterScoped ? "cluster-scoped" : "namespaced"}`, () => {
      assert.equal(isClusterScoped(group, kind), clusterScoped);
    });
  }

  it("finds no violation in the bookinfo platform manifests", () => {
    const { resources } = loadManifests([
      { path: "bookinfo.yaml", content: readFileSync(corpusPath("bookinfo/platform/kube/bookinfo.yaml")) },
    ]);
    const { valid, findings } = validateResources(resources);
    assert.deepEqual(findings, []);
    assert.equal(valid.size, resources.length);
    // No second copy of any object: the schemas add nothing, so each validated object is the loaded one.
    for (const [res, value] of valid) assert.equal(value, res.object, `${res.kind} ${res.name}`);
  });
});
