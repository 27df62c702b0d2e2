/**
 * The host tables as a plan keeps them, for the rest of the run: the same
 * values with less memory. The engines build rules step by step, so their
 * arrays carry spare capacity, rules spread together from parts have
 * properties outside the object, every destination names its service in a
 * string of its own, and most rules carry a policies record with nothing in
 * it. At 10,000 services the two revisions' tables are the largest thing a
 * plan holds; this pass runs once per table, linear in its size.
 *
 * Nothing here changes a value: every table compacts to one `sameValue`
 * equal to it (test/routing/compact-hosts.test.ts).
 */
import type { EffectiveRule, HostRoutes, Origin, RequestMatch, RoutePolicies, WeightedBackend } from "./types.js";

/** Shared by every rule that sets no policy; frozen, as the table is never mutated. */
const NO_POLICIES: RoutePolicies = Object.freeze({
  timeout: null,
  retries: null,
  fault: null,
  mirror: Object.freeze([]) as unknown as RoutePolicies["mirror"],
  rewrite: null,
  redirect: null,
  directResponse: null,
  headers: null,
});

const policyKeys = Object.keys(NO_POLICIES) as (keyof RoutePolicies)[];

function isEmpty(p: RoutePolicies): boolean {
  // Only the eight known fields, each unset: a record with anything more keeps its own object.
  const keys = Object.keys(p);
  if (keys.length !== policyKeys.length) return false;
  for (const k of policyKeys) {
    const v = p[k];
    if (k === "mirror" ? !Array.isArray(v) || v.length > 0 : v !== null) return false;
  }
  return true;
}

export function compactHosts(hosts: readonly HostRoutes[]): HostRoutes[] {
  const strings = new Map<string, string>();
  const intern = (s: string): string => {
    const known = strings.get(s);
    if (known !== undefined) return known;
    strings.set(s, s);
    return s;
  };
  const origin = (o: Origin): Origin => ({ ...o, file: intern(o.file), path: intern(o.path) });
  const backend = (b: WeightedBackend): WeightedBackend => ({ ...b, service: intern(b.service) });
  // Literals naming every field, so each record is one object of one shape with its fields inside.
  const rule = (r: EffectiveRule): EffectiveRule => ({
    id: r.id,
    name: r.name,
    matches: r.matches.length === 0 ? [] : (r.matches.slice() as RequestMatch[]),
    backends: r.backends.map(backend),
    policies: isEmpty(r.policies) ? NO_POLICIES : r.policies,
    origin: origin(r.origin),
  });
  return hosts.map((h) => ({
    key: intern(h.key),
    host: intern(h.host),
    port: h.port,
    protocol: h.protocol,
    source: h.source,
    attachment: h.attachment,
    rules: h.rules.map(rule),
    origins: h.origins.map(origin),
  }));
}
