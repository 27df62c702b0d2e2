/**
 * VirtualService delegation (Istio API reference, HTTPRoute `delegate`; pilot
 * `mergeHTTPRoutes`): a root route's delegate VirtualService contributes its
 * http routes in place of the root route. Each delegate route keeps its own
 * destinations; fields it leaves unset are taken from the root route; its
 * match blocks are ANDed with the root's. A delegate match must be a subset
 * of some root match: every root match it does not conflict with yields one
 * merged block, and a delegate match that conflicts with all of them drops
 * the whole delegate route.
 */
import type { HttpRoute } from "../../manifests/schemas/istio.js";
import type { KeyedMatch, RequestMatch, StringMatch } from "../types.js";

const INHERITED_FIELDS = [
  "rewrite",
  "directResponse",
  "timeout",
  "retries",
  "fault",
  "mirror",
  "mirrorPercent",
  "mirrorPercentage",
  "corsPolicy",
  "mirrors",
  "headers",
] as const satisfies readonly (keyof HttpRoute)[];

export type InheritedField = (typeof INHERITED_FIELDS)[number];

/** The delegate route with unset fields filled from the root, and which fields came from the root. */
export function mergeDelegateRoute(root: HttpRoute, delegate: HttpRoute): { route: HttpRoute; inherited: Set<InheritedField> } {
  const route: HttpRoute = { ...delegate };
  const inherited = new Set<InheritedField>();
  for (const f of INHERITED_FIELDS) {
    if (delegate[f] === undefined && root[f] !== undefined) {
      (route as Record<string, unknown>)[f] = root[f];
      inherited.add(f);
    }
  }
  if (!delegate.name) route.name = root.name;
  else if (root.name) route.name = `${root.name}-${delegate.name}`;
  return { route, inherited };
}

/** Merged match blocks, or null when the delegate route conflicts with its root and is ignored. */
export function mergeDelegateMatches(root: readonly RequestMatch[], delegate: readonly RequestMatch[]): RequestMatch[] | null {
  if (root.length === 0) return [...delegate];
  if (delegate.length === 0) return [...root];
  const out: RequestMatch[] = [];
  for (const leaf of delegate) {
    let found = false;
    for (const r of root) {
      if (hasConflict(r, leaf)) continue;
      out.push(mergeMatch(r, leaf));
      found = true;
    }
    if (!found) return null;
  }
  return out.length ? out : null;
}

const keyOf = (k: KeyedMatch) => `${k.invert ? "!" : ""}${k.name}`;

function mergeKeyed(root: KeyedMatch[] | undefined, leaf: KeyedMatch[] | undefined): KeyedMatch[] | undefined {
  const m = new Map<string, KeyedMatch>();
  for (const k of root ?? []) m.set(keyOf(k), k);
  for (const k of leaf ?? []) m.set(keyOf(k), k);
  const out = [...m.values()].sort((a, b) => (keyOf(a) < keyOf(b) ? -1 : keyOf(a) > keyOf(b) ? 1 : 0));
  return out.length ? out : undefined;
}

function mergeMatch(root: RequestMatch, leaf: RequestMatch): RequestMatch {
  const out: RequestMatch = { ...leaf };
  if (!out.uri && root.uri) out.uri = root.uri;
  if (!out.scheme && root.scheme) out.scheme = root.scheme;
  if (!out.method && root.method) out.method = root.method;
  if (!out.authority && root.authority) out.authority = root.authority;
  const headers = mergeKeyed(root.headers, leaf.headers);
  if (headers) out.headers = headers;
  const query = mergeKeyed(root.queryParams, leaf.queryParams);
  if (query) out.queryParams = query;
  if (out.port === undefined && root.port !== undefined) out.port = root.port;
  if (root.sourceLabels || leaf.sourceLabels) out.sourceLabels = { ...root.sourceLabels, ...leaf.sourceLabels };
  if (out.sourceNamespace === undefined && root.sourceNamespace !== undefined) out.sourceNamespace = root.sourceNamespace;
  if (!out.gateways?.length && root.gateways?.length) out.gateways = root.gateways;
  return out;
}

function keyed(list: KeyedMatch[] | undefined, name: string, invert: boolean): StringMatch | undefined {
  return list?.find((k) => k.name === name && (k.invert ?? false) === invert)?.match;
}

function hasConflict(root: RequestMatch, leaf: RequestMatch): boolean {
  if (stringConflict(root.uri, leaf.uri)) return true;
  if (stringConflict(root.scheme, leaf.scheme)) return true;
  if (stringConflict(root.method, leaf.method)) return true;
  if (stringConflict(root.authority, leaf.authority)) return true;
  for (const h of leaf.headers ?? []) {
    if (stringConflict(keyed(root.headers, h.name, h.invert ?? false), h.match)) return true;
  }
  for (const q of leaf.queryParams ?? []) {
    if (stringConflict(keyed(root.queryParams, q.name, false), q.match)) return true;
  }
  if ((root.ignoreUriCase ?? false) !== (leaf.ignoreUriCase ?? false)) return true;
  if (root.port !== undefined && leaf.port !== undefined && root.port !== leaf.port) return true;
  if (root.sourceNamespace !== undefined && leaf.sourceNamespace !== root.sourceNamespace) return true;
  for (const [k, v] of Object.entries(leaf.sourceLabels ?? {})) {
    const rv = root.sourceLabels?.[k];
    if (rv !== undefined && rv !== v) return true;
  }
  if (root.gateways?.length && leaf.gateways?.length) {
    if (root.gateways.length < leaf.gateways.length) return true;
    if (leaf.gateways.some((g) => !root.gateways!.includes(g))) return true;
  }
  return false;
}

/**
 * pilot `stringMatchConflict`: a regex on either side conflicts with any
 * typed match on the other; an exact root admits only the same exact value;
 * a prefix root admits a longer prefix or an exact value under it. A root
 * without a type (presence) admits nothing more specific.
 */
function stringConflict(root: StringMatch | undefined, leaf: StringMatch | undefined): boolean {
  if (!root || !leaf) return false;
  const typed = (m: StringMatch) => m.type === "exact" || m.type === "prefix" || m.type === "regex";
  if (root.type === "regex" && typed(leaf)) return true;
  if (leaf.type === "regex" && typed(root)) return true;
  if (root.type === "exact") return !(leaf.type === "exact" && leaf.value === root.value);
  if (root.type === "prefix") {
    if (leaf.type === "prefix" || leaf.type === "exact") return !leaf.value.startsWith(root.value);
  }
  return true;
}
