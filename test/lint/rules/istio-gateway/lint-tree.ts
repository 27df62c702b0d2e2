/**
 * Runs one rule on a tree given as inline YAML files or corpus paths, the
 * way `meshplan lint` does: analyzeTree, then runRules with default options.
 */
import type { Finding } from "../../../../src/findings.js";
import { analyzeTree } from "../../../../src/jobs/analyze-tree.js";
import { defaultRuleOptions, type LintRule } from "../../../../src/lint/rule.js";
import { runRules } from "../../../../src/lint/run-rules.js";
import { corpusFiles } from "../../../support/model.js";

export function lintYaml(rule: LintRule, files: Record<string, string>): Finding[] {
  const analysis = analyzeTree(Object.entries(files).map(([path, content]) => ({ path, content })));
  return runRules([rule], analysis.model, analysis.table, defaultRuleOptions());
}

export function lintCorpus(rule: LintRule, paths: string[]): Finding[] {
  const analysis = analyzeTree(corpusFiles(paths));
  return runRules([rule], analysis.model, analysis.table, defaultRuleOptions());
}

/** `Gateway default/alpha spec.servers[0]`: what a finding is about, for compact assertions. */
export function subjects(findings: readonly Finding[]): string[] {
  return findings
    .map((f) => `${f.resource?.kind} ${f.resource?.namespace ?? "-"}/${f.resource?.name} ${f.path ?? ""}`.trim())
    .sort();
}
