/**
 * Label selectors as Kubernetes' `labels.SelectorFromSet` reads a plain map:
 * every key must be present with the same value, an empty map selects
 * everything, and the printed form is `k=v` pairs sorted by key and joined
 * with commas (`labels.Set.String`), the form istioctl shows in its messages.
 */
import type { Labels } from "../../../mesh/types.js";

export function selectorMatches(selector: Labels, labels: Labels): boolean {
  for (const [k, v] of Object.entries(selector)) if (labels[k] !== v) return false;
  return true;
}

export function selectorString(selector: Labels): string {
  return Object.keys(selector)
    .sort()
    .map((k) => `${k}=${selector[k]}`)
    .join(",");
}

/** A map of strings read from an untyped value; anything else is treated as absent. */
export function labelMapOf(value: unknown): Labels | null {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return null;
  const out: Labels = {};
  for (const [k, v] of Object.entries(value)) {
    if (typeof v !== "string") return null;
    out[k] = v;
  }
  return out;
}
