/**
 * Gateway API rule precedence across every route attached to one parent and
 * host (apis/v1 HTTPRouteRule.matches, GRPCRouteRule.matches). Rules are not
 * taken in list order: the table is sorted so that first-match gives the
 * spec's answer.
 *
 * HTTPRoute, continuing on ties: the route hostname with the most characters
 * in a non-wildcard hostname, then the most characters; an Exact path; a
 * PathPrefix with the most characters; a method match; the most header
 * matches; the most query param matches. GRPCRoute: hostname as above; the
 * most characters in the service; in the method; the most header matches.
 * Then, across routes: the oldest by creationTimestamp, then
 * `{namespace}/{name}` alphabetically; within a route, rule order.
 *
 * RegularExpression path precedence is implementation-specific in the spec;
 * meshplan ranks it after every PathPrefix, as Istio does (Exact > Prefix > Regex).
 */
import type { RequestMatch } from "../types.js";

export interface RulePrecedence {
  /** The hostname as the route wrote it; "" when the route has none (GAMMA routes ignore hostnames). */
  routeHostname: string;
  /** Match criteria, each compared larger-first. */
  matchKeys: number[];
  /** metadata.creationTimestamp (RFC 3339), null when absent: then age does not decide. */
  creationTimestamp: string | null;
  /** `{namespace}/{name}` of the route. */
  routeKey: string;
  ruleIndex: number;
  matchIndex: number;
}

export function comparePrecedence(a: RulePrecedence, b: RulePrecedence): number {
  const [aExact, aLength] = hostnameKeys(a.routeHostname);
  const [bExact, bLength] = hostnameKeys(b.routeHostname);
  const byHost = bExact - aExact || bLength - aLength;
  if (byHost) return byHost;
  const n = Math.max(a.matchKeys.length, b.matchKeys.length);
  for (let i = 0; i < n; i++) {
    const d = (b.matchKeys[i] ?? 0) - (a.matchKeys[i] ?? 0);
    if (d) return d;
  }
  if (a.creationTimestamp && b.creationTimestamp && a.creationTimestamp !== b.creationTimestamp) {
    return Date.parse(a.creationTimestamp) - Date.parse(b.creationTimestamp) || (a.creationTimestamp < b.creationTimestamp ? -1 : 1);
  }
  if (a.routeKey !== b.routeKey) return a.routeKey < b.routeKey ? -1 : 1;
  return a.ruleIndex - b.ruleIndex || a.matchIndex - b.matchIndex;
}

function hostnameKeys(hostname: string): [number, number] {
  return [hostname.startsWith("*") ? 0 : hostname.length, hostname.length];
}

const pathRank = { exact: 3, pathPrefix: 2, prefix: 2, regex: 1, present: 0 } as const;

/** HTTPRoute match criteria: path kind, path length, method, header count, query param count. */
export function httpMatchKeys(match: RequestMatch): number[] {
  const uri = match.uri;
  const rank = uri ? pathRank[uri.type] : 0;
  // Length ranks prefixes (and, as in Istio, regexes); two different Exact paths never match the same request.
  const length = uri && uri.type !== "present" && uri.type !== "exact" ? normalizedLength(uri.type, uri.value) : 0;
  return [rank, length, match.method ? 1 : 0, match.headers?.length ?? 0, match.queryParams?.length ?? 0];
}

/** GRPCRoute match criteria: service characters, method characters, header count. */
export function grpcMatchKeys(service: string | null, method: string | null, headerCount: number): number[] {
  return [service?.length ?? 0, method?.length ?? 0, headerCount];
}

/** A PathPrefix's trailing `/` is ignored when matching, so `/v2/` and `/v2` are the same prefix. */
function normalizedLength(type: string, value: string): number {
  if (type === "pathPrefix" && value.length > 1 && value.endsWith("/")) return value.length - 1;
  return value.length;
}
