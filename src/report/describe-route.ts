import type { BackendRef, BackendShare, DefaultRoute } from "../routing/diff.js";
import type { RoutePolicies } from "../routing/types.js";
import { describePolicy } from "./describe-policy.js";
import { formatWeight } from "./format-weight.js";

/** `reviews v1 50%, reviews v3 50%`. */
export function describeShares(backends: readonly BackendShare[], nameBackend: (b: BackendRef) => string): string {
  if (backends.length === 0) return "no backends";
  return backends
    .map((b) => `${nameBackend(b)} ${formatWeight(b.weight)}${b.unavailable !== undefined ? ` (unavailable: ${b.unavailable})` : ""}`)
    .join(", ");
}

/** Where default traffic goes; `null` is a host that does not exist on that side (`absent` says which way). */
export function describeDefaultRoute(
  r: DefaultRoute | null,
  nameBackend: (b: BackendRef) => string,
  absent: "new host" | "host removed" = "host removed",
): string {
  if (!r) return absent;
  switch (r.kind) {
    case "backends":
      return describeShares(r.backends, nameBackend);
    case "redirect":
      return `redirect ${r.redirect.statusCode}${r.redirect.uri !== undefined ? ` to ${r.redirect.uri}` : ""}`;
    case "directResponse":
      return `direct response ${r.status}`;
    case "noBackends":
      return "no backends (500/503)";
    case "none":
      return "no default route (404)";
  }
}

/** 0-based list index as people count: 0 -> `1st`, 11 -> `12th`. */
export function ordinal(index: number): string {
  const n = index + 1;
  const teen = n % 100 >= 11 && n % 100 <= 13;
  const suffix = teen ? "th" : (["th", "st", "nd", "rd"][n % 10] ?? "th");
  return `${n}${suffix}`;
}

/** The host as people address it, with the port and the entry point when not plain mesh traffic. */
export function hostLabel(h: { host: string; port: number | null; attachment: string }): string {
  const port = h.port !== null ? `:${h.port}` : "";
  return h.attachment === "mesh" ? `${h.host}${port}` : `${h.host}${port} via ${attachmentLabel(h.attachment)}`;
}

/** `gateway:istio-system/ingress` -> `gateway istio-system/ingress`. */
export function attachmentLabel(attachment: string): string {
  const i = attachment.indexOf(":");
  return i < 0 ? attachment : `${attachment.slice(0, i)} ${attachment.slice(i + 1)}`;
}

/** What a rule does with the requests it matches. */
export function describeOutcome(
  rule: { backends: readonly BackendShare[]; policies: RoutePolicies },
  nameBackend: (b: BackendRef) => string,
): string {
  const p = rule.policies;
  if (p.redirect) return `redirect ${describePolicy("redirect", p.redirect, nameBackend)}`;
  if (p.directResponse) return `responds ${describePolicy("directResponse", p.directResponse, nameBackend)}`;
  if (rule.backends.length === 0) return "no backends (500/503)";
  return describeShares(rule.backends, nameBackend);
}
