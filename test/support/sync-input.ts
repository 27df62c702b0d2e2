/** Desired objects for syncCluster and the checks that share its input, loaded as the CLI and the jobs load a tree. */
import assert from "node:assert/strict";
import type { SyncInput } from "../../src/cluster/sync.js";
import { loadManifests } from "../../src/manifests/load.js";

/** Loads manifests, which must have no findings: a list is read as mesh/0.yaml, mesh/1.yaml, …; a record keeps its paths. */
export function desiredResources(manifests: readonly string[] | Record<string, string>) {
  const files = Array.isArray(manifests)
    ? manifests.map((content, i) => ({ path: `mesh/${i}.yaml`, content }))
    : Object.entries(manifests).map(([path, content]) => ({ path, content }));
  const loaded = loadManifests(files);
  assert.deepEqual(loaded.findings, []);
  return loaded.resources;
}

/** A plain `meshplan apply --prune` of the manifests as the ApplySet default/meshplan, from no commit, unless overridden. */
export function syncInput(manifests: readonly string[] | Record<string, string>, overrides: Partial<SyncInput> = {}): SyncInput {
  return {
    resources: desiredResources(manifests),
    unreadable: [],
    applySet: { name: "meshplan", namespace: "default" },
    defaultNamespace: "default",
    commit: null,
    version: "0.1.0",
    dryRun: false,
    prune: true,
    force: false,
    pruneGuard: { maxShare: 0.5, confirmed: false },
    ...overrides,
  };
}
