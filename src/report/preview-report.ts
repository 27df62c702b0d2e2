/**
 * `meshplan diff` output: the object changes a dry-run apply predicts, and
 * what they do to routing (live → desired), for a terminal, for Markdown and
 * as JSON.
 */
import type { LivePreview, PreviewChange, PreviewObject } from "../cluster/live-preview.js";
import { renderFieldChange } from "../cluster/object-diff.js";
import { isEmptyRoutingDiff, type RoutingDiff } from "../routing/diff.js";
import { renderRoutingDiffMarkdown } from "./markdown.js";
import { renderRoutingDiffText } from "./text.js";
import { objectName } from "./sync-report.js";

export const PREVIEW_REPORT_SCHEMA = "meshplan.io/live-preview/v1";

const MARK: Record<PreviewChange, string> = { create: "+", update: "~", unchanged: "=", prune: "-", failed: "!" };
const WORD: Record<PreviewChange, string> = { create: "create", update: "update", unchanged: "unchanged", prune: "prune", failed: "would fail" };

function head(o: PreviewObject): string {
  const at = o.file ? ` (${o.file}${o.line ? `:${o.line}` : ""})` : "";
  return `${MARK[o.change]} ${objectName(o.ref)}${o.ref.namespace ? ` -n ${o.ref.namespace}` : ""} ${WORD[o.change]}${at}${o.message ? `: ${o.message}` : ""}`;
}

export function renderPreviewText(preview: LivePreview, routing: RoutingDiff, options: { color: boolean }): string {
  const out: string[] = [`cluster ${preview.cluster}, ApplySet ${preview.applySetId}`];
  const changed = preview.objects.filter((o) => o.change !== "unchanged");
  if (changed.length === 0) out.push("", "no changes: the cluster already holds the desired objects");
  else out.push("", "Objects (live → desired)");
  for (const o of changed) {
    out.push(`  ${head(o)}`);
    for (const f of o.fields) out.push(`      ${renderFieldChange(f)}`);
  }
  const unchanged = preview.objects.length - changed.length;
  if (unchanged > 0) out.push(`  ${unchanged} object(s) unchanged`);
  if (preview.kept > 0) out.push(`  ${preview.kept} member(s) no longer in git stay: prune is off`);
  if (!isEmptyRoutingDiff(routing)) out.push("", "Routing (live → desired)", renderRoutingDiffText(routing, options).trimEnd());
  return `${out.join("\n")}\n`;
}

export function renderPreviewMarkdown(preview: LivePreview, routing: RoutingDiff): string {
  const out: string[] = [`### Live preview: ${preview.cluster}`, ""];
  const changed = preview.objects.filter((o) => o.change !== "unchanged");
  if (changed.length === 0) out.push("No changes: the cluster already holds the desired objects.", "");
  for (const o of changed) {
    out.push(`- \`${MARK[o.change]}\` \`${objectName(o.ref)}\`${o.ref.namespace ? ` in \`${o.ref.namespace}\`` : ""}: ${WORD[o.change]}${o.message ? ` — ${o.message.replace(/\r?\n/g, " ")}` : ""}`);
    for (const f of o.fields) out.push(`  - \`${renderFieldChange(f).replace(/`/g, "'")}\``);
  }
  const unchanged = preview.objects.length - changed.length;
  if (unchanged > 0) out.push("", `${unchanged} object(s) unchanged.`);
  if (preview.kept > 0) out.push("", `${preview.kept} member(s) no longer in git stay: prune is off.`);
  if (!isEmptyRoutingDiff(routing)) out.push("", "#### Routing, live → desired", renderRoutingDiffMarkdown(routing));
  return `${out.join("\n")}\n`;
}

export function previewReportJson(preview: LivePreview, routing: RoutingDiff) {
  return {
    schema: PREVIEW_REPORT_SCHEMA,
    cluster: preview.cluster,
    applySetId: preview.applySetId,
    objects: preview.objects,
    kept: preview.kept,
    routing,
  };
}
