import type { EffectiveRule, HostRoutes, RoutePolicies, WeightedBackend } from "../types.js";
import { canonicalJson } from "../canonical-json.js";
import { defaultRoute } from "./default-route.js";
import type {
  BackendShare,
  DefaultRoute,
  HostDiff,
  PolicyChange,
  PolicyName,
  RuleAddition,
  RuleChange,
  RuleRemoval,
  SelectorChange,
  ShareChange,
  TrafficShift,
} from "./types.js";

const POLICY_NAMES: readonly PolicyName[] = [
  "timeout",
  "retries",
  "fault",
  "mirror",
  "rewrite",
  "redirect",
  "directResponse",
  "headers",
];

/** Weights are percentages computed by division; differences below this are rounding. */
const WEIGHT_EPSILON = 1e-6;

/**
 * The changes of one host between base and head (either may be absent), or
 * null when nothing that affects routing changed. Rules are paired by id,
 * never by list index; the work is linear in the number of rules, plus a
 * longest-increasing-subsequence pass to find moved rules.
 */
export function diffHost(base: HostRoutes | null, head: HostRoutes | null): HostDiff | null {
  const ident = head ?? base;
  if (!ident) return null;
  const baseRules = base?.rules ?? [];
  const headRules = head?.rules ?? [];
  const baseIndex = indexRules(baseRules);
  const headIndex = indexRules(headRules);

  const addedRules: RuleAddition[] = [];
  const removedRules: RuleRemoval[] = [];
  const common: { before: number; after: number }[] = [];
  headIndex.forEach((after, key) => {
    const before = baseIndex.get(key);
    if (before === undefined) addedRules.push({ ...ruleRef(headRules[after]!), position: after });
    else common.push({ before, after });
  });
  baseIndex.forEach((before, key) => {
    if (!headIndex.has(key)) removedRules.push({ ...ruleRef(baseRules[before]!), position: before });
  });
  addedRules.sort((a, b) => a.position - b.position);
  removedRules.sort((a, b) => a.position - b.position);

  common.sort((a, b) => a.before - b.before);
  const stay = longestIncreasing(common.map((c) => c.after));
  const changedRules: RuleChange[] = [];
  common.forEach((pos, i) => {
    const change = diffRule(baseRules[pos.before]!, headRules[pos.after]!, pos, !stay.has(i));
    if (change) changedRules.push(change);
  });
  changedRules.sort((a, b) => a.position.after - b.position.after);

  const trafficShift = shiftOf(base, head);
  const change = !base ? "added" : !head ? "removed" : "changed";
  if (change === "changed" && !addedRules.length && !removedRules.length && !changedRules.length && !trafficShift) {
    return null;
  }
  return {
    key: ident.key,
    host: ident.host,
    port: ident.port,
    protocol: ident.protocol,
    source: ident.source,
    attachment: ident.attachment,
    change,
    addedRules,
    removedRules,
    changedRules,
    trafficShift,
    before: base,
    after: head,
  };
}

/**
 * Rule id -> index. Two rules with the same id (identical matches, the second
 * unreachable) are told apart by occurrence, so neither hides the other.
 */
function indexRules(rules: readonly EffectiveRule[]): Map<string, number> {
  const index = new Map<string, number>();
  rules.forEach((r, i) => {
    let key = r.id;
    for (let n = 2; index.has(key); n++) key = `${r.id}\u0000${n}`;
    index.set(key, i);
  });
  return index;
}

function ruleRef(r: EffectiveRule) {
  return { id: r.id, name: r.name, matches: r.matches };
}

function diffRule(
  before: EffectiveRule,
  after: EffectiveRule,
  position: { before: number; after: number },
  moved: boolean,
): RuleChange | null {
  const shares = shareChange(before.backends, after.backends);
  const policies = POLICY_NAMES.flatMap((name) => policyChange(name, before.policies, after.policies));
  const selectors = selectorChanges(before.backends, after.backends);
  if (!moved && !shares && policies.length === 0 && selectors.length === 0) return null;
  return { ...ruleRef(after), position, moved, shares, policies, selectors };
}

function backendKey(b: { service: string; subset: string | null; port: number | null }): string {
  return `${b.service}\u0000${b.subset ?? ""}\u0000${b.port ?? ""}`;
}

/** Weight per backend; a share answered with an error counts apart from one that is delivered. */
function weightsByBackend(list: readonly BackendShare[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const b of list) {
    const k = b.unavailable === undefined ? backendKey(b) : `${backendKey(b)}\u0000unavailable`;
    m.set(k, (m.get(k) ?? 0) + b.weight);
  }
  return m;
}

function share(b: WeightedBackend): BackendShare {
  const s: BackendShare = { service: b.service, subset: b.subset, port: b.port, weight: b.weight };
  if (b.unavailable !== undefined) s.unavailable = b.unavailable;
  return s;
}

function shareChange(before: readonly WeightedBackend[], after: readonly WeightedBackend[]): ShareChange | null {
  const a = weightsByBackend(before);
  const b = weightsByBackend(after);
  let same = a.size === b.size;
  if (same) {
    for (const [k, w] of a) {
      const w2 = b.get(k);
      if (w2 === undefined || Math.abs(w2 - w) > WEIGHT_EPSILON) {
        same = false;
        break;
      }
    }
  }
  return same ? null : { before: before.map(share), after: after.map(share) };
}

function selectorChanges(before: readonly WeightedBackend[], after: readonly WeightedBackend[]): SelectorChange[] {
  const old = new Map(before.map((b) => [backendKey(b), b] as const));
  const out: SelectorChange[] = [];
  const seen = new Set<string>();
  for (const b of after) {
    const key = backendKey(b);
    const prev = old.get(key);
    if (seen.has(key) || !prev || prev.selector === undefined || b.selector === undefined) continue;
    seen.add(key);
    if (canonicalJson(prev.selector) !== canonicalJson(b.selector)) {
      out.push({ service: b.service, subset: b.subset, port: b.port, before: prev.selector, after: b.selector });
    }
  }
  return out;
}

function policyChange(name: PolicyName, before: RoutePolicies, after: RoutePolicies): PolicyChange[] {
  if (policyFingerprint(name, before) === policyFingerprint(name, after)) return [];
  return [{ policy: name, before: before[name], after: after[name] } as PolicyChange];
}

function policyFingerprint(name: PolicyName, p: RoutePolicies): string {
  // Mirrors are a set: Envoy sends a copy to each, whatever the order.
  if (name === "mirror") return canonicalJson(p.mirror.map(canonicalJson).sort());
  return canonicalJson(p[name]);
}

function shiftOf(base: HostRoutes | null, head: HostRoutes | null): TrafficShift | null {
  const before = base ? defaultRoute(base) : null;
  const after = head ? defaultRoute(head) : null;
  return routeFingerprint(before) === routeFingerprint(after) ? null : { before, after };
}

/** What default traffic experiences, not which rule delivers it: a renamed catch-all with the same backends is no shift. */
function routeFingerprint(r: DefaultRoute | null): string {
  if (!r) return "absent";
  switch (r.kind) {
    case "backends": {
      const shares = [...weightsByBackend(r.backends)]
        .map(([k, w]) => `${k}=${Math.round(w / WEIGHT_EPSILON)}`)
        .sort();
      return `backends:${shares.join(",")}`;
    }
    case "redirect":
      return `redirect:${canonicalJson(r.redirect)}`;
    case "directResponse":
      return `directResponse:${r.status}`;
    case "noBackends":
    case "none":
      return r.kind;
  }
}

/**
 * Indices (into `seq`) of one longest strictly increasing subsequence
 * (patience sorting, O(n log n)). The rules at those indices kept their
 * relative order; every other common rule moved.
 */
function longestIncreasing(seq: readonly number[]): Set<number> {
  const tails: number[] = [];
  const prev = new Array<number>(seq.length).fill(-1);
  seq.forEach((v, i) => {
    let lo = 0;
    let hi = tails.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (seq[tails[mid]!]! < v) lo = mid + 1;
      else hi = mid;
    }
    if (lo > 0) prev[i] = tails[lo - 1]!;
    tails[lo] = i;
  });
  const keep = new Set<number>();
  for (let i = tails.length ? tails[tails.length - 1]! : -1; i >= 0; i = prev[i]!) keep.add(i);
  return keep;
}
