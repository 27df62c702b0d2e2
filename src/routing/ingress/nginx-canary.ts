/**
 * ingress-nginx canary annotations (ingress-nginx docs, "Annotations" >
 * "Canary"; rootfs/etc/nginx/lua/balancer.lua `route_to_alternative_balancer`).
 * A canary Ingress is an alternative backend of the main Ingress location with
 * the same host, path and pathType. For each request ingress-nginx decides,
 * in this order:
 *
 * 1. canary-by-header: with canary-by-header-value, that exact value sends the
 *    request to the canary; else with canary-by-header-pattern, a value the
 *    pattern finds (PCRE search, not anchored) does; else the value `always`
 *    sends it to the canary and `never` to the main backend. Any other value
 *    (or an absent header) does not decide.
 * 2. canary-by-cookie: cookie value `always` -> canary, `never` -> main.
 * 3. canary-weight out of canary-weight-total (100 unless a larger total is given).
 *
 * The decision is expressed as ordered rules on the main location's match, so
 * a first-match reader gets the same answer.
 */
import type { KeyedMatch, RequestMatch, WeightedBackend } from "../types.js";
import { percentShares } from "../weight-shares.js";

const PREFIX = "nginx.ingress.kubernetes.io/";

export interface NginxCanary {
  header: string | null;
  headerValue: string | null;
  headerPattern: string | null;
  cookie: string | null;
  /** Requests out of `weightTotal` sent to the canary. */
  weight: number;
  weightTotal: number;
}

/** The canary settings of an Ingress, or null when it is not a canary (`canary: "true"` absent). */
export function nginxCanary(annotations: Readonly<Record<string, string>>): NginxCanary | null {
  if (annotations[`${PREFIX}canary`] !== "true") return null;
  const text = (name: string) => {
    const v = annotations[`${PREFIX}${name}`];
    return v ? v : null;
  };
  const weight = parseCount(text("canary-weight")) ?? 0;
  const total = parseCount(text("canary-weight-total"));
  return {
    header: text("canary-by-header"),
    headerValue: text("canary-by-header-value"),
    headerPattern: text("canary-by-header-pattern"),
    cookie: text("canary-by-cookie"),
    weight,
    // balancer.lua uses the configured total only when it is above 100.
    weightTotal: total !== null && total > 100 ? total : 100,
  };
}

function parseCount(v: string | null): number | null {
  if (v === null || !/^\s*\d+\s*$/.test(v)) return null;
  return Number(v.trim());
}

export interface CanaryRule {
  /** Names the canary mechanism that decides: canary-by-header, canary-by-cookie, canary-weight. */
  name: string;
  match: RequestMatch;
  backends: WeightedBackend[];
  /** True when the rule comes from the canary Ingress (its origin), false when from the main one. */
  fromCanary: boolean;
}

/**
 * The rules that replace one main location: header rules, cookie rules, then
 * the weighted split (always last, matching every request the location matches).
 */
export function canaryRules(canary: NginxCanary, base: RequestMatch, main: WeightedBackend[], alternative: WeightedBackend[]): CanaryRule[] {
  const out: CanaryRule[] = [];
  const withHeader = (h: KeyedMatch): RequestMatch => ({ ...base, headers: [...(base.headers ?? []), h] });
  if (canary.header) {
    const name = canary.header.toLowerCase();
    if (canary.headerValue) {
      out.push({ name: "canary-by-header", match: withHeader({ name, match: { type: "exact", value: canary.headerValue } }), backends: alternative, fromCanary: true });
    } else if (canary.headerPattern) {
      // ngx.re.match finds the pattern anywhere in the value; a regex here must match the whole value.
      out.push({
        name: "canary-by-header",
        match: withHeader({ name, match: { type: "regex", value: `.*(?:${canary.headerPattern}).*` } }),
        backends: alternative,
        fromCanary: true,
      });
    } else {
      out.push({ name: "canary-by-header", match: withHeader({ name, match: { type: "exact", value: "always" } }), backends: alternative, fromCanary: true });
      out.push({ name: "canary-by-header", match: withHeader({ name, match: { type: "exact", value: "never" } }), backends: main, fromCanary: true });
    }
  }
  if (canary.cookie) {
    out.push({ name: "canary-by-cookie", match: withHeader({ name: "cookie", match: { type: "regex", value: cookieRegex(canary.cookie, "always") } }), backends: alternative, fromCanary: true });
    out.push({ name: "canary-by-cookie", match: withHeader({ name: "cookie", match: { type: "regex", value: cookieRegex(canary.cookie, "never") } }), backends: main, fromCanary: true });
  }
  out.push({ name: "canary-weight", match: base, backends: weightedSplit(canary, main, alternative), fromCanary: false });
  return out;
}

/**
 * An RE2 pattern, matched against the whole `cookie` header, that holds when
 * the cookie `name` has exactly `value` (nginx `$cookie_<name>`: pairs are
 * separated by `;` and optional spaces).
 */
export function cookieRegex(name: string, value: string): string {
  return `(?:.*;[ \\t]*)?${escapeRegex(name)}=${escapeRegex(value)}(?:[ \\t]*;.*)?`;
}

/** balancer.lua: `math.random(total) <= weight` sends weight/total of requests to the canary. */
function weightedSplit(canary: NginxCanary, main: WeightedBackend[], alternative: WeightedBackend[]): WeightedBackend[] {
  const toCanary = Math.min(canary.weight, canary.weightTotal);
  const [mainShare, canaryShare] = percentShares([canary.weightTotal - toCanary, toCanary]);
  return [...scale(main, mainShare ?? 0), ...scale(alternative, canaryShare ?? 0)];
}

function scale(backends: WeightedBackend[], share: number): WeightedBackend[] {
  if (share <= 0) return [];
  return backends.map((b) => ({ ...b, weight: Math.round(((b.weight * share) / 100) * 10_000) / 10_000 }));
}

function escapeRegex(s: string): string {
  return s.replace(/[\\^$.*+?()[\]{}|]/g, "\\$&");
}
