/**
 * Does match block `a` match every request block `b` matches? Sound, not
 * complete: true only when that follows from the conditions as written, so a
 * rule reported as covered really is. Works on the routing table's
 * RequestMatch values (src/routing/types.ts): `prefix` is a plain string
 * prefix, `regex` matches the whole value, header names are lower-cased.
 */
import type { KeyedMatch, RequestMatch, StringMatch } from "../../../routing/types.js";

export function matchCovers(a: RequestMatch, b: RequestMatch): boolean {
  return (
    uriCovers(a, b) &&
    optionalCovers(a.method, b.method) &&
    optionalCovers(a.scheme, b.scheme) &&
    optionalCovers(a.authority, b.authority) &&
    keyedCovers(a.headers, b.headers) &&
    keyedCovers(a.queryParams, b.queryParams) &&
    (a.port === undefined || a.port === b.port) &&
    Object.entries(a.sourceLabels ?? {}).every(([k, v]) => b.sourceLabels?.[k] === v) &&
    (a.sourceNamespace === undefined || a.sourceNamespace === b.sourceNamespace) &&
    (a.gateways === undefined || (b.gateways !== undefined && b.gateways.every((g) => a.gateways!.includes(g))))
  );
}

/** Whether every value `b` accepts is accepted by `a`. */
export function stringCovers(a: StringMatch, b: StringMatch): boolean {
  switch (a.type) {
    case "present":
      return true;
    case "exact":
      return b.type === "exact" && b.value === a.value;
    case "prefix":
      return (b.type === "exact" || b.type === "prefix") && b.value.startsWith(a.value);
    case "pathPrefix":
      return b.type === "pathPrefix" && (b.value === a.value || b.value.startsWith(a.value.endsWith("/") ? a.value : `${a.value}/`));
    case "regex":
      // The same pattern accepts the same values; `.*` accepts every value.
      return a.value === ".*" || (b.type === "regex" && b.value === a.value);
  }
}

function isUniversal(m: StringMatch): boolean {
  return m.type === "present" || (m.type === "prefix" && m.value === "") || (m.type === "regex" && m.value === ".*");
}

function uriCovers(a: RequestMatch, b: RequestMatch): boolean {
  if (!a.uri || isUniversal(a.uri)) return true;
  if (!b.uri) return false;
  // Istio ignoreUriCase: a case-insensitive b accepts case variants a may refuse.
  if (b.ignoreUriCase && !a.ignoreUriCase) return false;
  if (a.ignoreUriCase) return stringCovers(lower(a.uri), lower(b.uri));
  return stringCovers(a.uri, b.uri);
}

function lower(m: StringMatch): StringMatch {
  return m.type === "present" || m.type === "regex" ? m : { ...m, value: m.value.toLowerCase() };
}

function optionalCovers(a: StringMatch | undefined, b: StringMatch | undefined): boolean {
  if (!a || isUniversal(a)) return true;
  return b !== undefined && stringCovers(a, b);
}

/**
 * Every condition of `a` must be implied by a condition of `b` on the same
 * name. An inverted condition (`withoutHeaders`) is implied only by the same
 * inverted condition: Envoy fails inverted value matchers on absent headers.
 */
function keyedCovers(a: readonly KeyedMatch[] | undefined, b: readonly KeyedMatch[] | undefined): boolean {
  for (const ka of a ?? []) {
    const implied = (b ?? []).some((kb) => {
      if (kb.name !== ka.name || Boolean(kb.invert) !== Boolean(ka.invert)) return false;
      return ka.invert ? kb.match.type === ka.match.type && sameValue(ka.match, kb.match) : stringCovers(ka.match, kb.match);
    });
    if (!implied) return false;
  }
  return true;
}

function sameValue(a: StringMatch, b: StringMatch): boolean {
  return (a.type === "present" && b.type === "present") || ("value" in a && "value" in b && a.value === b.value);
}
