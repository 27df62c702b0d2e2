import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { compactHosts } from "../../src/routing/compact-hosts.js";
import { routingEngines } from "../../src/routing/effective-routes.js";
import type { HostRoutes } from "../../src/routing/types.js";
import { emptyPolicies } from "../../src/routing/types.js";
import { modelFromCorpus } from "../support/model.js";

/** The engines' hosts as they build them, before the table is compacted. */
function engineHosts(paths: string[]): HostRoutes[] {
  const { model } = modelFromCorpus(paths);
  return routingEngines.flatMap((engine) => engine(model).hosts);
}

const corpora: [string, string[]][] = [
  ["bookinfo (Istio and Gateway API)", ["bookinfo"]],
  ["SMI traffic splits and targets", ["smi"]],
  ["Gateway API conformance and examples", ["gateway-api"]],
  ["OSM manifests", ["osm/manifests"]],
];

describe("compactHosts", () => {
  for (const [name, paths] of corpora) {
    it(`keeps every value of the ${name} tables`, () => {
      const hosts = engineHosts(paths);
      assert.ok(hosts.length > 0, "the corpus routes something");
      assert.deepEqual(compactHosts(hosts), hosts);
    });
  }

  it("shares one frozen record among rules without policies, and keeps rules that set one", () => {
    const hosts = compactHosts(engineHosts(["bookinfo"]));
    const rules = hosts.flatMap((h) => h.rules);
    const empty = rules.filter((r) => r.policies.timeout === null && r.policies.retries === null && r.policies.fault === null &&
      r.policies.mirror.length === 0 && r.policies.rewrite === null && r.policies.redirect === null &&
      r.policies.directResponse === null && r.policies.headers === null);
    assert.ok(empty.length > 1 && empty.length < rules.length, "bookinfo has rules with and without policies");
    assert.ok(empty.every((r) => r.policies === empty[0]!.policies));
    assert.ok(Object.isFrozen(empty[0]!.policies) && Object.isFrozen(empty[0]!.policies.mirror));
    assert.ok(rules.filter((r) => !empty.includes(r)).every((r) => !Object.isFrozen(r.policies)));
  });

  it("keeps a policies record that carries more than the known fields", () => {
    const extra = { ...emptyPolicies(), note: "kept" } as ReturnType<typeof emptyPolicies>;
    const [host] = compactHosts([
      {
        key: "istio|mesh|a|*|http",
        host: "a",
        port: null,
        protocol: "http",
        source: "istio",
        attachment: "mesh",
        rules: [{ id: "r", name: null, matches: [], backends: [], policies: extra, origin: { resource: { apiVersion: "v1", kind: "Service", namespace: null, name: "a" }, file: "a.yaml", line: 1, column: 1, path: "" } }],
        origins: [],
      },
    ]);
    assert.equal(host!.rules[0]!.policies, extra);
  });
});
