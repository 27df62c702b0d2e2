/**
 * The plan report: what a change does to routing and to findings, as one
 * value that every renderer (markdown, text, JSON) takes.
 */
import type { Finding } from "../findings.js";
import type { RoutingDiff } from "../routing/diff.js";
import type { SchemaVersion } from "./schema-version.js";

export interface RevisionInfo {
  /** What people call the revision: a ref name, a directory. */
  label: string;
  commit: string | null;
  files: number;
  resources: number;
  hosts: number;
}

export interface PlanReport {
  schemaVersion: SchemaVersion;
  base: RevisionInfo;
  head: RevisionInfo;
  diff: RoutingDiff;
  /** Every finding on head. */
  findings: Finding[];
  /** Findings on head that base did not have. */
  newFindings: Finding[];
  /** Findings on base that head no longer has. */
  fixedFindings: Finding[];
  /** Head findings silenced by meshplan.yaml exemptions or `meshplan.io/ignore` annotations. */
  suppressed: number;
  /**
   * Set when head changes meshplan.yaml or the policies. Head is still checked
   * with base's rules (a change cannot weaken the checks that judge it); this
   * previews what the new rules would report once merged.
   */
  rulesChange: RulesChange | null;
}

export interface RulesChange {
  /** The rule files (meshplan.yaml, policy files) that differ. */
  files: string[];
  /** Findings the head's rules would add on head. */
  wouldAdd: Finding[];
  /** Findings the head's rules would no longer report on head. */
  wouldRemove: Finding[];
}

/** DESIGN.md: exit 1 when head has a finding at error severity, whether or not the change introduced it. */
export function planExitCode(report: PlanReport): 0 | 1 {
  return report.findings.some((f) => f.severity === "error") ? 1 : 0;
}
