/**
 * Drift: how the live objects of an ApplySet differ from what git says they should be. The
 * scheduled drift job fetches the live side through the cluster port and hands it here with
 * the desired objects; this file only compares.
 *
 * What counts, and why:
 * - Only what meshplan applies: server-side apply makes meshplan responsible for the fields it
 *   sends and nothing else, so a field the desired object does not set is drift only when
 *   another field manager put it there (managedFields says so; server defaults have no owner,
 *   and status is owned through the `status` subresource, so neither ever counts).
 * - Maps compare the desired keys recursively. Lists are atomic in custom resources under
 *   server-side apply: a list of another length is one drifted field holding both lists; a list
 *   of the same length compares element by element with the same rule, so what the server
 *   defaults inside items (a Service port's `protocol` and `targetPort`) is not drift.
 * - Scalars compare strictly: `"50"` is not `50`, and `500m` is not `0.5`.
 * - metadata counts only for the labels and annotations the desired object sets. Labels and
 *   annotations other managers add are not drift: controllers, admission webhooks and people
 *   annotate live objects all the time (rollout restarts, mesh sidecar status, cost tags), and
 *   reporting them would bury the routing changes that matter.
 */
import type { FieldPath } from "../manifests/types.js";
import { splitApiVersion } from "../manifests/types.js";
import { formatPath } from "../findings.js";
import { code, tableHead, tableRow } from "../report/markdown-text.js";
import type { LiveObject, LiveRef } from "./cluster-port.js";
import { APPLYSET_PART_OF_LABEL, groupKindName, memberKey } from "./apply-set.js";
import { fieldOwnership, managedFieldsOf, type FieldOwnerInfo } from "./managed-fields.js";
import { LAST_APPLIED_ANNOTATION, comparePaths, valueText } from "./object-diff.js";

/** A desired object as the sync would apply it: membership label set, namespace defaulted. */
export interface DesiredObject {
  ref: LiveRef & { group: string };
  object: Record<string, unknown>;
  file?: string;
  line?: number;
}

export interface DriftInput {
  desired: readonly DesiredObject[];
  /** Live objects listed by the selector `applyset.kubernetes.io/part-of=<applySetId>`. */
  members: readonly LiveObject[];
  /**
   * Live objects fetched by name for desired objects, keyed by `memberKey`. A desired object is
   * looked up here first, then among `members`; found in neither, it is missing.
   */
  live: ReadonlyMap<string, LiveObject>;
  /** Members whose part-of label holds another value are ignored. */
  applySetId: string;
  /** The field manager meshplan applies with. */
  fieldManager: string;
}

/** Which object, in the terms people read: group and kind, namespace and name. */
export interface DriftSubject {
  /** "" for the core group. */
  group: string;
  apiVersion: string;
  kind: string;
  /** null for cluster-scoped objects. */
  namespace: string | null;
  name: string;
}

export type DriftChange = "changed" | "removed" | "added";

export interface DriftedField {
  path: FieldPath;
  /**
   * `changed`: both sides hold different values; `removed`: git sets the field and the live
   * object lacks it; `added`: another manager set a field git does not.
   */
  change: DriftChange;
  /** Absent for `added`. */
  desired?: unknown;
  /** Absent for `removed`. */
  live?: unknown;
  /** Who owns the live value now (see `FieldOwnership.ownerOf`); null when no entry does. */
  owner: FieldOwnerInfo | null;
}

export interface DriftedObject {
  subject: DriftSubject;
  file: string | null;
  line: number | null;
  fields: DriftedField[];
}

export interface MissingObject {
  subject: DriftSubject;
  file: string | null;
  line: number | null;
}

export interface UnexpectedObject {
  subject: DriftSubject;
  /** The managers of the main resource (no subresource), in managedFields order. */
  managers: FieldOwnerInfo[];
}

export interface DriftCounts {
  desired: number;
  inSync: number;
  drifted: number;
  driftedFields: number;
  missing: number;
  unexpected: number;
}

export interface DriftReport {
  clean: boolean;
  fieldManager: string;
  counts: DriftCounts;
  /** Sorted by group, kind, namespace, name; fields by path. */
  drifted: DriftedObject[];
  missing: MissingObject[];
  unexpected: UnexpectedObject[];
}

/** Top-level fields compared separately (metadata) or never (identity, status). */
const NOT_COMPARED = new Set(["apiVersion", "kind", "metadata", "status"]);

/** Compares every desired object with its live counterpart, once each: O(total size of the objects). */
export function drift(input: DriftInput): DriftReport {
  const members = new Map<string, LiveObject>();
  for (const m of input.members) {
    if (labelOf(m, APPLYSET_PART_OF_LABEL) !== input.applySetId) continue;
    const key = memberKey(subjectOfLive(m));
    if (!members.has(key)) members.set(key, m);
  }

  const desiredKeys = new Set<string>();
  const drifted: DriftedObject[] = [];
  const missing: MissingObject[] = [];
  let inSync = 0;
  for (const d of input.desired) {
    const subject = subjectOfDesired(d);
    const key = memberKey(subject);
    if (desiredKeys.has(key)) continue;
    desiredKeys.add(key);
    const file = d.file ?? null;
    const line = d.line ?? null;
    const live = input.live.get(key) ?? members.get(key);
    if (live === undefined) {
      missing.push({ subject, file, line });
      continue;
    }
    const fields = driftedFields(d.object, live, input.fieldManager);
    if (fields.length === 0) inSync++;
    else drifted.push({ subject, file, line, fields: fields.sort((a, b) => comparePaths(a.path, b.path)) });
  }

  const unexpected: UnexpectedObject[] = [];
  for (const [key, m] of members) {
    if (desiredKeys.has(key)) continue;
    const managers = managedFieldsOf(m)
      .filter((e) => e.subresource === null)
      .map(({ manager, operation, time, apiVersion, subresource }) => ({ manager, operation, time, apiVersion, subresource }));
    unexpected.push({ subject: subjectOfLive(m), managers });
  }

  drifted.sort((a, b) => compareSubjects(a.subject, b.subject));
  missing.sort((a, b) => compareSubjects(a.subject, b.subject));
  unexpected.sort((a, b) => compareSubjects(a.subject, b.subject));
  const driftedFieldCount = drifted.reduce((n, o) => n + o.fields.length, 0);
  return {
    clean: drifted.length === 0 && missing.length === 0 && unexpected.length === 0,
    fieldManager: input.fieldManager,
    counts: {
      desired: desiredKeys.size,
      inSync,
      drifted: drifted.length,
      driftedFields: driftedFieldCount,
      missing: missing.length,
      unexpected: unexpected.length,
    },
    drifted,
    missing,
    unexpected,
  };
}

/** The fields of one live object that differ from its desired object, by the rules at the top of this file. */
export function driftedFields(desired: Readonly<Record<string, unknown>>, live: LiveObject, fieldManager: string): DriftedField[] {
  const ownership = fieldOwnership(live, { fieldManager });
  const out: DriftedField[] = [];
  const path: (string | number)[] = [];

  const addedByOther = (value: unknown) => {
    const owner = ownership.owners(path).find((o) => o.manager !== fieldManager && o.subresource === null);
    if (owner) out.push({ path: [...path], change: "added", live: value, owner });
  };

  const compare = (d: unknown, l: unknown) => {
    // An apply that sets a field to null asks for it to be absent; there is nothing to hold the live side to.
    if (d === undefined || d === null) return;
    if (l === undefined) {
      out.push({ path: [...path], change: "removed", desired: d, owner: ownership.ownerOf(path) });
      return;
    }
    if (isRecord(d) && isRecord(l)) {
      for (const key of sortedKeys(d)) {
        path.push(key);
        compare(d[key], l[key]);
        path.pop();
      }
      for (const key of sortedKeys(l)) {
        if (Object.hasOwn(d, key)) continue;
        path.push(key);
        addedByOther(l[key]);
        path.pop();
      }
      return;
    }
    if (Array.isArray(d) && Array.isArray(l) && d.length === l.length) {
      for (let i = 0; i < d.length; i++) {
        path.push(i);
        compare(d[i], l[i]);
        path.pop();
      }
      return;
    }
    const sameShape = isRecord(d) === isRecord(l) && Array.isArray(d) === Array.isArray(l);
    if (!sameShape || Array.isArray(d) || d !== l) {
      out.push({ path: [...path], change: "changed", desired: d, live: l, owner: ownership.ownerOf(path) });
    }
  };

  const desiredMeta = desired["metadata"];
  const liveMeta = live.metadata;
  for (const section of ["labels", "annotations"] as const) {
    const want = isRecord(desiredMeta) ? desiredMeta[section] : undefined;
    if (!isRecord(want)) continue;
    const have = liveMeta[section];
    path.push("metadata", section);
    for (const key of sortedKeys(want)) {
      if (section === "annotations" && key === LAST_APPLIED_ANNOTATION) continue;
      path.push(key);
      compare(want[key], isRecord(have) ? have[key] : undefined);
      path.pop();
    }
    path.length = 0;
  }

  for (const key of sortedKeys(desired)) {
    if (NOT_COMPARED.has(key)) continue;
    path.push(key);
    compare(desired[key], live[key]);
    path.pop();
  }
  for (const key of sortedKeys(live)) {
    if (NOT_COMPARED.has(key) || Object.hasOwn(desired, key)) continue;
    path.push(key);
    addedByOther(live[key]);
    path.pop();
  }
  return out;
}

export interface DriftMarkdownOptions {
  /** The cluster's name in meshplan.yaml or the kubeconfig context. */
  cluster: string;
  /** Object and field lines beyond this are summarised as "… and N more", to stay inside GitHub's issue size limit. */
  maxLines?: number;
}

/** Plain text for a terminal or a log. */
export function renderDriftText(report: DriftReport): string {
  const lines = [summary(report)];
  if (report.drifted.length > 0) {
    lines.push("", "Drifted (git → live):");
    for (const o of report.drifted) {
      lines.push(`  ${subjectText(o.subject)}${sourceText(o)}`);
      for (const f of o.fields) {
        lines.push(`    ${formatPath(f.path)}: ${valueText(f.desired)} → ${valueText(f.live)}, ${ownerPhrase(f, report.fieldManager, (s) => s)}`);
      }
    }
  }
  if (report.missing.length > 0) {
    lines.push("", "Missing (in git, not in the cluster):");
    for (const m of report.missing) lines.push(`  ${subjectText(m.subject)}${sourceText(m)}`);
  }
  if (report.unexpected.length > 0) {
    lines.push("", "Unexpected (carry the ApplySet label, not in git):");
    for (const u of report.unexpected) lines.push(`  ${subjectText(u.subject)}${managersText(u.managers, (s) => s)}`);
  }
  return `${lines.join("\n")}\n`;
}

/** A section of the drift issue: one table row per object while the line budget lasts, then how many were left out. */
function objectTable<T>(
  items: readonly T[],
  budget: { left: number },
  section: { heading: string; intro: string; last: string; cells: (item: T) => string[]; more: string },
): string {
  if (items.length === 0) return "";
  let out = `\n### ${section.heading}\n\n${section.intro}\n\n${tableHead(["Kind", "Namespace", "Name", section.last])}`;
  const shown = items.slice(0, Math.max(0, budget.left));
  budget.left -= shown.length;
  for (const item of shown) out += tableRow(section.cells(item));
  if (shown.length < items.length) out += `\n… and ${plural(items.length - shown.length, section.more)}.\n`;
  return out;
}

/** GitHub-flavoured markdown for the drift issue: lists and tables, no HTML. */
export function renderDriftMarkdown(report: DriftReport, options: DriftMarkdownOptions): string {
  const budget = { left: options.maxLines ?? 400 };
  let out = `## Drift on ${code(options.cluster)}\n\n`;
  if (report.clean) {
    return `${out}No drift: the cluster matches git (${plural(report.counts.desired, "object")}), and no other object carries meshplan's ApplySet label.\n`;
  }
  out += `**${summary(report)}**\n`;

  if (report.drifted.length > 0) {
    out += "\n### Drifted\n\nEach line shows the value in git, then the value live.\n\n";
    let skipped = 0;
    for (const o of report.drifted) {
      if (budget.left <= 0) {
        skipped += o.fields.length;
        continue;
      }
      budget.left--;
      const source = o.file === null ? "" : ` — ${code(o.line === null ? o.file : `${o.file}:${o.line}`)}`;
      out += `- **${code(groupKindName(o.subject))} ${code(qualifiedName(o.subject))}**${source}\n`;
      for (const f of o.fields) {
        if (budget.left <= 0) {
          skipped++;
          continue;
        }
        budget.left--;
        out += `  - ${code(formatPath(f.path))} ${code(valueText(f.desired))} → ${code(valueText(f.live))}, ${ownerPhrase(f, report.fieldManager, code)}\n`;
      }
    }
    if (skipped > 0) out += `\n… and ${plural(skipped, "more drifted field")}; run \`meshplan drift\` for the full list.\n`;
  }

  const objectCells = (s: DriftSubject) => [code(groupKindName(s)), s.namespace === null ? "" : code(s.namespace), code(s.name)];
  out += objectTable(report.missing, budget, {
    heading: "Missing",
    intro: "In git, not in the cluster.",
    last: "Source",
    cells: (m) => [...objectCells(m.subject), m.file === null ? "" : code(m.line === null ? m.file : `${m.file}:${m.line}`)],
    more: "more missing object",
  });
  out += objectTable(report.unexpected, budget, {
    heading: "Unexpected",
    intro: "Carry meshplan's ApplySet label, not in git: the next rollout prunes them.",
    last: "Managed by",
    cells: (u) => [...objectCells(u.subject), u.managers.map((m) => `${code(m.manager)} (${m.operation})`).join(", ")],
    more: "more unexpected object",
  });
  return out;
}

function summary(report: DriftReport): string {
  const c = report.counts;
  if (report.clean) return `No drift: the cluster matches git (${plural(c.desired, "object")}).`;
  const parts: string[] = [];
  if (c.drifted > 0) parts.push(`${plural(c.drifted, "object")} drifted (${plural(c.driftedFields, "field")})`);
  if (c.missing > 0) parts.push(`${c.missing} missing`);
  if (c.unexpected > 0) parts.push(`${c.unexpected} unexpected`);
  return `Drift: ${parts.join(", ")}; ${c.inSync} of ${plural(c.desired, "object")} in git match.`;
}

function ownerPhrase(f: DriftedField, fieldManager: string, name: (s: string) => string): string {
  const o = f.owner;
  const verb = f.change === "added" ? "added" : f.change === "removed" ? "removed" : "changed";
  if (o === null) return f.change === "removed" ? "removed" : `${verb}; no field manager owns the live value`;
  const how = `(${o.operation}${o.time === null ? "" : `, ${o.time}`})`;
  if (o.manager === fieldManager) return `${verb}; the live value was set by ${name(o.manager)} ${how}, git has changed since`;
  return `${verb} by ${name(o.manager)} ${how}`;
}

function managersText(managers: readonly FieldOwnerInfo[], name: (s: string) => string): string {
  if (managers.length === 0) return "";
  return `, managed by ${managers.map((m) => `${name(m.manager)} (${m.operation})`).join(", ")}`;
}

function subjectText(s: DriftSubject): string {
  return `${groupKindName(s)} ${qualifiedName(s)}`;
}

function qualifiedName(s: DriftSubject): string {
  return s.namespace === null ? s.name : `${s.namespace}/${s.name}`;
}

function sourceText(o: { file: string | null; line: number | null }): string {
  if (o.file === null) return "";
  return ` (${o.line === null ? o.file : `${o.file}:${o.line}`})`;
}

function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? "" : "s"}`;
}

function subjectOfDesired(d: DesiredObject): DriftSubject {
  return {
    group: d.ref.group,
    apiVersion: d.ref.apiVersion,
    kind: d.ref.kind,
    namespace: d.ref.namespace ? d.ref.namespace : null,
    name: d.ref.name,
  };
}

function subjectOfLive(o: LiveObject): DriftSubject {
  const ns = o.metadata.namespace;
  return {
    group: splitApiVersion(o.apiVersion).group,
    apiVersion: o.apiVersion,
    kind: o.kind,
    namespace: typeof ns === "string" && ns !== "" ? ns : null,
    name: o.metadata.name,
  };
}

function compareSubjects(a: DriftSubject, b: DriftSubject): number {
  return (
    compareStrings(a.group, b.group) ||
    compareStrings(a.kind, b.kind) ||
    compareStrings(a.namespace ?? "", b.namespace ?? "") ||
    compareStrings(a.name, b.name)
  );
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function labelOf(o: LiveObject, label: string): unknown {
  const labels = o.metadata["labels"];
  return isRecord(labels) ? labels[label] : undefined;
}

function sortedKeys(o: Readonly<Record<string, unknown>>): string[] {
  return Object.keys(o).sort(compareStrings);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
