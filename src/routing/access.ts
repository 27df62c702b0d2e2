/**
 * Access decisions: may this caller reach this workload with this request?
 *
 * Istio AuthorizationPolicy (security.istio.io): CUSTOM is evaluated first,
 * then DENY, then ALLOW; a workload with any ALLOW policy denies every request
 * no ALLOW rule matches, and an ALLOW policy without rules allows nothing.
 * SMI TrafficTarget (access.smi-spec.io): an allow-list per destination
 * service account; a destination covered by any TrafficTarget denies what none
 * allows, unless the OSM MeshConfig enables permissive mode.
 */
import type { Labels } from "../mesh/types.js";
import { matchRequest } from "./match.js";
import type { TraceRequest } from "./trace-types.js";
import type { AccessCondition, AccessOperation, AccessRule, AccessSource, AccessTable } from "./types.js";

export interface DestinationWorkload {
  namespace: string;
  labels: Labels;
  serviceAccount: string;
}

export interface AccessDecision {
  allowed: boolean;
  /** The rule that denied, or for an allow-list miss the first allow-list rule protecting the workload. */
  deniedBy: AccessRule | null;
  /** Why, in words: "denied by DENY policy ..." or "no ALLOW rule matches". */
  reason: string | null;
}

export const TRUST_DOMAIN = "cluster.local";

export function principalOf(namespace: string, serviceAccount: string): string {
  return `${TRUST_DOMAIN}/ns/${namespace}/sa/${serviceAccount}`;
}

/**
 * Istio authorization string match: `abc` exact, `abc*` prefix, `*abc`
 * suffix, `*` any non-empty value.
 */
export function istioValueMatches(pattern: string, value: string | undefined, ignoreCase = false): boolean {
  if (value === undefined || value === "") return false;
  const p = ignoreCase ? pattern.toLowerCase() : pattern;
  const v = ignoreCase ? value.toLowerCase() : value;
  if (p === "*") return true;
  if (p.endsWith("*")) return v.startsWith(p.slice(0, -1));
  if (p.startsWith("*")) return v.endsWith(p.slice(1));
  return p === v;
}

function anyOf(patterns: string[] | undefined, value: string | undefined, ignoreCase = false): boolean {
  return patterns === undefined || patterns.length === 0 || patterns.some((p) => istioValueMatches(p, value, ignoreCase));
}

function noneOf(patterns: string[] | undefined, value: string | undefined, ignoreCase = false): boolean {
  return patterns === undefined || !patterns.some((p) => istioValueMatches(p, value, ignoreCase));
}

function sourceMatches(s: AccessSource, req: TraceRequest): boolean {
  if (s.unevaluated?.length) return false;
  const principal = req.from ? principalOf(req.from.namespace, req.from.serviceAccount) : undefined;
  const ns = req.from?.namespace;
  return anyOf(s.principals, principal) && noneOf(s.notPrincipals, principal) && anyOf(s.namespaces, ns) && noneOf(s.notNamespaces, ns);
}

function operationMatches(o: AccessOperation, req: TraceRequest): boolean {
  const method = req.method.toUpperCase();
  const host = req.headers[":authority"] ?? req.headers.host ?? req.host;
  if (o.methods?.length && !o.methods.some((m) => m === "*" || m.toUpperCase() === method)) return false;
  if (o.notMethods?.some((m) => m === "*" || m.toUpperCase() === method)) return false;
  if (!anyOf(o.paths, req.path) || !noneOf(o.notPaths, req.path)) return false;
  if (o.ports?.length && (req.port === null || !o.ports.includes(req.port))) return false;
  if (o.notPorts?.length && req.port !== null && o.notPorts.includes(req.port)) return false;
  if (!anyOf(o.hosts, host, true) || !noneOf(o.notHosts, host, true)) return false;
  if (o.matches?.length && !o.matches.some((m) => matchRequest(m, req))) return false;
  return true;
}

/** Attribute values Istio `when` conditions read that a traced request can supply. */
function conditionValue(key: string, req: TraceRequest): string | undefined {
  const header = /^request\.headers\[(.+)\]$/.exec(key);
  if (header) return req.headers[header[1]!.toLowerCase()];
  switch (key) {
    case "source.namespace":
      return req.from?.namespace;
    case "source.principal":
      return req.from ? principalOf(req.from.namespace, req.from.serviceAccount) : undefined;
    case "destination.port":
      return req.port === null ? undefined : String(req.port);
    case "request.method":
      return req.method.toUpperCase();
    default:
      // JWT claims, IPs, SNI...: a traced request carries none, so the condition cannot hold.
      return undefined;
  }
}

function conditionHolds(c: AccessCondition, req: TraceRequest): boolean {
  const v = conditionValue(c.key, req);
  if (c.values?.length && !c.values.some((p) => istioValueMatches(p, v))) return false;
  if (c.notValues?.length && c.notValues.some((p) => istioValueMatches(p, v))) return false;
  return true;
}

export function accessRuleMatches(rule: AccessRule, req: TraceRequest): boolean {
  if (rule.matchesNothing) return false;
  if (rule.from.length > 0 && !rule.from.some((s) => sourceMatches(s, req))) return false;
  if (rule.to.length > 0 && !rule.to.some((o) => operationMatches(o, req))) return false;
  return rule.when.every((c) => conditionHolds(c, req));
}

export function ruleAppliesTo(rule: AccessRule, dest: DestinationWorkload): boolean {
  const t = rule.target;
  if (t.namespace !== null && t.namespace !== dest.namespace) return false;
  if (t.serviceAccount !== null && t.serviceAccount !== dest.serviceAccount) return false;
  if (t.selector) for (const [k, v] of Object.entries(t.selector)) if (dest.labels[k] !== v) return false;
  return true;
}

export function evaluateAccess(access: AccessTable, dest: DestinationWorkload, req: TraceRequest): AccessDecision {
  const istio: AccessRule[] = [];
  const smi: AccessRule[] = [];
  // OSM: IngressBackend rules (direction "ingress") alone govern traffic that enters
  // from an ingress controller, TrafficTargets only traffic between mesh workloads,
  // and Egress rules only calls leaving the mesh. Istio policies see every caller.
  const northSouth = req.attachment !== "mesh";
  for (const r of access.rules) {
    if (r.direction === "egress") continue;
    if (r.engine === "smi" && (r.direction === "ingress") !== northSouth) continue;
    if (r.engine === "istio" && r.direction !== undefined) continue;
    if (!ruleAppliesTo(r, dest)) continue;
    if (r.engine === "istio") istio.push(r);
    else if (!access.smiPermissive) smi.push(r);
  }
  // CUSTOM delegates to an external authorizer meshplan cannot consult; it is
  // evaluated before DENY in Istio but its verdict is unknown here, so it neither allows nor denies.
  const deny = istio.find((r) => r.action === "DENY" && accessRuleMatches(r, req));
  if (deny) return { allowed: false, deniedBy: deny, reason: `denied by ${deny.summary}` };
  const allows = istio.filter((r) => r.action === "ALLOW");
  if (allows.length > 0 && !allows.some((r) => accessRuleMatches(r, req))) {
    return { allowed: false, deniedBy: allows[0]!, reason: "no Istio ALLOW rule for this workload matches the request" };
  }
  const smiAllows = smi.filter((r) => r.action === "ALLOW");
  if (smiAllows.length > 0 && !smiAllows.some((r) => accessRuleMatches(r, req))) {
    const what = northSouth ? "no OSM IngressBackend allows this source" : "no SMI TrafficTarget allows this source and route";
    return { allowed: false, deniedBy: smiAllows[0]!, reason: what };
  }
  return { allowed: true, deniedBy: null, reason: null };
}
