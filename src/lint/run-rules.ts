import { findingAt, type Finding } from "../findings.js";
import type { MeshModel } from "../mesh/types.js";
import type { RoutingTable } from "../routing/types.js";
import type { LintRule, RuleContext, RuleOptions } from "./rule.js";

/**
 * Runs each rule whose kinds are in the tree. A rule that throws is a defect
 * in meshplan, not in the user's configuration: it becomes an error finding
 * naming the rule (MP0090), and the other rules still run.
 */
export function runRules(rules: readonly LintRule[], model: MeshModel, table: RoutingTable, options: RuleOptions): Finding[] {
  const findings: Finding[] = [];
  for (const rule of rules) {
    if (rule.kinds.length > 0 && !rule.kinds.some((gk) => model.list(gk).length > 0)) continue;
    const ctx: RuleContext = {
      model,
      table,
      options,
      forEach: (gk, fn) => {
        for (const r of model.list(gk)) fn(r as never);
      },
      find: (gk, ns, name) => model.get(gk, ns, name),
      report: (res, path, message, extra) => {
        findings.push(
          findingAt(res, path, {
            code: rule.code,
            severity: extra?.severity ?? rule.severity,
            message,
            equivalents: [...(rule.equivalents ?? [])],
            ...(extra?.hint ? { hint: extra.hint } : {}),
          }),
        );
      },
    };
    try {
      rule.check(ctx);
    } catch (err) {
      findings.push({
        code: "MP0090",
        severity: "error",
        message: `rule ${rule.code} (${rule.title}) failed: ${err instanceof Error ? err.message : String(err)}; its findings are missing from this report`,
        resource: null,
        file: null,
        line: null,
        column: null,
        path: null,
        equivalents: [],
      });
    }
  }
  return findings;
}
