/**
 * Stable rule identities. A rule is known by its name (when set) and its
 * match blocks, never by its list index, so reordering rules diffs as a move
 * and not as a rewrite of every rule after the first change.
 */
import { canonicalJson } from "../canonical-json.js";
import type { RequestMatch } from "../types.js";

/** `name:[...matches]`, or just the matches when the rule has no name. */
export function ruleId(name: string | null, matches: readonly RequestMatch[]): string {
  const m = canonicalJson(matches);
  return name ? [name, m].join(":") : m;
}

/** Appends `#2`, `#3`... to ids seen before, in order, so ids are unique within one host. */
export function uniqueIds(ids: readonly string[]): string[] {
  const seen = new Map<string, number>();
  return ids.map((id) => {
    const n = (seen.get(id) ?? 0) + 1;
    seen.set(id, n);
    return n === 1 ? id : `${id}#${n}`;
  });
}

/** 32-bit FNV-1a as 8 hex digits: a short, deterministic digest for ids built from long content. */
export function shortHash(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(16).padStart(8, "0");
}
