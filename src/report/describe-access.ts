import type { AccessDiff, AccessEffect } from "../routing/diff.js";
import type { AccessRule } from "../routing/types.js";
import { labels } from "./describe-match.js";

/** Whether a line opens or closes traffic, for colour and markers. */
export type AccessTone = "opens" | "closes" | "neutral";

export interface AccessLine {
  tone: AccessTone;
  /** `newly allowed`, `no longer denied`, `changed`, ... */
  label: string;
  /** The rule's own summary, or a sentence about the mesh. */
  summary: string;
  /** `ALLOW on namespace default, app=reviews · istio`. */
  detail: string;
}

const EFFECTS: Record<AccessEffect, { label: string; tone: AccessTone }> = {
  newlyAllowed: { label: "newly allowed", tone: "opens" },
  noLongerAllowed: { label: "no longer allowed", tone: "closes" },
  newlyDenied: { label: "newly denied", tone: "closes" },
  noLongerDenied: { label: "no longer denied", tone: "opens" },
  newlyCustom: { label: "newly checked by a CUSTOM authorizer", tone: "neutral" },
  noLongerCustom: { label: "no longer checked by a CUSTOM authorizer", tone: "neutral" },
  newlyAudited: { label: "newly audited", tone: "neutral" },
  noLongerAudited: { label: "no longer audited", tone: "neutral" },
};

/**
 * The access part of a diff as lines for people: the permissive-mode switch
 * first (it outweighs every SMI rule), then each allowed/denied edge, then
 * rule changes that open or close nothing by themselves.
 */
export function describeAccess(diff: AccessDiff): AccessLine[] {
  const out: AccessLine[] = [];
  if (diff.smiPermissive) {
    out.push(
      diff.smiPermissive.after
        ? {
            tone: "opens",
            label: "permissive mode on",
            summary: "OSM permissive traffic policy mode is enabled: SMI access rules are no longer enforced",
            detail: "MeshConfig spec.traffic.enablePermissiveTrafficPolicyMode",
          }
        : {
            tone: "closes",
            label: "permissive mode off",
            summary: "OSM permissive traffic policy mode is disabled: SMI access rules are now enforced",
            detail: "MeshConfig spec.traffic.enablePermissiveTrafficPolicyMode",
          },
    );
  }
  for (const e of diff.edges) {
    const { label, tone } = EFFECTS[e.effect];
    const enforced = e.enforced ? "" : " · not enforced while permissive mode is on";
    out.push({ tone, label, summary: e.summary, detail: `${ruleScope(e)} · ${e.engine}${enforced}` });
  }
  const edged = new Set(diff.edges.map((e) => e.ruleId));
  const silent = (label: string, r: AccessRule, why: string): AccessLine => ({
    tone: "neutral",
    label,
    summary: r.summary,
    detail: `${ruleScope(r)} · ${r.engine} · ${why}`,
  });
  for (const c of diff.changed) if (!edged.has(c.id)) out.push(silent("changed", c.after, "sources, operations or conditions changed"));
  for (const r of diff.added) if (!edged.has(r.id)) out.push(silent("added", r, "matches nothing"));
  for (const r of diff.removed) if (!edged.has(r.id)) out.push(silent("removed", r, "matched nothing"));
  return out;
}

type Scoped = { action: string; target: AccessRule["target"]; direction?: "ingress" | "egress" | null };

/** `ALLOW on namespace default, app=reviews`, `ALLOW for traffic leaving the mesh`. */
function ruleScope(r: Scoped): string {
  return `${r.action} ${r.direction ? "for" : "on"} ${describeAppliesTo(r)}`;
}

/** What a rule governs: its target workloads, or for north-south rules the direction of traffic. */
export function describeAppliesTo(r: Scoped): string {
  // OSM Egress protects no mesh workload: its target says nothing, its `to` hosts are in the summary.
  if (r.direction === "egress") return "traffic leaving the mesh";
  if (r.direction === "ingress") return `traffic entering the mesh to ${describeTarget(r.target)}`;
  return describeTarget(r.target);
}

/** The workloads a rule protects: `namespace default, app=reviews`, `service account bookstore in bookstore`, `the whole mesh`. */
export function describeTarget(t: AccessRule["target"]): string {
  const parts: string[] = [];
  if (t.serviceAccount) parts.push(`service account ${t.serviceAccount}${t.namespace ? ` in ${t.namespace}` : ""}`);
  else if (t.namespace) parts.push(`namespace ${t.namespace}`);
  else parts.push("the whole mesh");
  if (t.selector && Object.keys(t.selector).length > 0) parts.push(labels(t.selector));
  return parts.join(", ");
}
