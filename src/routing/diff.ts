/**
 * Routing diff: what a change to the mesh configuration does to traffic.
 * Hosts are paired by `HostRoutes.key` and rules by `EffectiveRule.id`, never
 * by list position, so an edit that only reorders rules reads as a reorder.
 * Everything is indexed with Maps: linear in the size of both tables.
 */
import type { HostRoutes, RoutingTable } from "./types.js";
import { diffAccess } from "./diff/diff-access.js";
import { diffHost } from "./diff/diff-host.js";
import type { HostDiff, RoutingDiff } from "./diff/types.js";

export type * from "./diff/types.js";
export { defaultRoute, isCatchAll } from "./diff/default-route.js";
export { diffFindings, type FindingsDiff } from "./diff/diff-findings.js";

export function diffRouting(base: RoutingTable, head: RoutingTable): RoutingDiff {
  const baseByKey = indexByKey(base.hosts);
  const headByKey = indexByKey(head.hosts);
  const hosts: HostDiff[] = [];
  headByKey.forEach((after, key) => {
    const d = diffHost(baseByKey.get(key) ?? null, after);
    if (d) hosts.push(d);
  });
  baseByKey.forEach((before, key) => {
    if (!headByKey.has(key)) {
      const d = diffHost(before, null);
      if (d) hosts.push(d);
    }
  });
  hosts.sort((a, b) => compare(a.host, b.host) || compare(a.key, b.key));
  return { hosts, access: diffAccess(base.access, head.access) };
}

/** True when the two tables route and admit traffic identically. */
export function isEmptyRoutingDiff(diff: RoutingDiff): boolean {
  const a = diff.access;
  return (
    diff.hosts.length === 0 && !a.added.length && !a.removed.length && !a.changed.length && a.smiPermissive === null
  );
}

function indexByKey(hosts: readonly HostRoutes[]): Map<string, HostRoutes> {
  const m = new Map<string, HostRoutes>();
  for (const h of hosts) {
    let key = h.key;
    for (let n = 2; m.has(key); n++) key = `${h.key}\u0000${n}`;
    m.set(key, h);
  }
  return m;
}

/** Code-unit order, so the result does not depend on the runtime's locale. */
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
