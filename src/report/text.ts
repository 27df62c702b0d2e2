/**
 * Terminal output: the same content as the markdown reports, as plain lines.
 * Colour is the caller's decision (a TTY, NO_COLOR, a flag); nothing here
 * looks at the environment.
 */
import { sortFindings, type Finding, type Severity } from "../findings.js";
import { isCatchAll, type HostDiff, type RoutingDiff } from "../routing/diff.js";
import type { TraceResult } from "../routing/trace-types.js";
import type { HostRoutes, RoutingSource, RoutingTable } from "../routing/types.js";
import { backendNamer, hostBackendNamer, hostNamespace } from "./backend-name.js";
import { describeAccess, describeAppliesTo, type AccessTone } from "./describe-access.js";
import { describeRule } from "./describe-match.js";
import { describePolicies } from "./describe-policy.js";
import { callerLine, objectName, requestLine, tracePolicies } from "./describe-request.js";
import { describeDefaultRoute, describeOutcome, describeShares, hostLabel } from "./describe-route.js";
import { bySeverityThenLocation, existingFindings, findingLocation } from "./finding-location.js";
import { hostChanges, type HostChangeKind } from "./host-changes.js";
import type { PlanReport, RevisionInfo } from "./plan-report.js";
import { count, planVerdict } from "./plan-verdict.js";
import { sortedHosts } from "./sorted-hosts.js";

export interface TextOptions {
  /** Emit ANSI colour escapes. */
  color: boolean;
}

type Style = "bold" | "dim" | "red" | "green" | "yellow" | "cyan";

const ANSI: Record<Style, [number, number]> = {
  bold: [1, 22],
  dim: [2, 22],
  red: [31, 39],
  green: [32, 39],
  yellow: [33, 39],
  cyan: [36, 39],
};

type Paint = (style: Style, s: string) => string;

function painter(color: boolean): Paint {
  return color ? (style, s) => `\u001b[${ANSI[style][0]}m${s}\u001b[${ANSI[style][1]}m` : (_style, s) => s;
}

const SEVERITY_STYLE: Record<Severity, Style> = { error: "red", warning: "yellow", info: "cyan" };
const SOURCE: Record<RoutingSource, string> = {
  istio: "Istio",
  smi: "SMI",
  "gateway-api": "Gateway API",
  ingress: "Ingress",
  service: "Service",
};
const CHANGE_MARK: Record<HostChangeKind, [string, Style]> = {
  added: ["+", "green"],
  removed: ["-", "red"],
  moved: ["^", "yellow"],
  shares: ["~", "yellow"],
  policy: ["~", "yellow"],
  selector: ["~", "yellow"],
};
const HOST_MARK: Record<HostDiff["change"], [string, Style]> = {
  added: ["+", "green"],
  removed: ["-", "red"],
  changed: ["~", "yellow"],
};
const TONE_MARK: Record<AccessTone, [string, Style]> = { opens: ["+", "green"], closes: ["-", "red"], neutral: ["~", "yellow"] };

/** `meshplan plan` in a terminal. */
export function renderPlanText(report: PlanReport, options: TextOptions): string {
  const paint = painter(options.color);
  const verdict = planVerdict(report);
  const out: string[] = [
    `${verdict.ok ? paint("green", paint("bold", "PASS")) : paint("red", paint("bold", "FAIL"))} meshplan plan: ${verdict.headline}`,
    `${revision("base", report.base)} -> ${revision("head", report.head)}`,
  ];

  out.push(...routingDiffLines(report.diff, paint));

  const fresh = bySeverityThenLocation(report.newFindings);
  const existing = bySeverityThenLocation(existingFindings(report.findings, report.newFindings));
  const fixed = bySeverityThenLocation(report.fixedFindings);
  const block = (title: string, fs: Finding[]) => {
    if (!fs.length) return;
    out.push("", paint("bold", `${title} (${fs.length})`));
    for (const f of fs) out.push(`  ${findingLine(f, paint)}`);
  };
  block("New findings", fresh);
  block(`Findings already on ${report.base.label}`, existing);
  block("Fixed findings", fixed);
  if (report.suppressed > 0) out.push("", paint("dim", `${count(report.suppressed, "finding")} silenced by meshplan.yaml or meshplan.io/ignore`));
  if (report.rulesChange) {
    const rc = report.rulesChange;
    out.push("", paint("bold", "Check configuration changed"));
    out.push(`  ${rc.files.join(", ")}: this change is checked with ${report.base.label}'s rules; the new rules apply after merge.`);
    block("Would be reported with the new rules", bySeverityThenLocation(rc.wouldAdd));
    block("Would no longer be reported with the new rules", bySeverityThenLocation(rc.wouldRemove));
  }
  return `${out.join("\n")}\n`;
}

/** The routing part of a plan: traffic shifts, changed hosts, access. Also what `meshplan diff` and drift print. */
export function renderRoutingDiffText(diff: RoutingDiff, options: TextOptions): string {
  const lines = routingDiffLines(diff, painter(options.color));
  return lines.length ? `${lines.slice(1).join("\n")}\n` : "";
}

function routingDiffLines(diff: RoutingDiff, paint: Paint): string[] {
  const out: string[] = [];
  const shifts = diff.hosts.filter((h) => h.trafficShift);
  if (shifts.length) {
    out.push("", paint("bold", "Traffic shifts") + paint("dim", " (requests no more specific rule matches)"));
    for (const d of shifts) {
      const name = hostBackendNamer([d.after, d.before]);
      const s = d.trafficShift!;
      out.push(`  ${hostLabel(d)}: ${describeDefaultRoute(s.before, name, "new host")} -> ${describeDefaultRoute(s.after, name, "host removed")}`);
    }
  }

  if (diff.hosts.length) {
    out.push("", paint("bold", "Changed hosts"));
    for (const d of diff.hosts) {
      const [mark, style] = HOST_MARK[d.change];
      out.push(`  ${paint(style, mark)} ${paint("bold", hostLabel(d))} ${paint("dim", `(${d.change}, ${SOURCE[d.source]} ${d.protocol})`)}`);
      for (const c of hostChanges(d, "->")) {
        const [m, st] = CHANGE_MARK[c.kind];
        const rule = paint("cyan", c.rule);
        out.push(`      ${paint(st, `${m} ${c.verb}`)} ${c.ofRule ? `of ${rule}: ${c.detail}` : `${rule}${c.detail}`}`);
      }
    }
  }

  const access = describeAccess(diff.access);
  if (access.length) {
    out.push("", paint("bold", "Access"));
    for (const a of access) {
      const [mark, style] = TONE_MARK[a.tone];
      out.push(`  ${paint(style, `${mark} ${a.label}`)}: ${a.summary} ${paint("dim", `(${a.detail})`)}`);
    }
  }

  return out;
}

function revision(side: string, r: RevisionInfo): string {
  const commit = r.commit ? ` @ ${r.commit.slice(0, 7)}` : "";
  return `${side} ${r.label}${commit} (${count(r.files, "file")}, ${count(r.resources, "resource")}, ${count(r.hosts, "host")})`;
}

/** One line per finding, `file:line:col severity CODE message`, as compilers print them so editors link them. */
export function renderFindingsText(findings: readonly Finding[], options: TextOptions): string {
  const paint = painter(options.color);
  return sortFindings([...findings])
    .map((f) => `${findingLine(f, paint)}\n`)
    .join("");
}

function findingLine(f: Finding, paint: Paint): string {
  return `${findingLocation(f) ?? "-"} ${paint(SEVERITY_STYLE[f.severity], f.severity)} ${paint("bold", f.code)} ${f.message}`;
}

/** `meshplan routes`: every host with its ordered rules, then access rules. */
export function renderRoutesText(table: RoutingTable, options: TextOptions): string {
  const paint = painter(options.color);
  const out: string[] = [];
  for (const h of sortedHosts(table.hosts)) out.push(...hostLines(h, paint), "");
  const rules = table.access.rules;
  if (rules.length || table.access.smiPermissive) {
    out.push(paint("bold", "Access"));
    if (table.access.smiPermissive) out.push(paint("yellow", "  OSM permissive traffic policy mode is on: SMI access rules are not enforced"));
    for (const r of rules) {
      const style: Style = r.action === "ALLOW" ? "green" : r.action === "DENY" ? "red" : "yellow";
      const where = `${r.engine}, ${r.origin.file}:${r.origin.line}`;
      out.push(`  ${paint(style, r.action)} ${describeAppliesTo(r)}: ${r.summary} ${paint("dim", `(${where})`)}`);
    }
    out.push("");
  }
  if (!out.length) return "no routes\n";
  return `${out.join("\n").replace(/\n+$/, "")}\n`;
}

function hostLines(h: HostRoutes, paint: Paint): string[] {
  const name = hostBackendNamer([h]);
  const out = [`${paint("bold", hostLabel(h))} ${paint("dim", `(${SOURCE[h.source]} ${h.protocol})`)}`];
  h.rules.forEach((r, i) => {
    const policies = describePolicies({ ...r.policies, redirect: null, directResponse: null }, name);
    const tail = policies.length ? `; ${policies.join("; ")}` : "";
    const where = paint("dim", `[${r.origin.file}:${r.origin.line}]`);
    out.push(`  ${i + 1}. ${paint("cyan", describeRule(r))} -> ${describeOutcome(r, name)}${tail} ${where}`);
  });
  if (!h.rules.some((r) => isCatchAll(r, h))) out.push(`  ${paint("yellow", "requests no rule matches get 404")}`);
  return out;
}

/** `meshplan trace`: the request, the access decision, the matching rule and where the request goes. */
export function renderTraceText(result: TraceResult, options: TextOptions): string {
  const paint = painter(options.color);
  const req = result.request;
  const name = backendNamer([...result.backends, ...result.mirror], hostNamespace(req.resolvedHost, req.from?.namespace ?? null));
  const row = (label: string, value: string) => `  ${paint("dim", label.padEnd(9))} ${value}`;
  const out = [paint("bold", requestLine(result)), `  ${callerLine(result)}`];
  const d = result.deniedBy;
  out.push(
    row(
      "access",
      d
        ? `${paint("red", "denied")} by ${d.engine} ${d.resource.kind} ${objectName(d.resource)} at ${d.file}:${d.line}: ${d.summary}`
        : paint("green", "allowed"),
    ),
  );
  const m = result.matchedBy;
  if (m) {
    const rule = m.name ? `rule ${m.name} of ` : "";
    out.push(row("matched", `${rule}${m.resource.kind} ${objectName(m.resource)} at ${m.file}:${m.line} (${m.path})`));
  }
  if (result.backends.length) out.push(row("backends", describeShares(result.backends, name)));
  for (const [label, value] of tracePolicies(result, name)) out.push(row(label, value));
  if (result.noRoute) out.push(row("no route", paint("yellow", result.noRoute)));
  return `${out.join("\n")}\n`;
}
