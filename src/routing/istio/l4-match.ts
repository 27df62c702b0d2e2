/**
 * Istio L4MatchAttributes (tcp) and TLSMatchAttributes (tls) -> RequestMatch.
 * `destinationSubnets` and `sourceSubnet` have no counterpart in a traced
 * request and are left out.
 */
import type { Labels } from "../../mesh/types.js";
import type { RequestMatch, StringMatch } from "../types.js";
import { resolveGatewayName } from "./resolve-gateway-name.js";

interface L4Attributes {
  port?: number | undefined;
  sourceLabels?: Labels | undefined;
  sourceNamespace?: string | undefined;
  gateways?: string[] | undefined;
}

export function l4Match(m: L4Attributes, namespace: string): RequestMatch {
  const out: RequestMatch = {};
  if (m.port !== undefined) out.port = m.port;
  if (m.sourceLabels && Object.keys(m.sourceLabels).length) out.sourceLabels = { ...m.sourceLabels };
  if (m.sourceNamespace) out.sourceNamespace = m.sourceNamespace;
  if (m.gateways?.length) out.gateways = m.gateways.map((g) => resolveGatewayName(g, namespace));
  return out;
}

/**
 * A TLS match block matches when the SNI is any of `sniHosts`, so each SNI
 * host becomes its own block (blocks are ORed) with the SNI as `authority`.
 * `*.example.com` matches one or more labels before `.example.com`; `*` any SNI.
 */
export function tlsMatches(m: L4Attributes & { sniHosts?: string[] | undefined }, namespace: string): RequestMatch[] {
  const base = l4Match(m, namespace);
  const snis = m.sniHosts ?? [];
  if (snis.length === 0 || snis.includes("*")) return [base];
  return snis.map((sni) => ({ ...base, authority: sniMatch(sni.toLowerCase()) }));
}

function sniMatch(sni: string): StringMatch {
  if (!sni.startsWith("*.")) return { type: "exact", value: sni };
  return { type: "regex", value: `.+${escapeRe2(sni.slice(1))}` };
}

function escapeRe2(text: string): string {
  return text.replace(/[\\^$.*+?()[\]{}|]/g, "\\$&");
}
