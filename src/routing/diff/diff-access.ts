import type { AccessRule, AccessTable } from "../types.js";
import { canonicalJson } from "../canonical-json.js";
import type { AccessDiff, AccessEdge, AccessEffect, AccessRuleChange } from "./types.js";

/** Access rules paired by id: added, removed, changed, and what each means as allowed/denied edges. */
export function diffAccess(base: AccessTable, head: AccessTable): AccessDiff {
  const baseById = indexById(base.rules);
  const headById = indexById(head.rules);
  const added: AccessRule[] = [];
  const removed: AccessRule[] = [];
  const changed: AccessRuleChange[] = [];
  const edges: AccessEdge[] = [];

  headById.forEach((after, key) => {
    const before = baseById.get(key);
    if (!before) {
      added.push(after);
      edges.push(...edgeOf(after, "gained", head.smiPermissive));
    } else if (fingerprint(before) !== fingerprint(after)) {
      changed.push({ id: after.id, before, after });
      if (effectFingerprint(before) !== effectFingerprint(after)) {
        edges.push(...edgeOf(before, "lost", base.smiPermissive), ...edgeOf(after, "gained", head.smiPermissive));
      }
    }
  });
  baseById.forEach((before, key) => {
    if (!headById.has(key)) {
      removed.push(before);
      edges.push(...edgeOf(before, "lost", base.smiPermissive));
    }
  });

  const smiPermissive =
    base.smiPermissive === head.smiPermissive ? null : { before: base.smiPermissive, after: head.smiPermissive };
  return { added, removed, changed, edges, smiPermissive };
}

function indexById(rules: readonly AccessRule[]): Map<string, AccessRule> {
  const m = new Map<string, AccessRule>();
  for (const r of rules) {
    let key = r.id;
    for (let n = 2; m.has(key); n++) key = `${r.id}\u0000${n}`;
    m.set(key, r);
  }
  return m;
}

/** Everything but where the rule is written: moving a policy to another line or file changes nothing. */
function fingerprint(r: AccessRule): string {
  const { origin: _origin, ...rest } = r;
  return canonicalJson(rest);
}

/** The part of a rule an edge speaks of; a change elsewhere (e.g. a `when` condition) is listed but makes no edge. */
function effectFingerprint(r: AccessRule): string {
  return canonicalJson([r.action, r.summary, r.target, r.matchesNothing, r.direction ?? null]);
}

function edgeOf(r: AccessRule, direction: "gained" | "lost", smiPermissive: boolean): AccessEdge[] {
  const effect = effectOf(r, direction);
  if (!effect) return [];
  return [
    {
      effect,
      ruleId: r.id,
      engine: r.engine,
      action: r.action,
      target: r.target,
      direction: r.direction ?? null,
      summary: r.summary,
      enforced: !(r.engine === "smi" && smiPermissive),
    },
  ];
}

function effectOf(r: AccessRule, direction: "gained" | "lost"): AccessEffect | null {
  const gained = direction === "gained";
  switch (r.action) {
    case "ALLOW":
      // Istio: an ALLOW policy without rules allows nothing, and any ALLOW on a workload denies what none allows.
      if (r.matchesNothing) return gained ? "newlyDenied" : "noLongerDenied";
      return gained ? "newlyAllowed" : "noLongerAllowed";
    case "DENY":
      // Istio: a DENY policy without rules denies nothing.
      if (r.matchesNothing) return null;
      return gained ? "newlyDenied" : "noLongerDenied";
    case "CUSTOM":
      return gained ? "newlyCustom" : "noLongerCustom";
    case "AUDIT":
      return gained ? "newlyAudited" : "noLongerAudited";
  }
}
