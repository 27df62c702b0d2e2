/**
 * Runs one rule over a tree given as files, the way `meshplan lint` does:
 * analyzeTree (load, model, routing table), then the rule.
 */
import assert from "node:assert/strict";
import type { Finding } from "../../../../src/findings.js";
import { analyzeTree } from "../../../../src/jobs/analyze-tree.js";
import type { SourceFile } from "../../../../src/manifests/types.js";
import type { LintRule } from "../../../../src/lint/rule.js";
import { defaultRuleOptions } from "../../../../src/lint/rule.js";
import { runRules } from "../../../../src/lint/run-rules.js";

export function lint(rule: LintRule, files: Record<string, string> | readonly SourceFile[]): Finding[] {
  const sources = Array.isArray(files) ? files : Object.entries(files).map(([path, content]) => ({ path, content }));
  const { model, table } = analyzeTree(sources);
  const findings = runRules([rule], model, table, defaultRuleOptions());
  assert.deepEqual(findings.filter((f) => f.code === "MP0090").map((f) => f.message), [], "the rule must not fail");
  for (const f of findings) assert.equal(f.code, rule.code);
  return findings;
}

/** 1-based number of the first line containing `needle` (or matching it), to check where a finding points. */
export function lineOf(yaml: string, needle: string | RegExp): number {
  const lines = yaml.split("\n");
  const i = lines.findIndex((l) => (typeof needle === "string" ? l.includes(needle) : needle.test(l)));
  assert.ok(i >= 0, `no line contains ${needle}`);
  return i + 1;
}
