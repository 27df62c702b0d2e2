/**
 * The plan: how routing and findings change from a base revision to a head
 * revision. Pure; the same function serves `meshplan plan` and PR checks.
 */
import type { SourceFile } from "../manifests/types.js";
import { diffFindings, diffRouting } from "../routing/diff.js";
import type { PlanReport } from "../report/plan-report.js";
import { analyzeTree, type AnalyzeOptions, type TreeAnalysis } from "./analyze-tree.js";

export interface PlanTree {
  /** What people call this revision: a ref name, a directory. */
  label: string;
  commit: string | null;
  files: readonly SourceFile[];
}

export interface PlanOutcome {
  report: PlanReport;
  base: TreeAnalysis;
  head: TreeAnalysis;
}

export function plan(base: PlanTree, head: PlanTree, options: AnalyzeOptions = {}): PlanOutcome {
  const a = analyzeTree(base.files, options);
  const b = analyzeTree(head.files, options);
  const findings = diffFindings(a.findings, b.findings);
  const report: PlanReport = {
    schemaVersion: "meshplan/v1",
    base: { label: base.label, commit: base.commit, files: a.files, resources: a.resources.length, hosts: a.table.hosts.length },
    head: { label: head.label, commit: head.commit, files: b.files, resources: b.resources.length, hosts: b.table.hosts.length },
    diff: diffRouting(a.table, b.table),
    findings: b.findings,
    newFindings: findings.added,
    fixedFindings: findings.fixed,
  };
  return { report, base: a, head: b };
}
