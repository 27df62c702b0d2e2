/** Shared by the Istio engine tests: build the table from corpus files or inline YAML and pick hosts out of it. */
import assert from "node:assert/strict";
import type { EngineResult } from "../../../src/routing/engine.js";
import { istioRoutes } from "../../../src/routing/istio/istio-routes.js";
import type { HostRoutes } from "../../../src/routing/types.js";
import { modelFromCorpus, modelFromYaml } from "../../support/model.js";

export const BOOKINFO_PLATFORM = "bookinfo/platform/kube/bookinfo.yaml";
export const BOOKINFO_SUBSETS = "bookinfo/networking/destination-rule-all.yaml";

export function tableFromCorpus(paths: string[]): EngineResult {
  const { model, findings } = modelFromCorpus(paths);
  assert.deepEqual(findings, [], "the corpus files load and validate cleanly");
  return istioRoutes(model);
}

export function tableFromYaml(files: Record<string, string>): EngineResult {
  const { model, findings } = modelFromYaml(files);
  assert.deepEqual(findings, [], "the inline manifests load and validate cleanly");
  return istioRoutes(model);
}

export function fqdn(name: string, namespace = "default"): string {
  return `${name}.${namespace}.svc.cluster.local`;
}

export function hostRoutes(result: EngineResult, host: string, attachment = "mesh", protocol = "http"): HostRoutes {
  const found = result.hosts.find((h) => h.host === host && h.attachment === attachment && h.protocol === protocol);
  assert.ok(found, `no ${protocol} routes for ${host} on ${attachment}; have ${result.hosts.map((h) => h.key).join(", ")}`);
  return found;
}

/** `subset:weight` (or `service:weight` without subset) per backend, in order. */
export function split(h: HostRoutes, rule: number): string[] {
  const r = h.rules[rule];
  assert.ok(r, `${h.key} has no rule ${rule}`);
  return r.backends.map((b) => `${b.subset ?? b.service}:${b.weight}`);
}
