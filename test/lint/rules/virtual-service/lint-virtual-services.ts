/**
 * Runs VirtualService rules on inline YAML or corpus files: manifests ->
 * analyzeTree (model and routing table) -> runRules with the default options.
 */
import { analyzeTree } from "../../../../src/jobs/analyze-tree.js";
import type { Finding } from "../../../../src/findings.js";
import type { SourceFile } from "../../../../src/manifests/types.js";
import { defaultRuleOptions, type LintRule, type RuleOptions } from "../../../../src/lint/rule.js";
import { runRules } from "../../../../src/lint/run-rules.js";
import { corpusFiles } from "../../../support/model.js";

export function lintFiles(rule: LintRule, files: readonly SourceFile[], options: Partial<RuleOptions> = {}): Finding[] {
  const analysis = analyzeTree(files);
  return runRules([rule], analysis.model, analysis.table, { ...defaultRuleOptions(), ...options });
}

/** `{ "mesh.yaml": "..." }`; the documents of all files are linted together. */
export function lintYaml(rule: LintRule, files: Record<string, string>, options: Partial<RuleOptions> = {}): Finding[] {
  return lintFiles(
    rule,
    Object.entries(files).map(([path, content]) => ({ path, content })),
    options,
  );
}

export function lintCorpus(rule: LintRule, relPaths: string[], options: Partial<RuleOptions> = {}): Finding[] {
  return lintFiles(rule, corpusFiles(relPaths), options);
}

/** `name path` of each finding, for compact assertions. */
export function located(findings: readonly Finding[]): string[] {
  return findings.map((f) => `${f.resource?.name ?? "?"} ${f.path ?? ""}`);
}

export function service(name: string, namespace: string, ports: number[], annotations: Record<string, string> = {}): string {
  const ann = Object.keys(annotations).length ? `\n  annotations: ${JSON.stringify(annotations)}` : "";
  return `apiVersion: v1
kind: Service
metadata:
  name: ${name}
  namespace: ${namespace}${ann}
spec:
  selector: { app: ${name} }
  ports: [${ports.map((p) => `{ name: http-${p}, port: ${p} }`).join(", ")}]
`;
}
