import type { Finding, Severity } from "../findings.js";
import { describeAccess } from "./describe-access.js";
import { planExitCode, type PlanReport } from "./plan-report.js";

export interface PlanVerdict {
  /** The plan passes: no finding at error severity on head. */
  ok: boolean;
  /** One line: `3 hosts changed (1 added), 2 traffic shifts · 1 error (1 new) · 1 finding fixed`. */
  headline: string;
}

export function planVerdict(report: PlanReport): PlanVerdict {
  const hosts = report.diff.hosts;
  const routing: string[] = [];
  if (hosts.length) {
    const added = hosts.filter((h) => h.change === "added").length;
    const removed = hosts.filter((h) => h.change === "removed").length;
    const detail = [added ? `${added} added` : "", removed ? `${removed} removed` : ""].filter(Boolean).join(", ");
    routing.push(`${count(hosts.length, "host")} changed${detail ? ` (${detail})` : ""}`);
  }
  const shifts = hosts.filter((h) => h.trafficShift).length;
  if (shifts) routing.push(count(shifts, "traffic shift"));
  const access = describeAccess(report.diff.access).length;
  if (access) routing.push(count(access, "access change"));

  const findings: string[] = [];
  for (const severity of ["error", "warning", "info"] as const) {
    const all = bySeverity(report.findings, severity);
    if (!all) continue;
    const fresh = bySeverity(report.newFindings, severity);
    const noun = severity === "info" ? `${all} info` : count(all, severity);
    findings.push(fresh ? `${noun} (${fresh} new)` : noun);
  }

  const parts = [
    routing.length ? routing.join(", ") : "no routing changes",
    findings.length ? findings.join(", ") : "no findings",
  ];
  if (report.fixedFindings.length) parts.push(`${count(report.fixedFindings.length, "finding")} fixed`);
  return { ok: planExitCode(report) === 0, headline: parts.join(" · ") };
}

function bySeverity(fs: readonly Finding[], s: Severity): number {
  return fs.filter((f) => f.severity === s).length;
}

export function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? "" : "s"}`;
}
