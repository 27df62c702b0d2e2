/**
 * Sync results for people and machines: kubectl-style lines for a terminal,
 * Markdown for a check run, and a versioned JSON document.
 */
import type { ObjectAction, ObjectRefOut, ObjectResult, SyncResult } from "../cluster/sync.js";

export const SYNC_REPORT_SCHEMA = "meshplan.io/sync-result/v1";

/** `virtualservice.networking.istio.io/reviews`, the way kubectl names objects in its output. */
export function objectName(ref: ObjectRefOut): string {
  const type = ref.group === "" ? ref.kind.toLowerCase() : `${ref.kind.toLowerCase()}.${ref.group}`;
  return `${type}/${ref.name}`;
}

function where(ref: ObjectRefOut): string {
  return ref.namespace ? ` -n ${ref.namespace}` : "";
}

const verbs: Record<ObjectAction, string> = {
  created: "created",
  configured: "configured",
  unchanged: "unchanged",
  adopted: "adopted",
  pruned: "pruned",
  failed: "failed",
  "not-attempted": "not attempted",
};

export function renderSyncText(result: SyncResult): string {
  const suffix = result.dryRun ? " (server dry run)" : "";
  const lines: string[] = [];
  for (const o of result.objects) {
    lines.push(`${objectName(o.ref)}${where(o.ref)} ${verbs[o.action]}${suffix}${o.message ? `: ${o.message}` : ""}`);
  }
  for (const p of result.prune.protected) lines.push(`${objectName(p)}${where(p)} kept: this kind is never pruned`);
  if (result.prune.enabled && result.prune.reason && !result.prune.performed && result.prune.candidates > 0) {
    lines.push(`prune: ${result.prune.reason}`);
  }
  lines.push(summaryLine(result));
  return `${lines.join("\n")}\n`;
}

export function summaryLine(result: SyncResult): string {
  const c = result.counts;
  const parts = (["created", "configured", "adopted", "unchanged", "pruned", "failed", "not-attempted"] as const)
    .filter((a) => c[a] > 0)
    .map((a) => `${c[a]} ${verbs[a]}`);
  const head =
    result.status === "skipped"
      ? `${result.cluster}: skipped`
      : `${result.cluster}: ${result.status === "synced" ? "synced" : "failed"}${result.dryRun ? " (dry run)" : ""}`;
  return `${head}${parts.length ? ` — ${parts.join(", ")}` : ""}${result.reason ? `. ${result.reason}` : ""}`;
}

export function renderSyncMarkdown(result: SyncResult, options: { commitUrl?: (sha: string) => string } = {}): string {
  const out: string[] = [];
  const commit = result.commit ? (options.commitUrl ? `[\`${result.commit.slice(0, 7)}\`](${options.commitUrl(result.commit)})` : `\`${result.commit.slice(0, 7)}\``) : "the working tree";
  const icon = result.status === "synced" ? "✅" : result.status === "skipped" ? "⏭️" : "❌";
  out.push(`### ${icon} ${result.cluster}: ${result.status}${result.dryRun ? " (dry run)" : ""}`, "");
  out.push(`Applied ${commit} as ApplySet \`${result.applySetId}\`.`, "");
  if (result.reason) out.push(`> ${result.reason}`, "");
  const rows = result.objects.filter((o) => o.action !== "unchanged");
  const unchanged = result.counts.unchanged;
  if (rows.length > 0) {
    out.push("| Object | Namespace | Result | Details |", "| --- | --- | --- | --- |");
    for (const o of rows) out.push(`| \`${objectName(o.ref)}\` | ${o.ref.namespace ?? "—"} | ${verbs[o.action]} | ${cell(detail(o))} |`);
    out.push("");
  }
  if (unchanged > 0) out.push(`${unchanged} object(s) unchanged.`, "");
  if (result.prune.enabled) {
    const p = result.prune;
    if (p.performed) out.push(`Pruned ${result.counts.pruned} of ${p.candidates} member(s) no longer in git.`);
    else if (p.candidates > 0) out.push(`Prune did not run: ${p.reason ?? "unknown reason"}.`);
    for (const k of p.protected) out.push(`- kept \`${objectName(k)}\`: this kind is never pruned`);
    out.push("");
  } else if (result.prune.candidates > 0) {
    out.push(`${result.prune.candidates} member(s) are no longer in git; prune is off for this cluster, so they stay.`, "");
  }
  out.push(summaryLine(result));
  return `${out.join("\n")}\n`;
}

function detail(o: ObjectResult): string {
  const at = o.file ? `${o.file}${o.line ? `:${o.line}` : ""}` : "";
  return [o.message ?? "", at ? `(${at})` : ""].filter(Boolean).join(" ");
}

function cell(text: string): string {
  return text.replace(/\|/g, "\\|").replace(/\r?\n/g, " ");
}

export function syncReportJson(results: readonly SyncResult[]): { schema: string; results: readonly SyncResult[] } {
  return { schema: SYNC_REPORT_SCHEMA, results };
}

/** 0 when every cluster synced or was skipped as stale; 1 otherwise. */
export function syncExitCode(results: readonly SyncResult[]): 0 | 1 {
  return results.every((r) => r.status !== "failed") ? 0 : 1;
}
