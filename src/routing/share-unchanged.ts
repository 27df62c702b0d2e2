/**
 * Two revisions of one tree route almost every host the same way: a pull
 * request changes a few files. `shareUnchanged` returns the head's table with
 * each host table and access rule that equals the base's (same key or id,
 * same content) replaced by the base's own object, so the two tables of a
 * plan hold one copy of what did not change. Tables are never mutated once
 * built, so sharing is safe; equal values route identically.
 */
import { sameValue } from "../manifests/same-value.js";
import type { RoutingTable } from "./types.js";

export function shareUnchanged(base: RoutingTable, head: RoutingTable): RoutingTable {
  const hostsByKey = new Map(base.hosts.map((h) => [h.key, h]));
  const rulesById = new Map(base.access.rules.map((r) => [r.id, r]));
  return {
    hosts: head.hosts.map((h) => {
      const before = hostsByKey.get(h.key);
      return before && sameValue(before, h) ? before : h;
    }),
    access: {
      ...head.access,
      rules: head.access.rules.map((r) => {
        const before = rulesById.get(r.id);
        return before && sameValue(before, r) ? before : r;
      }),
    },
  };
}
