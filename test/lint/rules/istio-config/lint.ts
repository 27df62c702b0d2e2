/**
 * Runs one rule over inline manifests or corpus files, the way the lint job
 * does: analyzeTree for the model and routing table, then runRules.
 */
import type { Finding } from "../../../../src/findings.js";
import { analyzeTree } from "../../../../src/jobs/analyze-tree.js";
import { defaultRuleOptions, type LintRule, type RuleOptions } from "../../../../src/lint/rule.js";
import { runRules } from "../../../../src/lint/run-rules.js";
import type { SourceFile } from "../../../../src/manifests/types.js";
import { corpusFiles } from "../../../support/model.js";

export function lintFiles(rule: LintRule, files: readonly SourceFile[], options: Partial<RuleOptions> = {}): Finding[] {
  const analysis = analyzeTree(files);
  return runRules([rule], analysis.model, analysis.table, { ...defaultRuleOptions(), ...options });
}

/** `{ "mesh.yaml": "apiVersion: ..." }`; the keys are file paths. */
export function lintYaml(rule: LintRule, files: Record<string, string>, options: Partial<RuleOptions> = {}): Finding[] {
  return lintFiles(
    rule,
    Object.entries(files).map(([path, content]) => ({ path, content })),
    options,
  );
}

/** Files of the istioctl analyzer testdata in the shared corpus. */
export function lintAnalyzerTestdata(rule: LintRule, names: string[]): Finding[] {
  return lintFiles(rule, corpusFiles(names.map((n) => `istio-analyzers/testdata/${n}`)));
}

/** `Kind namespace/name path` of each finding, sorted: what the tests compare. */
export function located(findings: readonly Finding[]): string[] {
  return findings
    .map((f) => `${f.resource?.kind} ${f.resource?.namespace ?? "-"}/${f.resource?.name} ${f.path ?? ""}`)
    .sort();
}

/** The MeshConfig of a tree, as istiod reads it: ConfigMap istio-system/istio, key `mesh`. */
export function meshConfigMap(mesh: string): string {
  return `apiVersion: v1
kind: ConfigMap
metadata: { name: istio, namespace: istio-system }
data:
  mesh: |
${mesh
  .trim()
  .split("\n")
  .map((l) => `    ${l}`)
  .join("\n")}
`;
}
