/**
 * Two revisions of one tree route almost every host the same way: a pull
 * request changes a few files. `shareUnchanged` returns the head's table with
 * each host table and access rule that equals the base's (same key or id,
 * same content, in any key order) replaced by the base's own object, so the
 * two tables of a plan hold one copy of what did not change; the head's other
 * host tables are compacted (compact-hosts.ts), so a freshly built head table
 * never exists twice over. Tables are never mutated once built, so sharing is
 * safe; equal values route identically.
 */
import { sameValue } from "../manifests/same-value.js";
import { compactHosts } from "./compact-hosts.js";
import type { HostRoutes, RoutingTable } from "./types.js";

export function shareUnchanged(base: RoutingTable, head: RoutingTable): RoutingTable {
  const hostsByKey = new Map(base.hosts.map((h) => [h.key, h]));
  const rulesById = new Map(base.access.rules.map((r) => [r.id, r]));
  const hosts: HostRoutes[] = [];
  const changed: number[] = [];
  for (const h of head.hosts) {
    const before = hostsByKey.get(h.key);
    if (before && sameValue(before, h, true)) hosts.push(before);
    else changed.push(hosts.push(h) - 1);
  }
  const compacted = compactHosts(changed.map((i) => hosts[i]!));
  changed.forEach((at, i) => (hosts[at] = compacted[i]!));
  return {
    hosts,
    access: {
      ...head.access,
      rules: head.access.rules.map((r) => {
        const before = rulesById.get(r.id);
        return before && sameValue(before, r, true) ? before : r;
      }),
    },
  };
}
