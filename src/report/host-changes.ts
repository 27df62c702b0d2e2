import type { HostDiff } from "../routing/diff.js";
import type { EffectiveRule } from "../routing/types.js";
import { hostBackendNamer } from "./backend-name.js";
import { describeRule, labels } from "./describe-match.js";
import { describePolicies, describePolicy, policyLabel } from "./describe-policy.js";
import { describeOutcome, describeShares, ordinal } from "./describe-route.js";

export type HostChangeKind = "added" | "removed" | "moved" | "shares" | "policy" | "selector";

/** One change of one host, in words; markdown and text differ only in how they set it. */
export interface HostChangeLine {
  kind: HostChangeKind;
  /** `added`, `moved`, `timeout`, ... */
  verb: string;
  /** The rule's label (`headers[end-user]=jason`). */
  rule: string;
  /** The change is a property of the rule (its shares, a policy): read "timeout of <rule>: 10s -> 5s". */
  ofRule: boolean;
  /** Follows the rule directly when `ofRule` is false (so it starts with its own space or comma). */
  detail: string;
}

/**
 * Changes in the order a reviewer weighs them: what rules exist (removed,
 * added), then their order (first match wins), then shares and policies.
 */
export function hostChanges(d: HostDiff, arrow: string): HostChangeLine[] {
  const name = hostBackendNamer([d.after, d.before]);
  const outcome = (rule: EffectiveRule | undefined) => {
    if (!rule) return "";
    const policies = describePolicies({ ...rule.policies, redirect: null, directResponse: null }, name);
    return `${arrow} ${describeOutcome(rule, name)}${policies.length ? `; ${policies.join("; ")}` : ""}`;
  };
  const out: HostChangeLine[] = [];
  for (const r of d.removedRules) {
    out.push({ kind: "removed", verb: "removed", rule: describeRule(r), ofRule: false, detail: `, was ${ordinal(r.position)} rule ${outcome(d.before?.rules[r.position])}` });
  }
  for (const r of d.addedRules) {
    out.push({ kind: "added", verb: "added", rule: describeRule(r), ofRule: false, detail: ` as ${ordinal(r.position)} rule ${outcome(d.after?.rules[r.position])}` });
  }
  for (const c of d.changedRules) {
    const rule = describeRule(c);
    if (c.moved) {
      out.push({ kind: "moved", verb: "moved", rule, ofRule: false, detail: ` from ${ordinal(c.position.before)} to ${ordinal(c.position.after)} rule` });
    }
    if (c.shares) {
      const detail = `${describeShares(c.shares.before, name)} ${arrow} ${describeShares(c.shares.after, name)}`;
      out.push({ kind: "shares", verb: "shares", rule, ofRule: true, detail });
    }
    for (const p of c.policies) {
      const detail = `${describePolicy(p.policy, p.before, name)} ${arrow} ${describePolicy(p.policy, p.after, name)}`;
      out.push({ kind: "policy", verb: policyLabel(p.policy), rule, ofRule: true, detail });
    }
    for (const s of c.selectors) {
      const sel = (l: Record<string, string> | null) => (l ? labels(l) || "every pod" : "unresolved");
      out.push({ kind: "selector", verb: "subset", rule, ofRule: true, detail: `${name(s)} selects ${sel(s.before)} ${arrow} ${sel(s.after)}` });
    }
  }
  return out;
}
