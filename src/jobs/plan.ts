/**
 * The plan: how routing and findings change from a base revision to a head
 * revision. Pure; the same function serves `meshplan plan` and PR checks.
 *
 * Both revisions are checked with the BASE revision's rules (meshplan.yaml
 * and policies): a change cannot weaken the checks that judge it. When the
 * head changes those rules, the plan says so and previews their effect.
 */
import { findingInFile } from "../findings.js";
import { configCodes } from "../config/config-codes.js";
import type { SourceFile } from "../manifests/types.js";
import { diffFindings, diffRouting } from "../routing/diff.js";
import type { PlanReport, RulesChange } from "../report/plan-report.js";
import type { AnalyzeOptions } from "./analyze-tree.js";
import { checkTree, manifestsOf, rulesFromTree, type CheckRules, type TreeCheck } from "./check-tree.js";

export interface PlanTree {
  /** What people call this revision: a ref name, a directory. */
  label: string;
  commit: string | null;
  /** Every YAML/JSON file of the revision: manifests, meshplan.yaml, policies. */
  files: readonly SourceFile[];
}

export interface PlanOptions extends AnalyzeOptions {
  /** meshplan's bundled policy pack (`@default/...` paths); empty to run without it. */
  defaultPack?: readonly SourceFile[];
  /** Only plan manifests under these repository paths. */
  paths?: readonly string[];
}

export interface PlanOutcome {
  report: PlanReport;
  base: TreeCheck;
  head: TreeCheck;
  rules: CheckRules;
}

export function plan(base: PlanTree, head: PlanTree, options: PlanOptions = {}): PlanOutcome {
  const pack = options.defaultPack ?? [];
  const rules = rulesFromTree(base.files, pack);
  const a = checkTree(manifestsOf(base.files, rules.config.config, options.paths), rules, null, options);
  const b = checkTree(manifestsOf(head.files, rules.config.config, options.paths), rules, a.analysis, options);

  let rulesChange: RulesChange | null = null;
  const headRules = rulesFromTree(head.files, pack);
  if (headRules.fingerprint !== rules.fingerprint) {
    const preview = checkTree(manifestsOf(head.files, headRules.config.config, options.paths), headRules, a.analysis, options);
    const d = diffFindings(b.findings, preview.findings);
    const files = changedRuleFiles(base.files, head.files, rules, headRules);
    rulesChange = { files, wouldAdd: d.added, wouldRemove: d.fixed };
    b.findings.push(
      findingInFile(files[0] ?? "meshplan.yaml", { line: 1, column: 1 }, {
        code: configCodes.configChanged.code,
        severity: configCodes.configChanged.severity,
        message:
          `this change edits ${files.join(", ")}; it is checked with the rules of ${base.label}, and the new rules take ` +
          `effect after merge (they would add ${d.added.length} and remove ${d.fixed.length} findings here)`,
      }),
    );
  }

  const findings = diffFindings(a.findings, b.findings);
  const report: PlanReport = {
    schemaVersion: "meshplan/v1",
    base: revisionInfo(base, a),
    head: revisionInfo(head, b),
    diff: diffRouting(a.analysis.table, b.analysis.table),
    findings: b.findings,
    newFindings: findings.added,
    fixedFindings: findings.fixed,
    suppressed: b.suppressed.length,
    rulesChange,
  };
  return { report, base: a, head: b, rules };
}

function revisionInfo(tree: PlanTree, check: TreeCheck) {
  return {
    label: tree.label,
    commit: tree.commit,
    files: check.analysis.files,
    resources: check.analysis.resources.length,
    hosts: check.analysis.table.hosts.length,
  };
}

function changedRuleFiles(baseFiles: readonly SourceFile[], headFiles: readonly SourceFile[], a: CheckRules, b: CheckRules): string[] {
  const content = (files: readonly SourceFile[]) => {
    const m = new Map<string, string>();
    for (const f of files) m.set(f.path, typeof f.content === "string" ? f.content : Buffer.from(f.content).toString("utf8"));
    return m;
  };
  const before = content(baseFiles);
  const after = content(headFiles);
  const names = new Set([...a.files, ...b.files].filter((f) => !f.startsWith("@default/")));
  return [...names].filter((f) => before.get(f) !== after.get(f)).sort();
}
