/**
 * Stable rule identities. A rule is known by its name (when set) and its
 * match blocks, never by its list index, so reordering rules diffs as a move
 * and not as a rewrite of every rule after the first change.
 */
import type { RequestMatch } from "../types.js";

/** JSON with object keys sorted and undefined members dropped. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value)) ?? "null";
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== "object") return value;
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(value).sort()) {
    const v = (value as Record<string, unknown>)[k];
    if (v !== undefined) out[k] = sortKeys(v);
  }
  return out;
}

/** `name:[...matches]`, or just the matches when the rule has no name. */
export function ruleId(name: string | null, matches: readonly RequestMatch[]): string {
  const m = canonicalJson(matches);
  return name ? `${name}:${m}` : m;
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
