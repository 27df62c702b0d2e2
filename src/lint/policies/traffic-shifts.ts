/**
 * How the traffic shares of one routing object move between two revisions of
 * it: the data behind the CEL helper `trafficShifts(oldObject, object)`
 * (docs/policies.md). Shares are computed with the routing engines' own
 * weight rules, so a policy sees the same percentages as `meshplan plan`:
 *
 * - Istio VirtualService `http`, `tcp` and `tls` routes: one destination gets
 *   100%, otherwise weight / sum with unset or 0 weights dropped.
 * - Gateway API HTTPRoute and GRPCRoute rules: backendRef weight defaults to
 *   1, weight 0 gets nothing.
 * - SMI TrafficSplit: weight / sum, v1alpha1 weights being Kubernetes quantities.
 *
 * A rule is known by its name (when set) and its matches, never by its list
 * index, as in the routing diff. Only rules present in both revisions that
 * route to backends in both are compared: a new rule, a removed one, or one
 * that now redirects is a different change, not a shift of weights. A
 * backend present on one side only has 0% on the other.
 */
import { splitApiVersion } from "../../manifests/types.js";
import { canonicalJson } from "../../routing/canonical-json.js";
import { uniqueIds } from "../../routing/istio/rule-id.js";
import { weightShares } from "../../routing/istio/weight-shares.js";
import { parseQuantity, toCommonScale } from "../../routing/smi/parse-quantity.js";
import { percentShares } from "../../routing/weight-shares.js";

export interface TrafficShift {
  /** The rule's identity: `name:matches`, or the matches as canonical JSON; `tcp`/`tls` rules are prefixed so. */
  rule: string;
  /** `reviews v1` (host and subset), `bookstore-v2` (SMI service), `ns/name:port` (Gateway API backendRef). */
  backend: string;
  /** Percentage of the rule's traffic in the old revision, 0..100. */
  from: number;
  /** Percentage in the new revision, 0..100. */
  to: number;
}

/** Backends whose share of a rule changes between `oldObject` and `object`; empty when either is absent or they are not the same kind. */
export function trafficShifts(oldObject: unknown, object: unknown): TrafficShift[] {
  if (!isRecord(oldObject) || !isRecord(object)) return [];
  if (oldObject.kind !== object.kind || groupOf(oldObject.apiVersion) !== groupOf(object.apiVersion)) return [];
  const before = ruleShares(oldObject);
  const after = ruleShares(object);
  const out: TrafficShift[] = [];
  for (const [rule, now] of after) {
    const was = before.get(rule);
    if (!was || was.size === 0 || now.size === 0) continue;
    const backends = [...was.keys(), ...[...now.keys()].filter((b) => !was.has(b))];
    for (const backend of backends) {
      const from = was.get(backend) ?? 0;
      const to = now.get(backend) ?? 0;
      if (from !== to) out.push({ rule, backend, from, to });
    }
  }
  return out;
}

type Shares = Map<string, number>;

/** Rule identity -> backend -> percentage. */
function ruleShares(obj: Record<string, unknown>): Map<string, Shares> {
  const spec = isRecord(obj.spec) ? obj.spec : {};
  const group = groupOf(obj.apiVersion);
  if (group === "networking.istio.io" && obj.kind === "VirtualService") return virtualServiceShares(spec);
  if (group === "gateway.networking.k8s.io" && (obj.kind === "HTTPRoute" || obj.kind === "GRPCRoute")) return gatewayRouteShares(spec);
  if (group === "split.smi-spec.io" && obj.kind === "TrafficSplit") return trafficSplitShares(spec);
  return new Map();
}

function virtualServiceShares(spec: Record<string, unknown>): Map<string, Shares> {
  const out = new Map<string, Shares>();
  for (const section of ["http", "tcp", "tls"] as const) {
    const rules = records(spec[section]);
    const ids = uniqueIds(rules.map((r) => ruleIdentity(section === "http" ? "" : `${section} `, r.name, r.match)));
    rules.forEach((r, i) => {
      const route = records(r.route);
      const shares = weightShares(route.map((d) => (typeof d.weight === "number" ? d.weight : undefined)));
      out.set(ids[i]!, sum(route.map((d, k) => [destinationName(d.destination), shares[k]!])));
    });
  }
  return out;
}

function gatewayRouteShares(spec: Record<string, unknown>): Map<string, Shares> {
  const rules = records(spec.rules);
  const ids = uniqueIds(rules.map((r) => ruleIdentity("", r.name, r.matches)));
  const out = new Map<string, Shares>();
  rules.forEach((r, i) => {
    const refs = records(r.backendRefs);
    // Gateway API BackendRef: weight defaults to 1.
    const shares = percentShares(refs.map((b) => (typeof b.weight === "number" ? b.weight : 1)));
    out.set(ids[i]!, sum(refs.map((b, k) => [backendRefName(b), shares[k]!])));
  });
  return out;
}

function trafficSplitShares(spec: Record<string, unknown>): Map<string, Shares> {
  const backends = records(spec.backends);
  const weights = toCommonScale(
    backends.map((b) => parseQuantity(typeof b.weight === "number" || typeof b.weight === "string" ? b.weight : 0) ?? { numerator: 0n, scale: 0 }),
  );
  const shares = percentShares(weights);
  return new Map([[ruleIdentity("", undefined, spec.matches), sum(backends.map((b, k) => [String(b.service ?? ""), shares[k]!]))]]);
}

function ruleIdentity(prefix: string, name: unknown, matches: unknown): string {
  const m = canonicalJson(Array.isArray(matches) ? matches : []);
  return typeof name === "string" && name !== "" ? `${prefix}${name}:${m}` : `${prefix}${m}`;
}

function destinationName(destination: unknown): string {
  if (!isRecord(destination)) return "";
  const host = String(destination.host ?? "");
  return typeof destination.subset === "string" && destination.subset !== "" ? `${host} ${destination.subset}` : host;
}

function backendRefName(ref: Record<string, unknown>): string {
  const kind = typeof ref.kind === "string" && ref.kind !== "Service" ? `${ref.kind} ` : "";
  const ns = typeof ref.namespace === "string" && ref.namespace !== "" ? `${ref.namespace}/` : "";
  const port = typeof ref.port === "number" ? `:${ref.port}` : "";
  return `${kind}${ns}${String(ref.name ?? "")}${port}`;
}

/** Shares of backends that appear twice in one rule add up. */
function sum(entries: readonly (readonly [string, number])[]): Shares {
  const out: Shares = new Map();
  for (const [k, v] of entries) out.set(k, (out.get(k) ?? 0) + v);
  return out;
}

function groupOf(apiVersion: unknown): string {
  return typeof apiVersion === "string" ? splitApiVersion(apiVersion).group : "";
}

function records(v: unknown): Record<string, unknown>[] {
  return Array.isArray(v) ? v.filter(isRecord) : [];
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}
