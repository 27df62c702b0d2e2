/**
 * Istio HTTPMatchRequest -> RequestMatch (Istio API reference, VirtualService
 * "HTTPMatchRequest"): every field of one block must hold; `prefix` is a plain
 * string prefix (not path elements); `regex` is RE2 over the whole value;
 * header names compare case-insensitively (stored lower-cased), query
 * parameter names do not; `withoutHeaders` inverts the header condition.
 */
import type { HttpMatchRequest, IstioStringMatch } from "../../manifests/schemas/istio.js";
import type { KeyedMatch, RequestMatch, StringMatch } from "../types.js";
import { resolveGatewayName } from "./resolve-gateway-name.js";

/**
 * `whenEmpty`: what a StringMatch with no exact/prefix/regex means. For
 * headers and query parameters Istio documents it as a presence check; for
 * uri/method/scheme/authority it sets no condition at all.
 */
export function stringMatchOf(m: IstioStringMatch | undefined, whenEmpty: "present" | "none"): StringMatch | undefined {
  if (!m) return undefined;
  if (m.exact !== undefined) return { type: "exact", value: m.exact };
  if (m.prefix !== undefined) return { type: "prefix", value: m.prefix };
  if (m.regex !== undefined) return { type: "regex", value: m.regex };
  return whenEmpty === "present" ? { type: "present" } : undefined;
}

function keyed(
  map: Record<string, IstioStringMatch> | undefined,
  lowerCase: boolean,
  invert: boolean,
): KeyedMatch[] {
  const out: KeyedMatch[] = [];
  for (const [name, m] of Object.entries(map ?? {})) {
    const match = stringMatchOf(m, "present");
    if (!match) continue;
    out.push({ name: lowerCase ? name.toLowerCase() : name, match, ...(invert ? { invert: true } : {}) });
  }
  return out;
}

const byName = (a: KeyedMatch, b: KeyedMatch) =>
  a.name < b.name ? -1 : a.name > b.name ? 1 : Number(a.invert ?? false) - Number(b.invert ?? false);

/** One match block; `namespace` is the VirtualService's, for short gateway names. */
export function httpMatch(m: HttpMatchRequest, namespace: string): RequestMatch {
  const out: RequestMatch = {};
  const uri = stringMatchOf(m.uri, "none");
  if (uri) out.uri = uri;
  const method = stringMatchOf(m.method, "none");
  if (method) out.method = method;
  const scheme = stringMatchOf(m.scheme, "none");
  if (scheme) out.scheme = scheme;
  const authority = stringMatchOf(m.authority, "none");
  if (authority) out.authority = authority;
  // Headers and query parameters are maps: their order carries no meaning, so
  // they are sorted to keep rule ids independent of how the YAML lists them.
  const headers = [...keyed(m.headers, true, false), ...keyed(m.withoutHeaders, true, true)].sort(byName);
  if (headers.length) out.headers = headers;
  const query = keyed(m.queryParams, false, false).sort(byName);
  if (query.length) out.queryParams = query;
  if (m.port !== undefined) out.port = m.port;
  if (m.sourceLabels && Object.keys(m.sourceLabels).length) out.sourceLabels = { ...m.sourceLabels };
  if (m.sourceNamespace) out.sourceNamespace = m.sourceNamespace;
  if (m.gateways?.length) out.gateways = m.gateways.map((g) => resolveGatewayName(g, namespace));
  if (m.ignoreUriCase) out.ignoreUriCase = true;
  return out;
}
