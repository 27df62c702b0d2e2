/**
 * Markdown for GitHub: the check-run summary and the sticky PR comment of a
 * plan, and the markdown form of `meshplan routes` and `meshplan trace`.
 * Pure: report in, string out.
 */
import type { Finding, Severity } from "../findings.js";
import { isCatchAll, type HostDiff, type RoutingDiff } from "../routing/diff.js";
import type { TraceResult } from "../routing/trace-types.js";
import type { HostRoutes, RoutingSource, RoutingTable } from "../routing/types.js";
import { backendNamer, hostBackendNamer, hostNamespace } from "./backend-name.js";
import { describeAccess, describeAppliesTo, type AccessTone } from "./describe-access.js";
import { describeRule } from "./describe-match.js";
import { describePolicies } from "./describe-policy.js";
import { callerLine, objectName, requestLine, tracePolicies } from "./describe-request.js";
import { attachmentLabel, describeDefaultRoute, describeOutcome, describeShares } from "./describe-route.js";
import { bySeverityThenLocation, existingFindings, findingLocation } from "./finding-location.js";
import { hostChanges, type HostChangeLine } from "./host-changes.js";
import { code, markdownText, tableHead, tableRow } from "./markdown-text.js";
import { hostFlowchart } from "./mermaid.js";
import type { PlanReport, RevisionInfo } from "./plan-report.js";
import { count, planVerdict } from "./plan-verdict.js";
import { sortedHosts } from "./sorted-hosts.js";

export interface MarkdownOptions {
  /** Longest output allowed; whole sections are left out beyond it, with a note saying what. */
  maxChars?: number;
}

/** GitHub caps check-run summaries and comments at 65,535 characters; the rest is headroom for the caller's footer. */
export function defaultMarkdownOptions(): Required<MarkdownOptions> {
  return { maxChars: 65000 };
}

const SEVERITY: Record<Severity, string> = { error: "❌ error", warning: "⚠️ warning", info: "ℹ️ info" };
const TONE: Record<AccessTone, string> = { opens: "🔓", closes: "🔒", neutral: "🔹" };
const SOURCE: Record<RoutingSource, string> = {
  istio: "Istio",
  smi: "SMI",
  "gateway-api": "Gateway API",
  ingress: "Ingress",
  service: "Service",
};
/** Change lines shown before the rest of a host's changes fold into `<details>`. */
const VISIBLE_CHANGES = 15;

export function renderPlanMarkdown(report: PlanReport, options: MarkdownOptions = {}): string {
  const { maxChars } = { ...defaultMarkdownOptions(), ...options };
  const verdict = planVerdict(report);
  const preamble = `## ${verdict.ok ? "✅" : "❌"} meshplan plan: ${markdownText(verdict.headline)}\n\n${revisions(report)}\n`;
  return fit(preamble, planSections(report), maxChars);
}

/* ---------- truncation ---------- */

type Noun = "changed hosts" | "traffic-shift rows" | "access changes" | "findings" | "fixed findings";

/** Items that are kept or dropped whole, under a head and tail shown when at least one item is kept. */
interface Group {
  /** Lower is kept first when space runs out. */
  priority: number;
  noun: Noun;
  head: string;
  items: string[];
  tail: string;
}

interface Section {
  head: string;
  groups: Group[];
}

/**
 * Fits the report into `maxChars` by keeping, in priority order, as many
 * whole items of each group as fit (new findings, then traffic shifts,
 * access, hosts, existing and fixed findings); a note near the top says
 * exactly what was left out.
 */
function fit(preamble: string, sections: Section[], maxChars: number): string {
  const full = assemble(preamble, "", sections, null);
  if (full.length <= maxChars) return full;
  const groups = sections.flatMap((s) => s.groups.map((g) => ({ g, s }))).sort((a, b) => a.g.priority - b.g.priority);
  const worst = truncationNote(new Map(groups.map(({ g }) => [g, 0])), sections, maxChars);
  let budget = maxChars - preamble.length - worst.length;
  const kept = new Map<Group, number>();
  const open = new Set<Section>();
  for (const { g, s } of groups) {
    let n = 0;
    for (const item of g.items) {
      const cost = item.length + (n === 0 ? g.head.length + g.tail.length + (open.has(s) ? 0 : s.head.length) : 0);
      if (cost > budget) break;
      budget -= cost;
      open.add(s);
      n++;
    }
    kept.set(g, n);
  }
  const out = assemble(preamble, truncationNote(kept, sections, maxChars), sections, kept);
  // Only a limit smaller than the verdict and the note themselves gets here.
  return out.length <= maxChars ? out : out.slice(0, maxChars);
}

function assemble(preamble: string, note: string, sections: Section[], kept: Map<Group, number> | null): string {
  let out = preamble + note;
  for (const s of sections) {
    const parts = s.groups
      .map((g) => ({ g, n: kept ? (kept.get(g) ?? 0) : g.items.length }))
      .filter(({ n }) => n > 0)
      .map(({ g, n }) => g.head + g.items.slice(0, n).join("") + g.tail);
    if (parts.length) out += s.head + parts.join("");
  }
  return out;
}

function truncationNote(kept: Map<Group, number>, sections: Section[], maxChars: number): string {
  const left = new Map<Noun, { omitted: number; total: number }>();
  for (const g of sections.flatMap((s) => s.groups)) {
    const c = left.get(g.noun) ?? { omitted: 0, total: 0 };
    c.omitted += g.items.length - (kept.get(g) ?? g.items.length);
    c.total += g.items.length;
    left.set(g.noun, c);
  }
  const parts = [...left]
    .filter(([, c]) => c.omitted > 0)
    .map(([noun, c]) => (c.omitted === c.total ? `all ${c.total} ${noun}` : `${c.omitted} of ${c.total} ${noun}`));
  if (!parts.length) return "";
  return (
    `\n> [!WARNING]\n> This plan is longer than ${maxChars} characters, so parts of it are not shown here: ` +
    `${parts.join(", ")}. Run \`meshplan plan\` on the two revisions for the full plan.\n`
  );
}

/* ---------- plan sections ---------- */

/** The routing part of a plan (traffic shifts, changed hosts, access), for `meshplan diff` and drift reports. */
export function renderRoutingDiffMarkdown(diff: RoutingDiff, options: { maxChars?: number } = {}): string {
  return fit("", routingSections(diff), options.maxChars ?? defaultMarkdownOptions().maxChars);
}

function routingSections(diff: RoutingDiff): Section[] {
  const hosts = diff.hosts;
  const shifts = hosts.filter((h) => h.trafficShift);
  const access = describeAccess(diff.access);
  return [
    {
      head: "\n### Traffic shifts\n\nWhere requests go that no more specific rule matches.\n\n",
      groups: [
        {
          priority: 2,
          noun: "traffic-shift rows",
          head: tableHead(["host", "before", "after"]),
          items: shifts.map(shiftRow),
          tail: "",
        },
      ],
    },
    {
      head: "\n### Changed hosts\n",
      groups: [{ priority: 4, noun: "changed hosts", head: "", items: hosts.map(hostSection), tail: "" }],
    },
    {
      head: "\n### Access\n\n",
      groups: [
        {
          priority: 3,
          noun: "access changes",
          head: "",
          items: access.map((a) => `- ${TONE[a.tone]} **${a.label}**: ${code(a.summary)} · ${markdownText(a.detail)}\n`),
          tail: "",
        },
      ],
    },
  ];
}

function planSections(report: PlanReport): Section[] {
  const fresh = bySeverityThenLocation(report.newFindings);
  const existing = bySeverityThenLocation(existingFindings(report.findings, report.newFindings));
  const fixed = bySeverityThenLocation(report.fixedFindings);
  const findingsHead = tableHead(["severity", "code", "message", "location"]);

  return [
    ...routingSections(report.diff),
    {
      head: "\n### Findings\n",
      groups: [
        {
          priority: 1,
          noun: "findings",
          head: `\n**New in this change** (${fresh.length})\n\n${findingsHead}`,
          items: fresh.map(findingRow),
          tail: "",
        },
        {
          priority: 5,
          noun: "findings",
          head: `\n<details><summary>${count(existing.length, "finding")} already on ${escapeHtml(report.base.label)}</summary>\n\n${findingsHead}`,
          items: existing.map(findingRow),
          tail: "\n</details>\n",
        },
        {
          priority: 6,
          noun: "fixed findings",
          head: `\n**Fixed by this change** (${fixed.length})\n\n`,
          items: fixed.map(
            (f) => `- ~~${code(f.code)} ${markdownText(f.message)}~~ (was ${code(findingLocation(f, false) ?? "no file")})\n`,
          ),
          tail: "",
        },
      ],
    },
    ...rulesChangeSection(report, findingsHead),
  ];
}

/** Head changes meshplan.yaml or policies: say that base's rules judged it, and preview the new rules. */
function rulesChangeSection(report: PlanReport, findingsHead: string): Section[] {
  const rc = report.rulesChange;
  const silenced =
    report.suppressed > 0 ? `
_${count(report.suppressed, "finding")} silenced by meshplan.yaml or \`meshplan.io/ignore\`._
` : "";
  if (!rc) return silenced ? [{ head: silenced, groups: [] }] : [];
  const files = rc.files.map((f) => code(f)).join(", ");
  return [
    {
      head:
        `${silenced}
### Check configuration changed

${files} change in this pull request. It is checked with the rules of ` +
        `${code(report.base.label)}; the new rules take effect after merge. With them, this change would get:
`,
      groups: [
        {
          priority: 7,
          noun: "findings",
          head: `
**${count(rc.wouldAdd.length, "more finding")}**

${rc.wouldAdd.length ? findingsHead : ""}`,
          items: rc.wouldAdd.map(findingRow),
          tail: "",
        },
        {
          priority: 8,
          noun: "findings",
          head: `
**${count(rc.wouldRemove.length, "finding")} fewer**

${rc.wouldRemove.length ? findingsHead : ""}`,
          items: rc.wouldRemove.map(findingRow),
          tail: "",
        },
      ],
    },
  ];
}

function revisions(r: PlanReport): string {
  const rev = (side: string, x: RevisionInfo) => {
    const commit = x.commit ? ` @ ${code(x.commit.slice(0, 7))}` : "";
    const size = `${count(x.files, "file")}, ${count(x.resources, "resource")}, ${count(x.hosts, "host")}`;
    return `**${side}** ${code(x.label)}${commit} (${size})`;
  };
  return `${rev("base", r.base)} → ${rev("head", r.head)}`;
}

function shiftRow(d: HostDiff): string {
  const name = hostBackendNamer([d.after, d.before]);
  const shift = d.trafficShift!;
  return tableRow([
    hostTitle(d),
    markdownText(describeDefaultRoute(shift.before, name, "new host")),
    markdownText(describeDefaultRoute(shift.after, name, "host removed")),
  ]);
}

function hostTitle(h: { host: string; port: number | null; attachment: string }): string {
  const via = h.attachment === "mesh" ? "" : ` via ${markdownText(attachmentLabel(h.attachment))}`;
  return `${code(h.port !== null ? `${h.host}:${h.port}` : h.host)}${via}`;
}

function hostSection(d: HostDiff): string {
  const routes = d.after ?? d.before;
  const files = [...new Set((routes?.origins ?? []).map((o) => o.file))];
  const shown = files.slice(0, 3).map(code).join(", ") + (files.length > 3 ? ` and ${files.length - 3} more` : "");
  const meta = [SOURCE[d.source], d.protocol, ...(shown ? [`from ${shown}`] : [])].join(" · ");
  const lines = hostChanges(d, "→").map(changeLine);
  const visible = lines.slice(0, VISIBLE_CHANGES).join("");
  const folded = lines.length > VISIBLE_CHANGES
    ? `\n<details><summary>${lines.length - VISIBLE_CHANGES} more changes</summary>\n\n${lines.slice(VISIBLE_CHANGES).join("")}\n</details>\n`
    : "";
  const diagram = `\n<details><summary>Routing before and after</summary>\n\n\`\`\`mermaid\n${hostFlowchart(d)}\n\`\`\`\n\n</details>\n`;
  return `\n#### ${hostTitle(d)} (${d.change})\n\n${meta}\n\n${visible}${folded}${diagram}`;
}

function changeLine(c: HostChangeLine): string {
  if (c.ofRule) return `- **${markdownText(c.verb)}** of ${code(c.rule)}: ${markdownText(c.detail)}\n`;
  return `- **${markdownText(c.verb)}** ${code(c.rule)}${markdownText(c.detail)}\n`;
}

function findingRow(f: Finding): string {
  const loc = findingLocation(f, false);
  return tableRow([SEVERITY[f.severity], code(f.code), markdownText(f.message), loc ? code(loc) : "—"]);
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
}

/* ---------- routes ---------- */

/** `meshplan routes --format markdown`: every host with its ordered rules, then access rules. */
export function renderRoutesMarkdown(table: RoutingTable): string {
  const hosts = sortedHosts(table.hosts);
  const rules = table.access.rules;
  let out = `## Routes\n\n${count(hosts.length, "host")}, ${count(rules.length, "access rule")}.\n`;
  for (const h of hosts) out += routesHostSection(h);
  if (rules.length || table.access.smiPermissive) {
    out += "\n### Access\n\n";
    if (table.access.smiPermissive) {
      out += "OSM permissive traffic policy mode is on: SMI access rules are not enforced.\n\n";
    }
    if (rules.length) {
      out += tableHead(["action", "applies to", "rule", "engine", "defined at"]);
      for (const r of rules) {
        out += tableRow([
          r.action,
          markdownText(describeAppliesTo(r)),
          code(r.summary),
          r.engine,
          code(`${r.origin.file}:${r.origin.line}`),
        ]);
      }
    }
  }
  return out;
}

function routesHostSection(h: HostRoutes): string {
  const name = hostBackendNamer([h]);
  let out = `\n### ${hostTitle(h)}\n\n${SOURCE[h.source]} · ${h.protocol}\n\n`;
  if (h.rules.length === 0) return `${out}No rules.\n`;
  out += tableHead(["#", "match", "route", "policies", "defined at"]);
  h.rules.forEach((r, i) => {
    const policies = describePolicies({ ...r.policies, redirect: null, directResponse: null }, name);
    out += tableRow([
      `${i + 1}`,
      code(describeRule(r)),
      markdownText(describeOutcome(r, name)),
      markdownText(policies.join("; ")),
      code(`${r.origin.file}:${r.origin.line}`),
    ]);
  });
  if (!h.rules.some((r) => isCatchAll(r, h))) out += "\nRequests no rule matches get 404.\n";
  return out;
}

/* ---------- trace ---------- */

/** `meshplan trace --format markdown`: one request, its access decision, the rule that matched and where it goes. */
export function renderTraceMarkdown(result: TraceResult): string {
  const req = result.request;
  const namer = backendNamer([...result.backends, ...result.mirror], hostNamespace(req.resolvedHost, req.from?.namespace ?? null));
  const item = (label: string, value: string) => `- **${label}**: ${value}\n`;
  let out = `## Trace: ${code(requestLine(result))}\n\n${markdownText(callerLine(result))}\n\n`;
  const d = result.deniedBy;
  out += item(
    "access",
    d
      ? `❌ denied by ${d.engine} ${d.resource.kind} ${code(objectName(d.resource))} at ${code(`${d.file}:${d.line}`)}: ${code(d.summary)}`
      : "✅ allowed",
  );
  const m = result.matchedBy;
  if (m) {
    const rule = m.name ? `rule ${code(m.name)} of ` : "";
    out += item("matched", `${rule}${m.resource.kind} ${code(objectName(m.resource))} at ${code(`${m.file}:${m.line}`)} (${code(m.path)})`);
  }
  if (result.backends.length) out += item("backends", markdownText(describeShares(result.backends, namer)));
  for (const [label, value] of tracePolicies(result, namer)) out += item(label, markdownText(value));
  if (result.noRoute) out += item("no route", markdownText(result.noRoute));
  return out;
}

/** `meshplan lint --format markdown`: a verdict line and one table row per finding. */
export function renderFindingsMarkdown(findings: readonly Finding[], options: { suppressed?: number } = {}): string {
  const sorted = bySeverityThenLocation([...findings]);
  const errors = sorted.filter((f) => f.severity === "error").length;
  const warnings = sorted.filter((f) => f.severity === "warning").length;
  const silenced = options.suppressed ? `\n_${count(options.suppressed, "finding")} silenced by meshplan.yaml or \`meshplan.io/ignore\`._\n` : "";
  if (sorted.length === 0) return `## ✅ meshplan lint: no findings\n${silenced}`;
  const icon = errors > 0 ? "❌" : "⚠️";
  const headline = `${count(sorted.length, "finding")} (${count(errors, "error")}, ${count(warnings, "warning")})`;
  return `## ${icon} meshplan lint: ${headline}\n\n${tableHead(["severity", "code", "message", "location"])}${sorted.map(findingRow).join("")}${silenced}`;
}
