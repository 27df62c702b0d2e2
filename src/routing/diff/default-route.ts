import type { EffectiveRule, HostRoutes, RequestMatch, StringMatch } from "../types.js";
import type { DefaultRoute } from "./types.js";

/**
 * The route of requests that no specific rule catches: the first rule with a
 * match block every request satisfies. First match wins, so rules after it
 * never see traffic; when no rule catches everything, the rest gets 404.
 */
export function defaultRoute(host: HostRoutes): DefaultRoute {
  const rule = host.rules.find((r) => isCatchAll(r, host));
  if (!rule) return { kind: "none" };
  const p = rule.policies;
  if (p.redirect) return { kind: "redirect", rule: rule.id, redirect: p.redirect };
  if (p.directResponse) return { kind: "directResponse", rule: rule.id, status: p.directResponse.status };
  if (rule.backends.length === 0) return { kind: "noBackends", rule: rule.id };
  return {
    kind: "backends",
    rule: rule.id,
    backends: rule.backends.map((b) => ({
      service: b.service,
      subset: b.subset,
      port: b.port,
      weight: b.weight,
      ...(b.unavailable !== undefined ? { unavailable: b.unavailable } : {}),
    })),
  };
}

/** An empty match list matches every request; so does any block whose every condition always holds. */
export function isCatchAll(rule: EffectiveRule, host: HostRoutes): boolean {
  return rule.matches.length === 0 || rule.matches.some((m) => blockMatchesAll(m, host));
}

function blockMatchesAll(m: RequestMatch, host: HostRoutes): boolean {
  if (m.uri && !matchesEveryPath(m.uri)) return false;
  for (const s of [m.method, m.scheme, m.authority]) if (s && !matchesEveryString(s)) return false;
  // A header or query condition fails when the name is absent, whatever the pattern.
  if ((m.headers?.length ?? 0) > 0 || (m.queryParams?.length ?? 0) > 0) return false;
  if (m.port !== undefined && m.port !== host.port) return false;
  if (m.sourceLabels && Object.keys(m.sourceLabels).length > 0) return false;
  if (m.sourceNamespace !== undefined) return false;
  if (m.gateways && m.gateways.length > 0 && !m.gateways.includes(gatewayNameOf(host.attachment))) return false;
  return true;
}

/** Istio writes `uri: {prefix: /}` and Gateway API defaults to `PathPrefix /` for "everything". */
function matchesEveryPath(s: StringMatch): boolean {
  if ((s.type === "prefix" || s.type === "pathPrefix") && (s.value === "/" || s.value === "")) return true;
  return matchesEveryString(s);
}

function matchesEveryString(s: StringMatch): boolean {
  if (s.type === "prefix") return s.value === "";
  if (s.type === "regex") return s.value === ".*";
  return false;
}

/** `mesh` stays `mesh`; `gateway:ns/name` is named `ns/name` in Istio `gateways`. */
function gatewayNameOf(attachment: string): string {
  return attachment.startsWith("gateway:") ? attachment.slice("gateway:".length) : attachment;
}
