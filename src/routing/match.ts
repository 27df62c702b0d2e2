/**
 * Request matching: does one request satisfy a rule's match blocks? Shared by
 * every engine's table, so the semantics each engine needs are encoded in the
 * StringMatch type it chose (see src/routing/types.ts).
 */
import type { Labels } from "../mesh/types.js";
import { re2FullMatch } from "./regex.js";
import type { TraceRequest } from "./trace-types.js";
import type { EffectiveRule, KeyedMatch, RequestMatch, StringMatch } from "./types.js";

export function matchString(m: StringMatch, value: string, ignoreCase = false): boolean {
  const v = ignoreCase ? value.toLowerCase() : value;
  switch (m.type) {
    case "present":
      return true;
    case "exact":
      return v === (ignoreCase ? m.value.toLowerCase() : m.value);
    case "prefix":
      return v.startsWith(ignoreCase ? m.value.toLowerCase() : m.value);
    case "pathPrefix":
      return pathPrefixMatches(ignoreCase ? m.value.toLowerCase() : m.value, v);
    case "regex":
      return re2FullMatch(m.value, value, { ignoreCase });
  }
}

/**
 * Gateway API `PathPrefix` and Ingress `Prefix`: the prefix matches whole path
 * elements, so `/api/order` matches `/api/order` and `/api/order/1` but not
 * `/api/orders`; a trailing `/` in the prefix is ignored and `/` matches all.
 */
export function pathPrefixMatches(prefix: string, path: string): boolean {
  const p = prefix.length > 1 && prefix.endsWith("/") ? prefix.slice(0, -1) : prefix;
  if (p === "/" || p === "") return true;
  return path === p || path.startsWith(`${p}/`);
}

/**
 * Envoy `HeaderUtility::matchHeaders`: when the header is absent, a matcher
 * only succeeds if it is a presence matcher whose result, after inversion,
 * means "absent". So Istio `withoutHeaders: {x: {exact: a}}` does NOT match a
 * request without `x`, while `withoutHeaders: {x: {}}` (presence) does.
 */
function matchKeyed(k: KeyedMatch, value: string | undefined): boolean {
  if (value === undefined) return k.match.type === "present" && k.invert === true;
  const hit = matchString(k.match, value);
  return k.invert ? !hit : hit;
}

function labelsInclude(have: Labels, want: Labels): boolean {
  for (const [key, v] of Object.entries(want)) if (have[key] !== v) return false;
  return true;
}

/** The attachment a `gateways` entry names: `mesh`, or `ns/name` for `gateway:ns/name`. */
function gatewayName(attachment: string): string {
  return attachment.startsWith("gateway:") ? attachment.slice("gateway:".length) : attachment;
}

/** One match block: every condition present must hold. */
export function matchRequest(m: RequestMatch, req: TraceRequest): boolean {
  if (m.uri && !matchString(m.uri, req.path, m.ignoreUriCase === true)) return false;
  if (m.method && !matchString(m.method, req.method.toUpperCase())) return false;
  if (m.scheme && !matchString(m.scheme, req.scheme)) return false;
  if (m.authority && !matchString(m.authority, req.headers[":authority"] ?? req.headers.host ?? req.host)) return false;
  if (m.port !== undefined && req.port !== m.port) return false;
  for (const h of m.headers ?? []) if (!matchKeyed(h, req.headers[h.name.toLowerCase()])) return false;
  for (const q of m.queryParams ?? []) if (!matchKeyed(q, req.query[q.name])) return false;
  if (m.sourceLabels && !labelsInclude(req.sourceLabels, m.sourceLabels)) return false;
  if (m.sourceNamespace !== undefined && req.from?.namespace !== m.sourceNamespace) return false;
  if (m.gateways && m.gateways.length > 0 && !m.gateways.includes(gatewayName(req.attachment))) return false;
  return true;
}

/** Match blocks are ORed; a rule without match blocks matches every request. */
export function ruleMatches(rule: EffectiveRule, req: TraceRequest): boolean {
  return rule.matches.length === 0 || rule.matches.some((m) => matchRequest(m, req));
}
