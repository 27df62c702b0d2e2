/**
 * RE2 regular expressions, as Envoy, Istio, Gateway API implementations and
 * SMI/OSM evaluate them. JavaScript's RegExp differs (backtracking,
 * lookaround, different escapes), so meshplan never uses it for user regexes.
 */
import { RE2JS } from "re2js";

export type Re2Compiled = { ok: true; re: RE2JS } | { ok: false; error: string };

const cache = new Map<string, Re2Compiled>();

export function compileRe2(pattern: string, options: { ignoreCase?: boolean } = {}): Re2Compiled {
  const key = `${options.ignoreCase ? "i" : "-"}${pattern}`;
  let hit = cache.get(key);
  if (!hit) {
    try {
      hit = { ok: true, re: RE2JS.compile(pattern, options.ignoreCase ? RE2JS.CASE_INSENSITIVE : 0) };
    } catch (err) {
      hit = { ok: false, error: err instanceof Error ? err.message : String(err) };
    }
    cache.set(key, hit);
  }
  return hit;
}

/**
 * Envoy `safe_regex` (and so Istio `regex`) must match the whole value, not a
 * substring: `v1` does not match `v12`. An invalid pattern matches nothing,
 * as Envoy rejects such a route.
 */
export function re2FullMatch(pattern: string, value: string, options: { ignoreCase?: boolean } = {}): boolean {
  const c = compileRe2(pattern, options);
  return c.ok && c.re.matches(value);
}
